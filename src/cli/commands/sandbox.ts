import { once } from 'node:events';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { plural } from '../../core/format.js';
import type { CommandDeps } from '../command-deps.js';
import { parseWholeNumberFlag } from '../flags.js';
import { EXIT } from '../output.js';

interface SandboxOptions {
  port: string;
  library?: string;
  latencyMs?: string;
  deleteQps?: string;
}

/**
 * `vod-ops sandbox [--port N]`: runs the local VOD emulator in the foreground with the demo catalogue and prints
 * how to point vod-ops (or any Alibaba SDK) at it. Stops on Ctrl-C / SIGTERM.
 */
export function registerSandboxCommand(program: Command, deps: CommandDeps): void {
  program
    .command('sandbox')
    .description('run a local ApsaraVideo VOD emulator with demo videos, in the foreground')
    .option('--port <N>', 'port on 127.0.0.1 (0 picks a free one)', '9870')
    .option('--latency-ms <N>', 'delay every answer by N ms')
    .option('--delete-qps <N>', 'enforce flow control: at most N DeleteStream calls per second (Alibaba: 50)')
    .option('--library <N>', 'add a generated library of N videos (up to 200000), for clean-up campaigns')
    .action(async (opts: SandboxOptions) => {
      try {
        const port = parseWholeNumberFlag('--port', opts.port, 0, 65_535);
        const latencyMs =
          opts.latencyMs === undefined ? 0 : parseWholeNumberFlag('--latency-ms', opts.latencyMs, 0, 600_000);
        const deleteQps =
          opts.deleteQps === undefined
            ? undefined
            : parseWholeNumberFlag('--delete-qps', opts.deleteQps, 1, 100_000);
        const librarySize =
          opts.library === undefined ? 0 : parseWholeNumberFlag('--library', opts.library, 1, 200_000);
        // Loaded here, not at the top, so that other commands do not pay for the emulator.
        const { createDemoCatalogue, createLibraryCatalogue, createSandboxAccessKey, startVodEmulator } =
          await import('../../sandbox/index.js');
        const accessKey = createSandboxAccessKey();
        const catalogue = createDemoCatalogue();
        const emulator = await startVodEmulator({
          port,
          credentials: [accessKey],
          // A library is served in place, with the demo videos beside it.
          catalogue: librarySize > 0 ? createLibraryCatalogue({ videos: librarySize }) : catalogue,
          latencyMs,
          ...(deleteQps ? { qpsLimits: { DeleteStream: deleteQps } } : {}),
        }).catch((error: unknown) => {
          const inUse = (error as { code?: string }).code === 'EADDRINUSE';
          throw new AppError(
            'CONFIG',
            inUse
              ? `Port ${port} is in use: pass --port with another one (0 picks a free one).`
              : 'The sandbox could not start.',
            { cause: error },
          );
        });
        if (librarySize > 0) emulator.addVideos(catalogue);
        const out = deps.io.stdout;
        out.write(
          [
            `vod-ops sandbox: a local ApsaraVideo VOD emulator (API 2017-03-21) on ${emulator.endpoint}`,
            'Nothing here touches Alibaba Cloud. State lives in memory until you stop it (Ctrl-C).',
            '',
            'Point vod-ops at it from another terminal:',
            `  export VOD_ENDPOINT=${emulator.endpoint}`,
            `  export ALIBABA_CLOUD_ACCESS_KEY_ID=${accessKey.accessKeyId}`,
            `  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${accessKey.accessKeySecret}`,
            '',
            'Demo videos:',
            ...catalogue.map(
              (v) =>
                `  ${v.videoId}  ${v.status.padEnd(7)} ${plural(v.streams.length, 'stream').padStart(10)}  ${v.title}`,
            ),
            '',
            ...(librarySize > 0
              ? [
                  `And a generated library of ${plural(librarySize, 'video')} (clean-up campaigns: vod-ops cleanup plan).`,
                  '',
                ]
              : []),
            'Try:',
            `  npx vod-ops streams ${catalogue[0]?.videoId ?? '<VideoId>'}`,
            `  npx vod-ops delete-stream ${catalogue[0]?.videoId ?? '<VideoId>'} ${catalogue[0]?.streams[0]?.jobId ?? '<JobId>'} --dry-run`,
            '',
          ].join('\n'),
        );
        await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
        await emulator.close();
        out.write('sandbox stopped\n');
        deps.setExitCode(EXIT.ok);
      } catch (error) {
        deps.onError(error, false);
      }
    });
}
