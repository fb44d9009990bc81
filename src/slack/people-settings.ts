import { type Env, readList } from '../core/env.js';
import { AppError } from '../core/errors.js';
import type { Principal } from '../core/requests/principal.js';

/** Where approvers get a request to decide on: the approval channel, their direct messages, or both. */
export type ApproverNotice = 'channel' | 'dm' | 'both';

/** How the Slack app reaches people, from the environment. */
export interface PeopleSettings {
  /** `VOD_OPS_NOTIFY_APPROVERS` (default `channel`). */
  notifyApprovers: ApproverNotice;
  /**
   * `VOD_OPS_PRINCIPAL_SLACK_USERS`: the Slack user of a requester known elsewhere (an assistant's token name over
   * MCP, an OS user on the command line), so they are told the outcome too. Keys are `id` or `source:id`.
   */
  principalSlackUsers: ReadonlyMap<string, string>;
}

/** Approvers in the approval channel; nobody outside Slack is known. */
export const DEFAULT_PEOPLE_SETTINGS: PeopleSettings = {
  notifyApprovers: 'channel',
  principalSlackUsers: new Map(),
};

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * Reads how people are reached. A bad value stops the start with a sentence naming the variable: a mapping nobody
 * would notice is wrong would leave a requester untold.
 */
export function loadPeopleSettings(env: Env): PeopleSettings {
  const mode = readApproverNotice(env);
  const principalSlackUsers = new Map<string, string>();
  for (const entry of readList(env, 'VOD_OPS_PRINCIPAL_SLACK_USERS', /[\s,]+/)) {
    const at = entry.lastIndexOf('=');
    const key = at > 0 ? entry.slice(0, at).trim() : '';
    const user = at > 0 ? entry.slice(at + 1).trim() : '';
    if (!key || !SLACK_USER_ID.test(user)) {
      throw new AppError(
        'CONFIG',
        `VOD_OPS_PRINCIPAL_SLACK_USERS has "${entry.slice(0, 60)}": write principal=SlackUserId pairs separated ` +
          'by commas, such as ci-bot=U024BE7LH,mcp:alice=U0G9QF9C6 (the Slack user id is in their profile, "Copy member ID").',
      );
    }
    principalSlackUsers.set(key, user);
  }
  return { notifyApprovers: mode, principalSlackUsers };
}

/** `VOD_OPS_NOTIFY_APPROVERS`, checked: `channel` when unset. */
export function readApproverNotice(env: Env): ApproverNotice {
  const mode = env.VOD_OPS_NOTIFY_APPROVERS?.trim() || 'channel';
  if (mode !== 'channel' && mode !== 'dm' && mode !== 'both') {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_NOTIFY_APPROVERS is "${mode.slice(0, 20)}": use channel (the approval channel), dm (each ` +
        'approver by direct message) or both.',
    );
  }
  return mode;
}

/**
 * The Slack user to tell about `principal`'s requests: a Slack principal is one; anyone else only when
 * `VOD_OPS_PRINCIPAL_SLACK_USERS` names them (`source:id` first, then the bare id). vod-ops itself never is.
 */
export function slackUserOf(
  principal: Principal,
  mapping: PeopleSettings['principalSlackUsers'],
): string | undefined {
  if (principal.source === 'slack') return principal.id;
  if (principal.source === 'system') return undefined;
  return mapping.get(`${principal.source}:${principal.id}`) ?? mapping.get(principal.id);
}

/** The Slack user ids among approver entries (`U…`, or `slack:U…`): who can be sent a direct message. */
export function slackUserIds(entries: readonly string[]): string[] {
  const ids = entries.map((e) => (e.startsWith('slack:') ? e.slice('slack:'.length) : e));
  return [...new Set(ids.filter((id) => SLACK_USER_ID.test(id)))];
}
