import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { campaignRefusalText } from '../core/campaigns/campaign-refusals.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/requests/principal.js';
import type { CampaignAction, CampaignWorkflow } from '../core/workflow/campaign-workflow.js';
import { findCampaign, readCampaignView } from './campaign-lookup.js';
import type { McpDeps } from './deps.js';
import { failure, ok } from './results.js';

/**
 * Pause and resume as an MCP tool does them: as the session's principal (core lets only a campaign's requester or an
 * approver), the refusal in core's own sentence, the campaign's view as the answer.
 */
export async function controlCampaign(
  server: McpServer,
  deps: McpDeps,
  rawId: string,
  act: (campaigns: CampaignWorkflow, id: string, by: Principal) => Promise<CampaignAction>,
) {
  try {
    const clientName = server.server.getClientVersion()?.name;
    const by: Principal = { ...deps.principal, source: 'mcp', ...(clientName ? { clientName } : {}) };
    const { campaigns } = await deps.backend();
    const { id } = await findCampaign(campaigns, rawId);
    const result = await act(campaigns, id, by);
    if (result.ok) return ok(await readCampaignView(campaigns, result.campaign, deps));
    const { code, message } = campaignRefusalText(id, result.refusal);
    throw new AppError(code, `${message} Nothing was changed.`);
  } catch (error) {
    const code = error instanceof AppError ? error.code : undefined;
    return failure(
      error,
      deps.logger,
      code === 'FORBIDDEN'
        ? "Tell the user: the campaign's requester or an approver can do this (`vod-ops cleanup pause|resume <id>`, or the buttons in Slack)."
        : 'Call get_cleanup_campaign to see where the campaign stands.',
    );
  }
}
