import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { Principal } from '../../core/requests/principal.js';
import { MAX_REASON_LENGTH } from '../../core/requests/reason.js';
import { MAX_JOB_IDS, parseJobIds, parseVideoId } from '../../core/vod/input-rules.js';
import { approvalText } from '../approval-text.js';
import type { McpDeps } from '../deps.js';
import { confirmThenDelete, deleteDirectly } from '../direct-deletion.js';
import { RegionArg } from '../region-arg.js';
import { RequestView, toRequestView } from '../request-view.js';
import { failure, ok } from '../results.js';
import { waitForDecision } from '../wait-for-decision.js';

/** Well under the 60 s at which clients and the SDK give up on a tool call. */
const MAX_WAIT_SECONDS = 45;

export const RequestStreamDeletionInput = z.strictObject({
  videoId: z.string().describe('The VOD VideoId: 32 hexadecimal characters'),
  jobIds: z
    .array(z.string())
    .min(1)
    .max(MAX_JOB_IDS)
    .describe(`1 to ${MAX_JOB_IDS} job IDs of streams of that video, from list_video_streams`),
  region: RegionArg.describe(
    'The VOD region of the video, as list_video_streams returned it; leave it out and vod-ops finds it',
  ),
  reason: z
    .string()
    .min(1)
    .max(MAX_REASON_LENGTH)
    .describe('Why these streams should be deleted: approvers read it'),
  waitSeconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .optional()
    .describe(
      `Wait up to this long (at most ${MAX_WAIT_SECONDS} s) for a decision before returning the handle`,
    ),
});

/**
 * `request_stream_deletion`: destructive. Validates and previews, then (approval mode `slack`) records a
 * deletion request that a person approves in Slack and returns `pending_approval` with its id at once, or after
 * a bounded wait with progress notifications. Modes `elicit` and `none` delete directly (explicit opt-in; see
 * direct-deletion.ts). With no approval path it refuses (fail closed). Its description says which applies.
 */
export function registerRequestStreamDeletionTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'request_stream_deletion',
    {
      title: 'Request deletion of a video’s streams',
      description:
        'Asks for transcoded streams of one ApsaraVideo VOD video to be deleted, with their storage files. ' +
        'IRREVERSIBLE once executed: players using those streams stop working. At most 20 job IDs per call; get ' +
        `them from list_video_streams. ${approvalText(deps.approval, false).tool}`,
      inputSchema: RequestStreamDeletionInput,
      outputSchema: RequestView,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async (args, extra) => {
      try {
        const clientName = server.server.getClientVersion()?.name;
        const requester: Principal = {
          ...deps.principal,
          source: 'mcp',
          ...(clientName ? { clientName } : {}),
        };
        if (deps.approval === 'unavailable') {
          throw new AppError(
            'CONFIG',
            'Deletion requests are refused: no approval path is configured for AI assistants. An operator must ' +
              'configure Slack (SLACK_BOT_TOKEN and VOD_OPS_APPROVAL_CHANNEL) so a person can approve.',
          );
        }
        const input = {
          videoId: parseVideoId(args.videoId),
          jobIds: parseJobIds(args.jobIds),
          ...(args.region === undefined ? {} : { region: args.region }),
          reason: args.reason,
          requester,
        };
        const backend = await deps.backend();
        const allowed = deps.rateLimit.take(requester.id);
        if (!allowed.ok) {
          throw new AppError(
            'CONFLICT',
            `Too many deletion requests from ${requester.id} in the last hour; the next is possible in ` +
              `${Math.ceil(allowed.retryAfterMs / 60_000)} minute(s). Nothing was requested.`,
          );
        }
        // What is refused (job IDs that are not the video's, say) or asks for nothing new (an identical request
        // already waits) does not count against the principal's hour.
        const refundOnError = <T>(work: Promise<T>) =>
          work.catch((error: unknown) => {
            deps.rateLimit.refund(requester.id);
            throw error;
          });
        if (deps.approval === 'none') {
          return ok(await refundOnError(deleteDirectly(deps, backend, input, 'none')));
        }
        if (deps.approval === 'elicit') {
          return ok(await refundOnError(confirmThenDelete(server, deps, backend, input, extra.requestId)));
        }
        const { request, created } = await refundOnError(backend.workflow.requestDeletion(input));
        if (!created) deps.rateLimit.refund(requester.id);
        const settled = args.waitSeconds
          ? await waitForDecision(backend.workflow, request, args.waitSeconds, extra)
          : request;
        return ok({ ...toRequestView(settled, deps.clock.now()), created });
      } catch (error) {
        return failure(error, deps.logger);
      }
    },
  );
}
