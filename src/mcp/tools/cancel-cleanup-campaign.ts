import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { CampaignRefusal } from '../../core/campaigns/campaign-lifecycle.js';
import { AppError } from '../../core/errors.js';
import type { Principal } from '../../core/requests/principal.js';
import { clipReason, MAX_REASON_LENGTH } from '../../core/requests/reason.js';
import { findCampaign, readCampaignView } from '../campaign-lookup.js';
import { CampaignView } from '../campaign-view.js';
import type { McpDeps } from '../deps.js';
import { failure, ok } from '../results.js';

export const CancelCleanupCampaignInput = z.strictObject({
  id: z.string().max(100).describe('The campaign id returned by plan_stream_cleanup (cp-…)'),
  reason: z.string().max(MAX_REASON_LENGTH).optional().describe('Why it is withdrawn'),
});

/**
 * `cancel_cleanup_campaign`: stops a campaign that is not finished, as the MCP principal; core decides who may
 * (its requester or an approver). It deletes nothing and only ever prevents deletions: not destructive.
 * Idempotent: a second call changes nothing and answers as the first did.
 */
export function registerCancelCleanupCampaignTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'cancel_cleanup_campaign',
    {
      title: 'Cancel a clean-up campaign',
      description:
        'Stops a clean-up campaign that is not finished. While it is planning or awaiting approval, it can then ' +
        'never be approved and nothing of it is deleted; once approved (running or paused), no item that has ' +
        'not started runs, while items already running finish. Only its requester or an approver may cancel ' +
        'it. This tool deletes nothing. Calling it again on a cancelled campaign answers the same; a completed, ' +
        'rejected or expired campaign cannot be cancelled.',
      inputSchema: CancelCleanupCampaignInput,
      outputSchema: CampaignView,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async (args) => {
      try {
        const clientName = server.server.getClientVersion()?.name;
        const by: Principal = { ...deps.principal, source: 'mcp', ...(clientName ? { clientName } : {}) };
        const { campaigns } = await deps.backend();
        const { id } = await findCampaign(campaigns, args.id);
        const reason = clipReason(args.reason);
        const result = await campaigns.cancel(id, { by, ...(reason ? { reason } : {}) });
        if (result.ok) return ok(await readCampaignView(campaigns, result.campaign, deps));
        const { refusal } = result;
        // Idempotent, as annotated: a cancelled campaign is what the caller asked for, whoever cancelled it.
        if (refusal.kind === 'already_closed' && refusal.status === 'cancelled') {
          const current = await findCampaign(campaigns, id);
          return ok(await readCampaignView(campaigns, current, deps));
        }
        throw refusalError(id, refusal.kind === 'not_found' ? undefined : refusal, by);
      } catch (error) {
        return failure(error, deps.logger, hintFor(error));
      }
    },
  );
}

/** A refusal in a sentence; `undefined` when the campaign is gone (it was found a moment before). */
function refusalError(id: string, refusal: CampaignRefusal | undefined, by: Principal): AppError {
  if (refusal === undefined) return new AppError('NOT_FOUND', `No campaign ${id}.`);
  if (refusal.kind === 'not_allowed_to_cancel') {
    return new AppError(
      'FORBIDDEN',
      `Only campaign ${id}'s requester or an approver may cancel it, and this assistant's principal ` +
        `(mcp:${by.id}) is neither. Nothing was changed.`,
    );
  }
  if (refusal.kind === 'already_closed') {
    return new AppError(
      'CONFLICT',
      `Campaign ${id} is already ${refusal.status}: it is finished, and nothing more of it will be deleted.`,
    );
  }
  return new AppError(
    'CONFLICT',
    `Campaign ${id} cannot be cancelled now (${refusal.kind}): nothing was changed.`,
  );
}

function hintFor(error: unknown): string {
  const code = error instanceof AppError ? error.code : undefined;
  if (code === 'FORBIDDEN') {
    return 'Tell the user: its requester or an approver can cancel it (`vod-ops cleanup cancel <id>`).';
  }
  if (code === 'INVALID_INPUT' || code === 'NOT_FOUND')
    return 'Use the id that plan_stream_cleanup returned (cp-…).';
  return 'Call get_cleanup_campaign to see where the campaign stands.';
}
