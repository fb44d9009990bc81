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
  stop(): Promise<void>;
}

/** Starts bench/slack-client-process.ts, the stand-in for Slack, in its own Node process. */
export function startSlackClientChild(): SlackClientChild {
  const script = fileURLToPath(new URL('./slack-client-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async burst(url, secret, commands) {
      child.stdin.write(`${JSON.stringify({ url, secret, commands })}\n`);
      const answer = await lines.next();
      if (answer.done) throw new Error('bench: the Slack client process ended');
      return JSON.parse(String(answer.value)) as TimedCommand[];
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}
