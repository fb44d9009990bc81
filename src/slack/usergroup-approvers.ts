import type { WebClient } from '@slack/web-api';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ApproverDirectory } from '../core/requests/approvers.js';
import { slackErrorCode } from './slack-error.js';
import { logSlackFailure, type SlackFailureSink } from './slack-failure-log.js';

/** A user group's approvers, who can also be listed (to be sent direct messages and reminders). */
export interface UserGroupApprovers extends ApproverDirectory {
  readonly groupId: string;
  /** The members as last read (read again after `ttlMs`); none when the workspace has no user groups. */
  members(): Promise<string[]>;
}

/**
 * Approvers from a Slack user group (`VOD_OPS_APPROVER_GROUP`), read with `usergroups.users.list` and cached
 * for `ttlMs`. On workspaces without user groups (`plan_upgrade_required`) it says so once and approves no
 * one, leaving the decision to the allowlist it is combined with. When Slack cannot be reached, the last
 * known membership is used; with none, no one (fail closed).
 * @see https://api.slack.com/methods/usergroups.users.list
 */
export function createUserGroupApprovers(
  client: WebClient,
  groupId: string,
  options: {
    ttlMs: number;
    clock: Clock;
    logger: Logger;
    /** Told of a failed read (the operator's metrics). */
    failures?: SlackFailureSink;
  },
): UserGroupApprovers {
  let members: Set<string> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let unavailable = false;
  let refreshing: Promise<void> | undefined;

  const refresh = async () => {
    try {
      const answer = await client.usergroups.users.list({ usergroup: groupId });
      members = new Set(answer.users ?? []);
      fetchedAt = options.clock.now();
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'plan_upgrade_required') {
        unavailable = true;
        options.logger.warn(
          { group: groupId },
          'this Slack workspace has no user groups (plan_upgrade_required): approvers come from VOD_OPS_APPROVERS only',
        );
      } else {
        logSlackFailure(
          options.logger,
          options.failures,
          'usergroups.users.list',
          error,
          { group: groupId },
          'could not read the approver user group; using the members last read',
        );
      }
    }
  };

  const current = async (): Promise<ReadonlySet<string>> => {
    if (unavailable) return new Set();
    if (options.clock.now() - fetchedAt >= options.ttlMs) {
      refreshing ??= refresh().finally(() => {
        refreshing = undefined;
      });
      await refreshing;
    }
    return members ?? new Set();
  };

  return {
    configured: true,
    groupId,
    async isApprover(principal) {
      return principal.source === 'slack' && (await current()).has(principal.id);
    },
    members: async () => [...(await current())],
  };
}
