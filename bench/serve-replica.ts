import { once } from 'node:events';
import { spawnCli } from '../test/helpers/run-cli.js';

/** A `vod-ops serve` process (the built CLI), serving at `url`. */
export interface ServeReplica {
  url: string;
  /** What it wrote to stderr after it started serving: with VOD_OPS_LOG_LEVEL=error, only errors. */
  laterOutput(): string;
  /** SIGTERM, as an orchestrator stops a replica; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `vod-ops serve --port 0` with `env` and resolves once it says where it serves. */
export async function startServeReplica(env: NodeJS.ProcessEnv): Promise<ServeReplica> {
  const child = spawnCli(['serve', '--port', '0'], env);
  child.stdin?.end();
  let stderr = '';
  let servingAt = -1;
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = servingAt < 0 ? /vod-ops serving on (http:\/\/\S+?);/.exec(stderr) : null;
      if (match?.[1]) {
        servingAt = match.index + match[0].length;
        resolve(match[1]);
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`vod-ops serve exited (${code}) before serving: ${stderr}`)),
    );
  });
  return {
    url,
    laterOutput: () => stderr.slice(servingAt).replace(/^[^\n]*\n/, ''),
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
