import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { clipReason, MAX_REASON_LENGTH } from '../../core/requests/reason.js';
import { controlCampaign } from '../campaign-control.js';
import { CampaignView } from '../campaign-view.js';
import type { McpDeps } from '../deps.js';

export const PauseCleanupCampaignInput = z.strictObject({
  id: z.string().max(100).describe('The campaign id (cp-…)'),
  reason: z.string().max(MAX_REASON_LENGTH).optional().describe('Why it is paused: people read it'),
});

/**
 * `pause_cleanup_campaign`: stops an approved or running campaign from starting more items, as the MCP principal
 * (its requester or an approver). It only ever holds deletions back: not destructive. Not idempotent: pausing a
 * paused campaign is refused, so the caller learns it was already paused.
 */
export function registerPauseCleanupCampaignTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'pause_cleanup_campaign',
    {
      title: 'Pause a clean-up campaign',
      description:
        'Pauses an approved or running clean-up campaign: no item starts until someone resumes it (items already ' +
        'deleting finish). Only its requester or an approver may pause it. This tool deletes nothing.',
      inputSchema: PauseCleanupCampaignInput,
      outputSchema: CampaignView,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async (args) =>
      controlCampaign(server, deps, args.id, (campaigns, id, by) => {
        const reason = clipReason(args.reason);
        return campaigns.pause(id, { by, ...(reason ? { reason } : {}) });
      }),
  );
}
