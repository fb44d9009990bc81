import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { controlCampaign } from '../campaign-control.js';
import { CampaignView } from '../campaign-view.js';
import type { McpDeps } from '../deps.js';

export const ResumeCleanupCampaignInput = z.strictObject({
  id: z.string().max(100).describe('The campaign id (cp-…)'),
});

/**
 * `resume_cleanup_campaign`: lets a paused campaign run again, as the MCP principal (its requester or an approver).
 * Its items were approved by people, but resuming leads to their deletion: destructive, as annotated, so clients ask
 * their user first. The run is left to the servers' replicas (or `vod-ops cleanup run`), never to this session.
 */
export function registerResumeCleanupCampaignTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'resume_cleanup_campaign',
    {
      title: 'Resume a paused clean-up campaign',
      description:
        'Resumes a paused clean-up campaign: its remaining approved items are then deleted by the vod-ops ' +
        'servers (or `vod-ops cleanup run <id>`), irreversibly. Only its requester or an approver may resume it. ' +
        'Ask the user before calling it: a person paused it.',
      inputSchema: ResumeCleanupCampaignInput,
      outputSchema: CampaignView,
      annotations: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async (args) =>
      controlCampaign(server, deps, args.id, (campaigns, id, by) =>
        campaigns.resumeRun(id, { by, runHere: false }),
      ),
  );
}
