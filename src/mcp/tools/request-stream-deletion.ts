import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AppError, summarizeFailure } from '../../core/errors.js';
import { previewDeletion } from '../../core/requests/deletion-preview.js';
import type { DeletionRequest, Principal } from '../../core/requests/deletion-request.js';
import { MAX_JOB_IDS, parseJobIds, parseVideoId } from '../../core/vod/input-rules.js';
import type { McpBackend, McpDeps } from '../deps.js';
import { RequestView, toRequestView } from '../request-view.js';
import { failure, ok } from '../results.js';

/** Well under the 60 s at which clients and the SDK give up on a tool call. */
export const MAX_WAIT_SECONDS = 45;

export const RequestStreamDeletionInput = z.strictObject({
  videoId: z.string().describe('The VOD VideoId: 32 hexadecimal characters'),
  jobIds: z
    .array(z.string())
    .min(1)
    .max(MAX_JOB_IDS)
    .describe(`1 to ${MAX_JOB_IDS} job IDs of streams of that video, from list_video_streams`),
  reason: z.string().min(1).max(500).describe('Why these streams should be deleted: approvers read it'),
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
 * a bounded wait with progress notifications. Mode `none` executes directly (explicit opt-in). With no approval
 * path it refuses (fail closed).
 */
export function registerRequestStreamDeletionTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'request_stream_deletion',
    {
      title: 'Request deletion of a video’s streams',
      description:
        'Asks for transcoded streams of one ApsaraVideo VOD video to be deleted, with their storage files. ' +
        'IRREVERSIBLE once executed: players using those streams stop working. At most 20 job IDs per call; get ' +
        'them from list_video_streams. The deletion does not happen now: a person must approve it in Slack ' +
        '(never the requester). The result is pending_approval with a requestId (dr-…); the request expires if ' +
        'nobody decides in time (24 h by default). Check it later with get_deletion_request; withdraw it with ' +
        'cancel_deletion_request. An identical pending request is returned instead of a new one.',
      inputSchema: RequestStreamDeletionInput,
      outputSchema: RequestView,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    async ({ videoId, jobIds, reason, waitSeconds }, extra) => {
      try {
        const requester: Principal = {
          ...deps.principal,
          source: 'mcp',
          ...(server.server.getClientVersion()?.name
            ? { clientName: server.server.getClientVersion()?.name }
            : {}),
        };
        if (deps.approval === 'unavailable') {
          throw new AppError(
            'CONFIG',
            'Deletion requests are refused: no approval path is configured for AI assistants. An operator must ' +
              'configure Slack (SLACK_BOT_TOKEN and VOD_OPS_APPROVAL_CHANNEL) so a person can approve.',
          );
        }
        const ready = { ...deps, ...(await deps.backend()) };
        const allowed = deps.rateLimit.take(requester.id);
        if (!allowed.ok) {
          throw new AppError(
            'CONFLICT',
            `Too many deletion requests from ${requester.id} in the last hour; the next is possible in ` +
              `${Math.ceil(allowed.retryAfterMs / 60_000)} minute(s). Nothing was requested.`,
          );
        }
        if (deps.approval === 'none') {
          return ok(await deleteDirectly(ready, requester, videoId, jobIds, reason, 'none'));
        }
        if (deps.approval === 'elicit') {
          return ok(
            await confirmThenDelete(server, ready, requester, { videoId, jobIds, reason }, extra.requestId),
          );
        }
        const { request, created } = await ready.workflow.requestDeletion({
          videoId,
          jobIds,
          reason,
          requester,
        });
        const settled = waitSeconds ? await waitForDecision(ready, request, waitSeconds, extra) : request;
        return ok({ ...toRequestView(settled, deps.clock.now()), created });
      } catch (error) {
        return failure(error);
      }
    },
  );
}

/**
 * Approval mode `elicit`: shows the client's user exactly what would be deleted and deletes only on an explicit
 * yes. A client that cannot elicit is refused (fail closed); a decline or a dismissal deletes nothing. Every
 * answer is recorded in the audit trail.
 */
async function confirmThenDelete(
  server: McpServer,
  deps: McpDeps & McpBackend,
  requester: Principal,
  input: { videoId: string; jobIds: string[]; reason: string },
  relatedRequestId: string | number,
): Promise<RequestView> {
  if (!server.server.getClientCapabilities()?.elicitation) {
    throw new AppError(
      'FORBIDDEN',
      'Deletion refused: vod-ops requires the user to confirm each deletion, and this MCP client cannot ask its ' +
        'user (no elicitation support). Use a client that supports elicitation, or ask an operator for Slack approval.',
    );
  }
  const videoId = parseVideoId(input.videoId);
  const jobIds = parseJobIds(input.jobIds);
  const preview = await previewDeletion(deps.vod, videoId, jobIds);
  const streams = preview.toDelete.map((s) => `${s.jobId} (${s.definition} ${s.format})`).join(', ');
  const answer = await server.server.elicitInput(
    {
      mode: 'form',
      message:
        `Delete ${jobIds.length} stream(s) of video ${videoId} "${preview.video.title}" permanently, with their files? ` +
        `${streams}. ${preview.remaining.length} stream(s) would remain.` +
        (preview.warnings.length > 0 ? ` WARNING: ${preview.warnings.join(' ')}` : '') +
        ` Reason given: ${input.reason}`,
      requestedSchema: {
        type: 'object',
        properties: { confirm: { type: 'boolean', title: 'Yes, delete these streams permanently' } },
        required: ['confirm'],
      },
    },
    { relatedRequestId, timeout: 55_000 },
  );
  if (answer.action === 'accept' && answer.content?.confirm === true) {
    return deleteDirectly(deps, requester, videoId, jobIds, input.reason, 'elicitation');
  }
  const status = answer.action === 'cancel' ? 'cancelled' : 'declined';
  await deps.store.appendAudit([
    {
      at: deps.clock.now(),
      type: 'direct_deletion',
      actor: requester,
      videoId,
      details: { jobIds, reason: input.reason, outcome: status, approval: 'elicitation' },
    },
  ]);
  return { status, videoId, jobIds, reason: input.reason, freedBytes: 0, warnings: preview.warnings };
}

/**
 * The deletion runs now (approval mode `none`, or after the user confirmed in mode `elicit`), recorded in the
 * audit trail as a direct deletion by the assistant's principal.
 */
async function deleteDirectly(
  deps: McpDeps & McpBackend,
  requester: Principal,
  rawVideoId: string,
  rawJobIds: string[],
  reason: string,
  approval: 'none' | 'elicitation',
): Promise<RequestView> {
  const videoId = parseVideoId(rawVideoId);
  const jobIds = parseJobIds(rawJobIds);
  const preview = await previewDeletion(deps.vod, videoId, jobIds);
  if (approval === 'none') {
    deps.logger.warn(
      { videoId, jobIds, principal: requester },
      'MCP deletion WITHOUT approval (VOD_OPS_MCP_APPROVAL=none)',
    );
  }
  const record = (details: Record<string, unknown>) =>
    deps.store.appendAudit([
      {
        at: deps.clock.now(),
        type: 'direct_deletion',
        actor: requester,
        videoId,
        details: { jobIds, reason, approval, ...details },
      },
    ]);
  // Held by the workflow, so that shutdown waits for the deletion and its audit record.
  return deps.workflow.hold(async () => {
    await record({ outcome: 'started' });
    try {
      const outcome = await deps.vod.deleteStream(videoId, jobIds);
      await record({
        outcome: outcome.alreadyDeleted ? 'already_deleted' : 'succeeded',
        requestId: outcome.requestId,
      });
      return {
        status: 'deleted',
        videoId,
        jobIds,
        reason,
        alibabaRequestId: outcome.requestId,
        alreadyDeleted: outcome.alreadyDeleted,
        freedBytes: preview.freedBytes,
        warnings: preview.warnings,
      };
    } catch (error) {
      const { vodCode, requestId } = summarizeFailure(error, 'unexpected error');
      await record({ outcome: 'failed', vodCode, requestId });
      throw error;
    }
  });
}

interface ProgressExtra {
  _meta?: { progressToken?: string | number };
  sendNotification: (notification: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; total: number; message: string };
  }) => Promise<void>;
  signal: AbortSignal;
}

/** Polls the store once a second until the request leaves `pending` or the wait ends, reporting progress. */
async function waitForDecision(
  deps: McpDeps & McpBackend,
  request: DeletionRequest,
  waitSeconds: number,
  extra: ProgressExtra,
): Promise<DeletionRequest> {
  let current = request;
  for (let second = 1; second <= waitSeconds && !extra.signal.aborted; second++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    current = (await deps.workflow.get(request.id)) ?? current;
    const token = extra._meta?.progressToken;
    if (token !== undefined) {
      await extra.sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress: second,
          total: waitSeconds,
          message: `status: ${current.status}`,
        },
      });
    }
    if (current.status !== 'pending' && current.status !== 'approved' && current.status !== 'executing')
      break;
  }
  return current;
}
