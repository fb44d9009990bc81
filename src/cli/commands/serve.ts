import { once } from 'node:events';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { CommandDeps } from '../command-deps.js';
import { type AccountFlags, accountOptions, withAccountFlags } from '../flags.js';
import { EXIT } from '../output.js';

/** `vod-ops serve [--sandbox] [--port N] [--host H]`: the long-running server. Stops on SIGINT / SIGTERM. */
export function registerServeCommand(program: Command, deps: CommandDeps & { env: NodeJS.ProcessEnv }): void {
  const command = program
    .command('serve')
    .description(
      'run the server: the Slack app, /mcp, the sweeper (expiry, resumption), the probes and /metrics',
    )
    .option('--sandbox', 'use an in-process VOD emulator and an in-memory store (no account needed)')
    .option('--port <N>', 'port to listen on (default: PORT, or 3000)')
    .option('--host <H>', 'address to listen on (default: HOST, or 127.0.0.1)');
  withAccountFlags(command).action(
    async (opts: { sandbox?: boolean; port?: string; host?: string } & AccountFlags) => {
      try {
        const rawPort = opts.port ?? deps.env.PORT ?? '3000';
        const port = Number(rawPort);
        if (!Number.isInteger(port) || port < 0 || port > 65_535) {
          throw new AppError(
            'INVALID_INPUT',
            `The port must be a whole number from 0 to 65535, not "${rawPort}".`,
          );
        }
        const host = opts.host ?? deps.env.HOST?.trim() ?? '127.0.0.1';
        // Loaded here, not at the top: Bolt, Express and the Slack front end are for this command only.
        const { startServer } = await import('../../app/server.js');
        const server = await startServer({
          env: deps.env,
          terminal: deps.terminal,
          sandbox: opts.sandbox === true,
          port,
          host: host || '127.0.0.1',
          ...accountOptions(opts),
        });
        const store = server.storeLocation ? `the store at ${server.storeLocation}` : 'an in-memory store';
        deps.io.stderr.write(
          `vod-ops serving on ${server.url} with ${store}${opts.sandbox ? ' (sandbox)' : ''}; Ctrl-C to stop\n`,
        );
        // One signal stops it (gracefully, within bounds: Slack is not waited for more than 10 s); the listeners
        // that lost the race are removed, so a second signal ends the process at once.
        const stopped = new AbortController();
        const { signal } = stopped;
        await Promise.race(
          [once(process, 'SIGINT', { signal }), once(process, 'SIGTERM', { signal })].map((s) =>
            s.catch(() => undefined),
          ),
        );
        stopped.abort();
        await server.close();
        // Stopped: what is left (a Slack call nobody answers, say) is not waited for.
        deps.exit(EXIT.ok);
      } catch (error) {
        deps.onError(error, false);
      }
    },
  );
}
