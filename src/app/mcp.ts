import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Clock } from '../core/clock.js';
import type { Env } from '../core/env.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { McpApprovalMode, McpBackend, McpTelemetry } from '../mcp/deps.js';
import { createRequestRateLimit } from '../mcp/rate-limit.js';
import { createMcpServer } from '../mcp/server.js';
import { loadMcpSettings } from '../mcp/settings.js';
import { slackPostsRequests } from '../slack/settings.js';
import { packageVersion } from './version.js';

/** The MCP server's settings with the approval mode decided. */
export interface McpOptions {
  approval: McpApprovalMode;
  readOnly: boolean;
  requestsPerHour: number;
}

/**
 * Reads the MCP settings and decides how assistants' deletions are approved: `slack` by default when a server
 * with these settings posts requests to Slack (SLACK_BOT_TOKEN and VOD_OPS_APPROVAL_CHANNEL), `elicit` and `none`
 * only when asked for, and otherwise no approval path at all (deletion requests refused: fail closed).
 */
export function loadMcpOptions(env: Env): McpOptions {
  const { requestedApproval, readOnly, requestsPerHour } = loadMcpSettings(env);
  const slack = slackPostsRequests(env);
  if (requestedApproval === 'slack' && !slack) {
    throw new AppError(
      'CONFIG',
      'VOD_OPS_MCP_APPROVAL=slack needs SLACK_BOT_TOKEN and VOD_OPS_APPROVAL_CHANNEL (the channel where ' +
        'vod-ops serve posts requests from assistants) or VOD_OPS_NOTIFY_APPROVERS=dm (approvers reached by direct message).',
    );
  }
  const approval = requestedApproval ?? (slack ? 'slack' : 'unavailable');
  return { approval, readOnly, requestsPerHour };
}

/**
 * Makes the MCP server of one session (stdio has one; Streamable HTTP one per session) for a principal. The
 * request limit is one per process, shared by every session of a principal.
 */
export function createMcpServerFactory(options: {
  mcp: McpOptions;
  backend: () => Promise<McpBackend>;
  logger: Logger;
  clock: Clock;
  sandbox: boolean;
  /** For the monthly saving of a clean-up campaign (`VOD_OPS_STORAGE_PRICE_PER_GB_MONTH`). */
  storagePricePerGbMonth?: number;
  /** Where tool calls are counted (`vod-ops serve`'s metrics). */
  telemetry?: McpTelemetry;
}): (principal: string) => McpServer {
  const rateLimit = createRequestRateLimit(options.mcp.requestsPerHour, () => options.clock.now());
  const version = packageVersion();
  return (principal) =>
    createMcpServer({
      backend: options.backend,
      logger: options.logger,
      clock: options.clock,
      principal: { source: 'mcp', id: principal, displayName: principal },
      approval: options.mcp.approval,
      rateLimit,
      readOnly: options.mcp.readOnly,
      sandbox: options.sandbox,
      storagePricePerGbMonth: options.storagePricePerGbMonth,
      version,
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    });
}
