import { WebClient } from '@slack/web-api';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ApproverDirectory } from '../core/requests/approvers.js';
import type { WorkflowSettings } from '../core/workflow/workflow-settings.js';
import type { SlackSettings } from '../slack/app.js';
import { type ApproverRoster, createApproverRoster } from '../slack/approver-roster.js';
import type { SlackTelemetry } from '../slack/deps.js';
import { describeSlackFailure } from '../slack/slack-error.js';
import { createUserGroupApprovers, type UserGroupApprovers } from '../slack/usergroup-approvers.js';

/** How long a user group's members are trusted before Slack is asked again. */
const GROUP_CACHE_MS = 5 * 60_000;

/**
 * Who decides, as far as Slack knows them: the approver group (`VOD_OPS_APPROVER_GROUP`) and the escalation group
 * (`VOD_OPS_ESCALATION_GROUP` as a user group) as directories for the workflow, made when the runtime asks, and the
 * roster the Slack app reaches people through, listing the same groups' members. Without Slack, no group resolves.
 */
export interface SlackPeople {
  approvers(logger: Logger): ApproverDirectory[];
  escalationApprovers(logger: Logger): ApproverDirectory[];
  /** After the runtime has asked for the directories. */
  roster(): ApproverRoster;
}

export function createSlackPeople(
  slack: SlackSettings | undefined,
  workflow: Pick<WorkflowSettings, 'approvers' | 'approverGroup' | 'escalation'>,
  options: { clock: Clock; telemetry?: SlackTelemetry },
): SlackPeople {
  let approverGroup: UserGroupApprovers | undefined;
  let escalationGroup: UserGroupApprovers | undefined;
  const { escalation } = workflow;
  const userGroup = (groupId: string | undefined, logger: Logger): UserGroupApprovers | undefined => {
    if (!groupId || !slack) return undefined;
    const client = new WebClient(slack.botToken, { ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}) });
    const { telemetry } = options;
    const failures = telemetry && {
      noteFailure: (error: unknown, method: string) =>
        telemetry.slackApiError({ method, code: describeSlackFailure(error).code }),
    };
    return createUserGroupApprovers(client, groupId, {
      ttlMs: GROUP_CACHE_MS,
      clock: options.clock,
      logger,
      ...(failures ? { failures } : {}),
    });
  };
  return {
    approvers(logger) {
      approverGroup = userGroup(workflow.approverGroup, logger);
      return approverGroup ? [approverGroup] : [];
    },
    escalationApprovers(logger) {
      escalationGroup = userGroup(escalation && 'group' in escalation ? escalation.group : undefined, logger);
      return escalationGroup ? [escalationGroup] : [];
    },
    roster: () =>
      createApproverRoster({
        approvers: workflow.approvers,
        ...(approverGroup ? { group: approverGroup } : {}),
        ...(escalationGroup
          ? { escalation: { group: escalationGroup } }
          : escalation && 'approvers' in escalation
            ? { escalation: { ids: escalation.approvers } }
            : {}),
      }),
  };
}
