import type { Command } from 'commander';
import { parseVideoId } from '../../core/vod/input-rules.js';
import { readVideoStreamsIn } from '../../core/vod/video-streams.js';
import type { CommandDeps } from '../command-deps.js';
import { type AccountFlags, accountOptions, withAccountFlags } from '../flags.js';
import { EXIT, writeJson } from '../output.js';
import { renderStreamTable, renderVideoHeader } from '../render.js';

/** `vod-ops streams <VideoId> [--json]`: the video and every stream (GetPlayInfo with ResultType=Multiple). */
export function registerStreamsCommand(program: Command, deps: CommandDeps): void {
  const command = program
    .command('streams')
    .description('show a video and all its transcoded streams (every job ID, including stale re-transcodes)')
    .argument('<VideoId>', 'the video, 32 hexadecimal characters')
    .option('--json', 'print JSON instead of a table')
    .option('--sandbox', 'run against an in-process VOD emulator with demo videos (no account needed)');
  withAccountFlags(command).action(
    async (rawVideoId: string, opts: { json?: boolean; sandbox?: boolean } & AccountFlags) => {
      const json = opts.json === true;
      try {
        const videoId = parseVideoId(rawVideoId);
        const runtime = await deps.openVod({ sandbox: opts.sandbox === true, ...accountOptions(opts) });
        try {
          // In the region named, or the one of those served that holds the video.
          const read = await readVideoStreamsIn(runtime.vod, videoId);
          if (json) {
            writeJson(deps.io, read);
          } else {
            deps.io.stdout.write(
              `${renderVideoHeader(read.video, read.region)}\n\n${renderStreamTable(read.streams)}\n`,
            );
          }
          deps.setExitCode(EXIT.ok);
        } finally {
          await runtime.close();
        }
      } catch (error) {
        deps.onError(error, json);
      }
    },
  );
}
