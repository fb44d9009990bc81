import { AppError } from '../core/errors.js';
import { type Env, readWholeNumber } from '../core/vod/vod-config.js';
import type { McpApprovalMode } from './deps.js';

/**
 * `VOD_OPS_MCP_APPROVAL`: `slack` (the default when Slack is configured: SLACK_BOT_TOKEN and
 * VOD_OPS_APPROVAL_CHANNEL, where `vod-ops serve` posts assistants' requests), `elicit` (the client's user
 * confirms; explicit opt-in), `none` (explicit opt-in: direct deletion). Unset without Slack: no approval path,
 * deletions refused. `VOD_OPS_MCP_READ_ONLY=true` registers no deletion tool at all.
 * `VOD_OPS_MCP_REQUESTS_PER_HOUR` (default 30) caps deletion requests per principal.
 */
export function loadMcpSettings(env: Env): {
  approval: McpApprovalMode;
  readOnly: boolean;
  requestsPerHour: number;
} {
  const readOnly = parseBoolean(env, 'VOD_OPS_MCP_READ_ONLY');
  const requestsPerHour = readWholeNumber(env, 'VOD_OPS_MCP_REQUESTS_PER_HOUR', 30, 1, 10_000);
  const mode = approvalMode(env);
  return { approval: mode, readOnly, requestsPerHour };
}

function approvalMode(env: Env): McpApprovalMode {
  const slackConfigured = Boolean(env.SLACK_BOT_TOKEN?.trim() && env.VOD_OPS_APPROVAL_CHANNEL?.trim());
  const raw = (env.VOD_OPS_MCP_APPROVAL ?? '').trim().toLowerCase();
  switch (raw) {
    case '':
      return slackConfigured ? 'slack' : 'unavailable';
    case 'slack':
      if (!slackConfigured) {
        throw new AppError(
          'CONFIG',
          'VOD_OPS_MCP_APPROVAL=slack needs SLACK_BOT_TOKEN and VOD_OPS_APPROVAL_CHANNEL (the channel where ' +
            'vod-ops serve posts requests from assistants).',
        );
      }
      return 'slack';
    case 'elicit':
    case 'none':
      return raw;
    default:
      throw new AppError('CONFIG', `VOD_OPS_MCP_APPROVAL="${raw}" is not valid: use slack, elicit or none.`);
  }
}

function parseBoolean(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new AppError('CONFIG', `${name}="${env[name]}" is not valid: use true or false.`);
}
