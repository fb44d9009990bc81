import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface SlashCommandSpec {
  text: string;
  userId: string;
  channelId: string;
  responseUrl: string;
}

export interface TimedCommand {
  ms: number;
  status: number;
}

export interface SlackClientChild {
  /** Sends every command at once, signed, to `${url}/slack/events`; resolves with each one's time and status. */
  burst(url: string, secret: string, commands: readonly SlashCommandSpec[]): Promise<TimedCommand[]>;
  /** Sends the commands one every `spacingMs`, not waiting for answers (steady traffic); each one's time and status. */
  steady(
    url: string,
    secret: string,
    commands: readonly SlashCommandSpec[],
    spacingMs: number,
  ): Promise<TimedCommand[]>;
  stop(): Promise<void>;
}

/** Starts bench/slack-client-process.ts, the stand-in for Slack, in its own Node process. */
export function startSlackClientChild(): SlackClientChild {
  const script = fileURLToPath(new URL('./slack-client-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const send = async (message: object): Promise<TimedCommand[]> => {
    child.stdin.write(`${JSON.stringify(message)}\n`);
    const answer = await lines.next();
    if (answer.done) throw new Error('bench: the Slack client process ended');
    return JSON.parse(String(answer.value)) as TimedCommand[];
  };
  return {
    burst: (url, secret, commands) => send({ url, secret, commands }),
    steady: (url, secret, commands, spacingMs) => send({ url, secret, commands, spacingMs }),
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}
