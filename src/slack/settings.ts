import type { Env } from '../core/env.js';
import type { SlackSettings } from './app.js';
import { readApproverNotice } from './people-settings.js';

/**
 * Slack settings from the environment: Socket Mode with `SLACK_APP_TOKEN` (xapp-…), HTTP with
 * `SLACK_SIGNING_SECRET`; both need `SLACK_BOT_TOKEN` (xoxb-…). `SLACK_API_URL` points the Web API client
 * elsewhere (tests). Returns what is missing instead, so the server can say so and run the rest.
 */
export function loadSlackSettings(env: Env): { settings: SlackSettings } | { missing: string } {
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim();
  const appToken = env.SLACK_APP_TOKEN?.trim();
  const apiUrl = env.SLACK_API_URL?.trim() || undefined;
  const extra = apiUrl ? { apiUrl } : {};
  if (!botToken) {
    return {
      missing:
        'SLACK_BOT_TOKEN (xoxb-…) is not set, with SLACK_SIGNING_SECRET for HTTP mode or SLACK_APP_TOKEN (xapp-…) ' +
        'for Socket Mode. See the README, "Install the Slack app".',
    };
  }
  if (appToken) return { settings: { mode: 'socket', botToken, appToken, ...extra } };
  if (signingSecret) return { settings: { mode: 'http', botToken, signingSecret, ...extra } };
  return {
    missing:
      'SLACK_BOT_TOKEN is set, but neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode).',
  };
}

/**
 * Whether a `vod-ops serve` with this environment posts requests made outside Slack (by assistants) for
 * approval: it needs the bot token, and the approval channel or approvers reached by direct message
 * (`VOD_OPS_NOTIFY_APPROVERS=dm|both`). A process that only makes requests (`vod-ops mcp`) shares these settings
 * with the server that posts them.
 */
export function slackPostsRequests(env: Env): boolean {
  const byDirectMessage = readApproverNotice(env) !== 'channel';
  return Boolean(env.SLACK_BOT_TOKEN?.trim() && (env.VOD_OPS_APPROVAL_CHANNEL?.trim() || byDirectMessage));
}
