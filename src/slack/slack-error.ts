/** Slack's own error code from a failed Web API call (`not_in_channel`, `plan_upgrade_required`…), if any. */
export function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } } | undefined)?.data?.error;
}

/** What a failed Slack Web API call was, in words an operator can act on. */
export interface SlackFailure {
  /** Slack's code (`not_in_channel`), or what kind of failure it was (`unreachable`, `http_503`). */
  code: string;
  /** What to do about it. */
  hint: string;
  /** Slack could not be reached at all (network, DNS, timeout): not Slack's answer. */
  unreachable: boolean;
  /** Slack refused the bot token: nothing the app does can work until it is fixed. */
  tokenRefused: boolean;
}

const TOKEN_REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
]);

const HINTS: Record<string, string> = {
  not_in_channel: 'invite the app to the channel (/invite @vod-ops)',
  channel_not_found: 'check VOD_OPS_APPROVAL_CHANNEL: a channel id such as C0123456789 that the app can see',
  is_archived: 'the channel is archived: set VOD_OPS_APPROVAL_CHANNEL to another',
  missing_scope: 'give the app the scope it lacks (manifest.yml) and reinstall it',
  ratelimited: 'Slack limits how fast the app may call it; the call is retried later',
  plan_upgrade_required: 'this workspace lacks the feature (user groups, say)',
  user_not_in_channel: 'the user is not in that channel',
  expired_trigger_id: 'the dialog was opened more than 3 s after the click; try again',
};

/**
 * Classifies what `@slack/web-api` threw: a platform error (Slack answered `ok: false` with a code), an HTTP error,
 * a rate limit, or a request error (Slack could not be reached).
 */
export function describeSlackFailure(error: unknown): SlackFailure {
  const e = error as { code?: unknown; statusCode?: unknown } | undefined;
  const platform = slackErrorCode(error);
  if (platform !== undefined) {
    const code = platform.replace(/[^\w.-]/g, '').slice(0, 60);
    const tokenRefused = TOKEN_REFUSED.has(code);
    return {
      code,
      hint: tokenRefused
        ? 'Slack refused the bot token: set SLACK_BOT_TOKEN to the app’s xoxb- token (OAuth & Permissions)'
        : (HINTS[code] ?? 'see https://docs.slack.dev/reference/methods for what this code means'),
      unreachable: false,
      tokenRefused,
    };
  }
  if (e?.code === 'slack_webapi_rate_limited_error') {
    return { code: 'ratelimited', hint: HINTS.ratelimited ?? '', unreachable: false, tokenRefused: false };
  }
  if (e?.code === 'slack_webapi_http_error') {
    const status = Number(e.statusCode);
    return {
      code: `http_${Number.isFinite(status) ? status : 'error'}`,
      hint: 'Slack answered with an HTTP error: it may be having trouble; see https://slack-status.com',
      unreachable: status >= 500,
      tokenRefused: false,
    };
  }
  return {
    code: 'unreachable',
    hint: 'Slack cannot be reached: check this host’s network, proxy and DNS (and SLACK_API_URL if set)',
    unreachable: true,
    tokenRefused: false,
  };
}
