import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { formatBytes, plural } from '../../core/format.js';
import { previewDeletion } from '../../core/requests/deletion-preview.js';
import type { Principal } from '../../core/requests/principal.js';
import { parseJobIds, parseVideoId } from '../../core/vod/input-rules.js';
import type { CommandDeps } from '../command-deps.js';
import { type AccountFlags, accountOptions, withAccountFlags } from '../flags.js';
import { EXIT, writeJson } from '../output.js';
import { renderPreview } from '../render.js';

export interface DeleteCommandDeps extends CommandDeps {
  /** Whether a person is at the terminal to answer the confirmation prompt. */
  interactive: boolean;
  stdin: NodeJS.ReadableStream;
  /** Who is running the command, for the audit trail. */
  operator: () => Principal;
}

interface DeleteOptions extends AccountFlags {
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  sandbox?: boolean;
}

const CONFIRM_WORD = 'delete';

/**
 * `vod-ops delete-stream <VideoId> <JobIds...>`: validates, previews, asks for confirmation on a terminal (or
 * requires --yes), then calls DeleteStream once and prints Alibaba's RequestId. Input is checked before any
 * network call; a missing confirmation is refused before any network call too.
 */
export function registerDeleteStreamCommand(program: Command, deps: DeleteCommandDeps): void {
  const command = program
    .command('delete-stream')
    .description('irreversibly delete transcoded streams of a video (DeleteStream), after a preview')
    .argument('<VideoId>', 'the video, 32 hexadecimal characters')
    .argument('<JobIds...>', '1 to 20 job IDs, comma- or space-separated')
    .option('--dry-run', 'show what would be deleted and stop')
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .option('--json', 'print JSON (needs --yes or --dry-run)')
    .option('--sandbox', 'run against an in-process VOD emulator with demo videos (no account needed)');
  withAccountFlags(command).action(async (rawVideoId: string, rawJobIds: string[], opts: DeleteOptions) => {
    const json = opts.json === true;
    try {
      const videoId = parseVideoId(rawVideoId);
      const jobIds = parseJobIds(rawJobIds);
      const willAsk = !opts.dryRun && !opts.yes;
      if (willAsk && (json || !deps.interactive)) {
        throw new AppError(
          'INVALID_INPUT',
          `Refusing to delete without confirmation: ${json ? 'with --json there is no prompt' : 'there is no terminal to answer the prompt'}. ` +
            'Preview with --dry-run, then re-run with --yes. Nothing was sent.',
        );
      }
      // The audit trail is opened before anything is deleted: a deletion that cannot be recorded is refused.
      const runtime = await deps.openRuntime({ sandbox: opts.sandbox === true, ...accountOptions(opts) });
      try {
        // In the region named, or the one of those served that holds the video; DeleteStream goes there too.
        const region = await runtime.vod.resolve(videoId);
        const preview = await previewDeletion(runtime.vod.in(region), videoId, jobIds);
        if (!json) deps.io.stdout.write(`${renderPreview(preview, region)}\n`);
        if (opts.dryRun) {
          if (json) writeJson(deps.io, { status: 'dry_run', region, preview });
          else deps.io.stdout.write('\nDry run: nothing was deleted.\n');
          deps.setExitCode(EXIT.ok);
          return;
        }
        if (willAsk && !(await confirm(deps, jobIds.length))) {
          deps.io.stderr.write('Cancelled: nothing was deleted.\n');
          deps.setExitCode(EXIT.failed);
          return;
        }
        // Core records it: `started` before the call (a deletion that cannot be recorded is never made), the
        // outcome after.
        const { outcome, recorded } = await runtime.directDeletion.run({
          videoId,
          region,
          jobIds,
          actor: deps.operator(),
          preview,
        });
        if (!recorded) {
          deps.io.stderr.write(
            'warning: the deletion happened, but its outcome could not be written to the audit trail (see the log).\n',
          );
        }
        if (json) {
          writeJson(deps.io, {
            status: outcome.alreadyDeleted ? 'already_deleted' : 'deleted',
            region,
            preview,
            result: outcome,
          });
        } else {
          const note = outcome.alreadyDeleted
            ? ' (an earlier attempt had already deleted them; the retry found them gone)'
            : '';
          deps.io.stdout.write(
            `\nDeleted ${plural(jobIds.length, 'stream')} of ${videoId}, ` +
              `freeing ${formatBytes(preview.freedBytes)}${note}.\nAlibaba RequestId: ${outcome.requestId}\n`,
          );
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

/** True only when the person typed the confirmation word; Ctrl-C, Ctrl-D or anything else cancels. */
async function confirm(deps: DeleteCommandDeps, count: number): Promise<boolean> {
  const rl = createInterface({ input: deps.stdin, output: deps.io.stdout, terminal: true });
  try {
    const answer = await rl.question(
      `\nThis permanently deletes ${plural(count, 'stream')} and their files. Type "${CONFIRM_WORD}" to confirm: `,
    );
    return answer.trim().toLowerCase() === CONFIRM_WORD;
  } catch {
    return false;
  } finally {
    rl.close();
  }
}
