import { slackUserIds } from './people-settings.js';
import type { UserGroupApprovers } from './usergroup-approvers.js';

/** Who is reached about a request's decision in Slack, as user ids and as one mention for a channel message. */
export interface ApproverRoster {
  /** The approvers who are Slack users: `VOD_OPS_APPROVERS`' Slack ids and `VOD_OPS_APPROVER_GROUP`'s members. */
  approvers(): Promise<string[]>;
  /** The escalation group's Slack users (`VOD_OPS_ESCALATION_GROUP`); none when there is no escalation. */
  escalation(): Promise<string[]>;
  /** The approvers, or the escalation group, as a mention: the user group's handle and the listed users. */
  mention(who: 'approvers' | 'escalation'): Promise<string>;
}

/** A group of people given as a list of principal ids or as a Slack user group. */
export type PeopleGroup = { ids: readonly string[] } | { group: UserGroupApprovers };

/**
 * The roster from the settings the workflow's directories are built from, so the people told are the people who
 * may decide. Only Slack users are listed: an allowlist entry for another front end cannot be sent a message.
 */
export function createApproverRoster(input: {
  approvers: readonly string[];
  group?: UserGroupApprovers;
  escalation?: PeopleGroup;
}): ApproverRoster {
  const approverIds = slackUserIds(input.approvers);
  const escalationIds =
    input.escalation && 'ids' in input.escalation ? slackUserIds(input.escalation.ids) : [];
  const escalationGroup =
    input.escalation && 'group' in input.escalation ? input.escalation.group : undefined;
  const members = async (ids: string[], group: UserGroupApprovers | undefined) => [
    ...new Set([...ids, ...(group ? await group.members() : [])]),
  ];
  const mention = (ids: string[], group: UserGroupApprovers | undefined) =>
    [...(group ? [`<!subteam^${group.groupId}>`] : []), ...ids.map((id) => `<@${id}>`)].join(' ');
  return {
    approvers: () => members(approverIds, input.group),
    escalation: () => members(escalationIds, escalationGroup),
    mention: async (who) =>
      who === 'approvers' ? mention(approverIds, input.group) : mention(escalationIds, escalationGroup),
  };
}
