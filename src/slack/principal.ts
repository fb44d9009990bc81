import type { Principal } from '../core/requests/principal.js';

/** The Slack user of a signed payload as a principal. Identity is only ever taken from the signed payload. */
export function slackPrincipal(user: { id: string; username?: string; name?: string }): Principal {
  return { source: 'slack', id: user.id, displayName: user.username ?? user.name ?? user.id };
}
