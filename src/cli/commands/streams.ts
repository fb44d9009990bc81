import type { Command } from 'commander';
import type { CliRuntime, RuntimeOptions, WorkflowRuntime } from '../../app/runtime.js';
import { bothSettled } from '../../core/requests/deletion-preview.js';
import { parseVideoId } from '../../core/vod/input-rules.js';
import { EXIT, type Io, writeJson } from '../output.js';
import { renderStreamTable, renderVideoHeader } from '../render.js';

export interface CommandDeps {
  io: Io;
  openRuntime: (options: Pick<RuntimeOptions, 'sandbox'>) => Promise<CliRuntime>;
  /** The runtime with the store and workflow, for commands that read or record them. */
  openWorkflowRuntime: (options: Pick<RuntimeOptions, 'sandbox' | 'readOnly'>) => Promise<WorkflowRuntime>;
  setExitCode: (code: number) => void;
  onError: (error: unknown, json: boolean) => void;
}

/** `vod-ops streams <VideoId> [--json]`: the video and every stream (GetPlayInfo with ResultType=Multiple). */
export function registerStreamsCommand(program: Command, deps: CommandDeps): void {
  program
    .command('streams')
    .description('show a video and all its transcoded streams (every job ID, including stale re-transcodes)')
    .argument('<VideoId>', 'the video, 32 hexadecimal characters')
    .option('--json', 'print JSON instead of a table')
    .option('--sandbox', 'run against an in-process VOD emulator with demo videos (no account needed)')
    .action(async (rawVideoId: string, opts: { json?: boolean; sandbox?: boolean }) => {
      const json = opts.json === true;
      try {
        const videoId = parseVideoId(rawVideoId);
        const runtime = await deps.openRuntime({ sandbox: opts.sandbox === true });
        try {
          const [video, playInfo] = await bothSettled(
            runtime.vod.getVideoInfo(videoId),
            runtime.vod.getPlayInfo(videoId),
          );
          if (json) {
            const { requestId, ...videoFields } = video;
            writeJson(deps.io, {
              video: videoFields,
              streams: playInfo.streams,
              requestIds: { getVideoInfo: requestId, getPlayInfo: playInfo.requestId },
            });
          } else {
            deps.io.stdout.write(`${renderVideoHeader(video)}\n\n${renderStreamTable(playInfo.streams)}\n`);
          }
          deps.setExitCode(EXIT.ok);
        } finally {
          await runtime.close();
        }
      } catch (error) {
        deps.onError(error, json);
      }
    });
}
