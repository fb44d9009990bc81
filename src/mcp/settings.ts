import { type Env, readBoolean, readWholeNumber } from '../core/env.js';
import { AppError } from '../core/errors.js';

/** The MCP settings from the environment. Which approval mode applies is decided where things are composed. */
export interface McpSettings {
  /** `VOD_OPS_MCP_APPROVAL`, when set: `slack`, `elicit` or `none`. */
  requestedApproval?: 'slack' | 'elicit' | 'none';
  /** `VOD_OPS_MCP_READ_ONLY=true`: no deletion tool is registered at all. */
  readOnly: boolean;
  /** `VOD_OPS_MCP_REQUESTS_PER_HOUR` (default 30): deletion requests and stored campaigns per principal in a sliding hour. */
  requestsPerHour: number;
}

export function loadMcpSettings(env: Env): McpSettings {
  const readOnly = readBoolean(env, 'VOD_OPS_MCP_READ_ONLY');
  const requestsPerHour = readWholeNumber(env, 'VOD_OPS_MCP_REQUESTS_PER_HOUR', 30, 1, 10_000);
  const raw = (env.VOD_OPS_MCP_APPROVAL ?? '').trim().toLowerCase();
  if (raw !== '' && raw !== 'slack' && raw !== 'elicit' && raw !== 'none') {
    throw new AppError('CONFIG', `VOD_OPS_MCP_APPROVAL="${raw}" is not valid: use slack, elicit or none.`);
  }
  return { ...(raw ? { requestedApproval: raw } : {}), readOnly, requestsPerHour };
}
