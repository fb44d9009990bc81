import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { findCampaign, readCampaignView } from '../campaign-lookup.js';
import { CampaignView } from '../campaign-view.js';
import type { McpDeps } from '../deps.js';
import { failure, ok } from '../results.js';

export const GetCleanupCampaignInput = z.strictObject({
  id: z.string().max(100).describe('The campaign id returned by plan_stream_cleanup (cp-…)'),
});

/** `get_cleanup_campaign`: read-only; where a campaign stands, its totals, and what its items have come to. */
export function registerGetCleanupCampaignTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'get_cleanup_campaign',
    {
      title: 'Get a clean-up campaign',
      description:
        'Reports where a clean-up campaign stands: planning, pending_approval (waiting for people in Slack, with ' +
        'the approvals so far and those required, until expiresAt), approved, running, paused, completed, ' +
        'rejected, expired (nobody decided in time; not a rejection) or cancelled. With its rule in words, the ' +
        "plan's totals, its items by status (itemsDone, itemsSkipped, itemsFailed, itemsPending, bytesFreed) and " +
        'a few failed or skipped items with their reasons. Read-only.',
      inputSchema: GetCleanupCampaignInput,
      outputSchema: CampaignView,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ id }) => {
      try {
        const { campaigns } = await deps.backend();
        const campaign = await findCampaign(campaigns, id);
        return ok(await readCampaignView(campaigns, campaign, deps));
      } catch (error) {
        return failure(error, deps.logger, 'Use the id that plan_stream_cleanup returned (cp-…).');
      }
    },
  );
}
