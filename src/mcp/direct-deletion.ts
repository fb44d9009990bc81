import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AppError } from '../core/errors.js';
import { plural } from '../core/format.js';
import { previewDeletion } from '../core/requests/deletion-preview.js';
import type { Principal } from '../core/requests/principal.js';
import type { JobIds, VideoId } from '../core/vod/input-rules.js';
import type { McpBackend, McpDeps } from './deps.js';
import type { RequestView } from './request-view.js';

export interface DeletionAsked {
  videoId: VideoId;
  /** As the assistant named it; found among the regions served otherwise. */
  region?: string;
  jobIds: JobIds;
  reason: string;
  requester: Principal;
}

/**
 * Approval mode `elicit`: shows the client's user exactly what would be deleted and deletes only on an explicit
 * yes. A client that cannot elicit is refused (fail closed); a decline or a dismissal deletes nothing. Every
 * answer is recorded in the audit trail.
 */
export async function confirmThenDelete(
  server: McpServer,
  deps: McpDeps,
  backend: McpBackend,
  asked: DeletionAsked,
  relatedRequestId: string | number,
): Promise<RequestView> {
  if (!server.server.getClientCapabilities()?.elicitation) {
    throw new AppError(
      'FORBIDDEN',
      'Deletion refused: vod-ops requires the user to confirm each deletion, and this MCP client cannot ask its ' +
        'user (no elicitation support). Use a client that supports elicitation, or ask an operator for Slack approval.',
    );
  }
  const { videoId, jobIds, reason } = asked;
  const region = await backend.vod.resolve(videoId, asked.region);
  const preview = await previewDeletion(backend.vod.in(region), videoId, jobIds);
  const streams = preview.toDelete.map((s) => `${s.jobId} (${s.definition} ${s.format})`).join(', ');
  const answer = await server.server.elicitInput(
    {
      mode: 'form',
      message:
        `Delete ${plural(jobIds.length, 'stream')} of video ${videoId} "${preview.video.title}" (${region}) permanently, with their ` +
        `files? ${streams}. ${plural(preview.remaining.length, 'stream')} would remain.` +
        (preview.warnings.length > 0 ? ` WARNING: ${preview.warnings.join(' ')}` : '') +
        // The assistant's words last, on one line and in quotes: they cannot pass for the lines above.
        ` The assistant's reason, in its own words: "${reason.replace(/\s+/g, ' ').trim()}"`,
      requestedSchema: {
        type: 'object',
        properties: { confirm: { type: 'boolean', title: 'Yes, delete these streams permanently' } },
        required: ['confirm'],
      },
    },
    { relatedRequestId, timeout: 55_000 },
  );
  if (answer.action === 'accept' && answer.content?.confirm === true) {
    return deleteDirectly(deps, backend, { ...asked, region }, 'elicitation');
  }
  const status = answer.action === 'cancel' ? 'cancelled' : 'declined';
  await backend.directDeletion.recordRefusal({
    videoId,
    region,
    jobIds,
    actor: asked.requester,
    reason,
    approval: 'elicitation',
    outcome: status,
  });
  return { status, videoId, region, jobIds: [...jobIds], reason, freedBytes: 0, warnings: preview.warnings };
}

/**
 * The deletion runs now (approval mode `none`, or after the user confirmed in mode `elicit`), recorded in the
 * audit trail by core as a direct deletion by the assistant's principal.
 */
export async function deleteDirectly(
  deps: McpDeps,
  backend: McpBackend,
  asked: DeletionAsked,
  approval: 'none' | 'elicitation',
): Promise<RequestView> {
  const { videoId, jobIds, reason } = asked;
  const region = await backend.vod.resolve(videoId, asked.region);
  const preview = await previewDeletion(backend.vod.in(region), videoId, jobIds);
  if (approval === 'none') {
    deps.logger.warn(
      { videoId, jobIds, principal: asked.requester },
      'MCP deletion WITHOUT approval (VOD_OPS_MCP_APPROVAL=none)',
    );
  }
  const { outcome, recorded } = await backend.directDeletion.run({
    videoId,
    region,
    jobIds,
    actor: asked.requester,
    preview,
    reason,
    approval,
  });
  return {
    status: 'deleted',
    videoId,
    region,
    jobIds: [...jobIds],
    reason,
    alibabaRequestId: outcome.requestId,
    alreadyDeleted: outcome.alreadyDeleted,
    freedBytes: preview.freedBytes,
    warnings: recorded
      ? preview.warnings
      : [
          ...preview.warnings,
          'The deletion happened, but its outcome could not be written to the audit trail; the operators can find it in the vod-ops log.',
        ],
  };
}
