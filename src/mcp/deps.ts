import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Principal } from '../core/requests/principal.js';
import type { VodReader } from '../core/vod/vod-api.js';
import type { VodRegions } from '../core/vod/vod-regions.js';
import type { CampaignWorkflow } from '../core/workflow/campaign-workflow.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import type { DirectDeletion } from '../core/workflow/direct-deletion.js';

/**
 * How a deletion an assistant asks for gets decided (`VOD_OPS_MCP_APPROVAL`):
 * - `slack`: a request that people approve in Slack (the default when Slack is configured);
 * - `elicit`: the MCP client's user confirms the exact preview through elicitation (explicit opt-in; refused
 *   when the client cannot elicit). A weaker gate: it proves only that the client said yes;
 * - `none`: executed at once, explicit opt-in only, logged loudly;
 * - `unavailable`: no approval path exists, so deletion requests are refused (fail closed).
 */
export type McpApprovalMode = 'slack' | 'elicit' | 'none' | 'unavailable';

/** At most so many deletion requests and stored clean-up campaigns per principal in a sliding hour, per process. */
export interface RequestRateLimit {
  /** Counts one request; when over the limit, how long until the next one is allowed. */
  take(principal: string): { ok: true } | { ok: false; retryAfterMs: number };
  /** Gives back the last request counted: it was refused, or asked for nothing new. */
  refund(principal: string): void;
}

/** What the MCP server tells the operator's metrics. */
export interface McpTelemetry {
  /** One tool call: the tool's registered name, `ok` or `error` (an `isError` result, or a throw), how long. */
  mcpToolCall(call: { tool: string; outcome: 'ok' | 'error'; seconds: number }): void;
}

/** What the tools call: core's use cases, and VOD's reads. */
export interface McpBackend {
  workflow: DeletionWorkflow;
  directDeletion: DirectDeletion;
  /** Library-wide clean-up campaigns: planned here, approved by people, never executed by an assistant. */
  campaigns: CampaignWorkflow;
  /** VOD's reads, in each region served. */
  vod: VodRegions<VodReader>;
}

export interface McpDeps {
  /**
   * The backend, opened on first use: `vod-ops mcp` answers `initialize` and `tools/list` before it loads
   * Alibaba's engine or opens the store. A failure to open rejects, and the next call tries again.
   */
  backend(): Promise<McpBackend>;
  logger: Logger;
  clock: Clock;
  /** Who is asking: the OS user or VOD_OPS_MCP_PRINCIPAL over stdio, the token's name over HTTP. */
  principal: Omit<Principal, 'clientName'>;
  approval: McpApprovalMode;
  rateLimit: RequestRateLimit;
  /** `VOD_OPS_MCP_READ_ONLY=true`: no deletion tools are registered at all. */
  readOnly: boolean;
  sandbox: boolean;
  /** `VOD_OPS_STORAGE_PRICE_PER_GB_MONTH`, when set: a clean-up's monthly saving is reported with it. */
  storagePricePerGbMonth?: number;
  /** vod-ops's version, for the server's `serverInfo`: the composition root reads it from package.json. */
  version: string;
  /** Where tool calls are counted. Default: nowhere. */
  telemetry?: McpTelemetry;
}
