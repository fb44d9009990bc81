import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { approvalText } from './approval-text.js';
import { countToolCalls } from './counted-tools.js';
import type { McpDeps } from './deps.js';
import { registerCancelCleanupCampaignTool } from './tools/cancel-cleanup-campaign.js';
import { registerCancelDeletionRequestTool } from './tools/cancel-deletion-request.js';
import { registerGetCleanupCampaignTool } from './tools/get-cleanup-campaign.js';
import { registerGetDeletionRequestTool } from './tools/get-deletion-request.js';
import { registerListVideoStreamsTool } from './tools/list-video-streams.js';
import { registerPauseCleanupCampaignTool } from './tools/pause-cleanup-campaign.js';
import { registerPlanStreamCleanupTool } from './tools/plan-stream-cleanup.js';
import { registerRequestStreamDeletionTool } from './tools/request-stream-deletion.js';
import { registerResumeCleanupCampaignTool } from './tools/resume-cleanup-campaign.js';

/** What the instructions say of clean-up campaigns, which people approve whatever the approval mode. */
const CAMPAIGNS = {
  readOnly: ' get_cleanup_campaign reports library-wide clean-up campaigns.',
  write:
    ' For a library-wide clean-up, plan_stream_cleanup counts what a rule would free (dryRun) and asks for a ' +
    "campaign that people must approve; an assistant never deletes a campaign's streams itself. " +
    'get_cleanup_campaign reports it; cancel_cleanup_campaign withdraws it; pause_cleanup_campaign and ' +
    'resume_cleanup_campaign hold it back and let it go on (its requester or an approver).',
};

/**
 * The MCP server: one per session. Read tools always; the tools that ask for deletions (a request, a clean-up
 * campaign) or withdraw them unless read-only mode, where they are not registered at all. What an assistant's deletion leads to depends on the approval mode, and the instructions
 * and the tool's description say which (approval-text.ts).
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 */
export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(
    { name: 'vod-ops', version: deps.version },
    {
      instructions:
        approvalText(deps.approval, deps.readOnly).instructions +
        (deps.readOnly ? CAMPAIGNS.readOnly : CAMPAIGNS.write) +
        (deps.sandbox ? ' SANDBOX: the VOD service is a local emulator with demo videos.' : ''),
    },
  );
  const tools = deps.telemetry ? countToolCalls(server, deps.telemetry, deps.clock) : server;
  registerListVideoStreamsTool(tools, deps);
  registerGetDeletionRequestTool(tools, deps);
  registerGetCleanupCampaignTool(tools, deps);
  if (!deps.readOnly) {
    registerRequestStreamDeletionTool(tools, deps);
    registerCancelDeletionRequestTool(tools, deps);
    registerPlanStreamCleanupTool(tools, deps);
    registerCancelCleanupCampaignTool(tools, deps);
    registerPauseCleanupCampaignTool(tools, deps);
    registerResumeCleanupCampaignTool(tools, deps);
  }
  return server;
}
