import { setImmediate } from 'node:timers/promises';
import type { WebClient } from '@slack/web-api';
import type { AuditConsumer, BatchOutcome } from '../core/audit-trail/audit-follower.js';
import type { Clock } from '../core/clock.js';
import { errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { type AuditEntry, isCampaignEvent, isRequestEvent } from '../core/requests/audit-entry.js';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import type { CampaignWorkflow } from '../core/workflow/campaign-workflow.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import type { ApproverRoster } from './approver-roster.js';
import { approvalMessage, decidedMessage } from './blocks.js';
import type { DirectMessages } from './direct-messages.js';
import {
  approvalMessageOf,
  approvalMessagesOf,
  copiesOf,
  copiesRef,
  type MessageRef,
} from './message-ref.js';
import type { MessageUpdates } from './message-updates.js';
import type { SlackContext, SlackMessage } from './mrkdwn.js';
import { campaignNotice, escalationMessage, reminderMessage, requestNotice } from './notice-text.js';
import { type PeopleSettings, slackUserOf } from './people-settings.js';
import { describeSlackFailure } from './slack-error.js';
import { logSlackFailure, type SlackFailureSink } from './slack-failure-log.js';

/** Request events the requester is told about, privately. */
const TOLD_REQUESTER = new Set(['approved', 'rejected', 'succeeded', 'failed', 'expired', 'cancelled']);
/** Campaign events the requester is told about, privately. */
const TOLD_CAMPAIGN_REQUESTER = new Set([
  'campaign_approved',
  'campaign_rejected',
  'campaign_completed',
  'campaign_cancelled',
  'campaign_expired',
]);
/**
 * People are told of entries at most this old: telling them about what happened long ago is noise (the first start
 * of a deployment with a trail behind it, or the end of a long outage). Messages and Home tabs follow older entries
 * all the same, so they show the state.
 */
export const NOTIFY_WITHIN_MS = 60 * 60_000;
/** At most so many copies of one request go to direct messages (Slack posts about 1 message a second). */
const MAX_COPIES = 50;
/** An entry that fails so many times in a row for another reason than Slack is passed over, so it cannot block the rest. */
const MAX_ENTRY_FAILURES = 3;

/** Whose Home tab shows something that changed. */
export interface HomeRefresher {
  refresh(users: Iterable<string>): Promise<void>;
}

export interface SlackNotificationDeps {
  workflow: DeletionWorkflow;
  campaigns: CampaignWorkflow;
  client: WebClient;
  dms: DirectMessages;
  updates: MessageUpdates;
  roster: ApproverRoster;
  people: PeopleSettings;
  ctx: SlackContext;
  clock: Clock;
  logger: Logger;
  health?: SlackFailureSink;
  /** Told whose Home tab to publish again after each batch. */
  homeTabs?: HomeRefresher;
}

/** Slack could not be reached: the entry is handled again later, by whoever follows the trail then. */
class SlackUnreachable extends Error {}
/** The lease was lost or the process stops: the entry is handled again, by whoever follows the trail next. */
class Interrupted extends Error {}

/** What one entry is handled with: whether people are still told of it, whose Home changes, the batch's signal. */
interface EntryScope {
  fresh: boolean;
  touched: Set<string>;
  signal: AbortSignal;
}

/**
 * What the audit trail means for people in Slack, whichever process wrote it (a click here, a command line
 * elsewhere, the sweeper of another replica): the requester is told each outcome by direct message; approvers get
 * copies to decide on by direct message (`VOD_OPS_NOTIFY_APPROVERS=dm|both`); every copy of an approval message
 * follows the request; reminders and escalations recorded by the workflow are posted; Home tabs are published
 * again. The audit follower hands the entries over in order, in one process at a time, at least once: an entry is
 * done again only if it was interrupted, and then copies already recorded are not sent again.
 */
export function slackNotifications(deps: SlackNotificationDeps): AuditConsumer {
  const { workflow, people, ctx, logger } = deps;
  const copiesToApprovers = people.notifyApprovers !== 'channel';
  /** Failures in a row of the entry at each seq, for passing over one that keeps failing. */
  const failuresAt = new Map<number, number>();

  const direct = async (user: string, message: SlackMessage, fields: Record<string, unknown>) => {
    const outcome = await deps.dms.send(user, message, fields);
    if (outcome.posted === undefined && outcome.retry) throw new SlackUnreachable();
    return outcome.posted;
  };

  /** A reply in the approval message's thread, also shown in the channel. Unreachable Slack: tried again later. */
  const inThread = async (where: MessageRef, message: SlackMessage, fields: Record<string, unknown>) => {
    try {
      await deps.client.chat.postMessage({
        channel: where.channel,
        thread_ts: where.ts,
        reply_broadcast: true,
        ...message,
      });
    } catch (error) {
      logSlackFailure(logger, deps.health, 'chat.postMessage', error, fields, 'could not post in the thread');
      if (describeSlackFailure(error).unreachable) throw new SlackUnreachable();
    }
  };

  /**
   * Sends `users` who have none yet a copy with buttons (of `request`, as the entry's handler just read it), and
   * records each, so that every later change updates it.
   * A request decided meanwhile records nothing: the copies just posted are then shown decided at once.
   */
  const sendCopies = async (request: DeletionRequest, users: readonly string[], scope: EntryScope) => {
    const fields = { request: request.id, copies: true };
    if (request.status !== 'pending') return;
    const have = copiesOf(request);
    const requester = slackUserOf(request.requester, people.principalSlackUsers);
    const room = MAX_COPIES - Object.keys(have).length;
    const to = [...new Set(users)].filter((u) => u !== requester && !(u in have));
    if (to.length > room) {
      logger.warn(
        { ...fields, approvers: to.length },
        `only ${MAX_COPIES} approvers get a copy of a request`,
      );
    }
    const posted = new Map<string, MessageRef>();
    try {
      for (const user of to.slice(0, Math.max(0, room))) {
        if (scope.signal.aborted) throw new Interrupted();
        const copy = await direct(user, approvalMessage(request, ctx), fields);
        if (copy) posted.set(user, copy);
      }
    } finally {
      // Those posted are recorded even when Slack failed midway: they follow the request like the others.
      if (posted.size > 0 && !(await workflow.recordAnnouncementCopies(request.id, copiesRef(posted)))) {
        const decided = await workflow.get(request.id);
        if (decided) {
          for (const where of posted.values()) {
            await deps.updates.send(
              `${request.id}@${where.channel}`,
              where,
              decidedMessage(decided, ctx),
              fields,
            );
          }
        }
      }
    }
  };

  /** Every copy of the request's approval message shows it as stored now (the channel's too, for other processes). */
  const updateCopies = (id: string, fields: Record<string, unknown>) =>
    deps.updates.run(id, fields, async () => {
      const latest = await workflow.get(id);
      if (!latest) return;
      const own = approvalMessageOf(latest);
      for (const where of approvalMessagesOf(latest)) {
        const key =
          own && where.ts === own.ts && where.channel === own.channel ? id : `${id}@${where.channel}`;
        await deps.updates.send(key, where, decidedMessage(latest, ctx), fields);
      }
    });

  /** A reminder or an escalation, posted only while the request is still pending. */
  const onNudge = async (entry: AuditEntry, request: DeletionRequest, scope: EntryScope) => {
    if (!scope.fresh || request.status !== 'pending') return;
    const fields = { request: request.id, event: entry.type };
    const escalated = entry.type === 'escalated';
    const own = approvalMessageOf(request);
    if (escalated) {
      const afterMs = Number(entry.details.afterMs);
      const waitedMs =
        Number.isFinite(afterMs) && afterMs > 0 ? afterMs : Math.max(0, entry.at - request.createdAt);
      if (own) {
        await inThread(
          own,
          escalationMessage(request, waitedMs, await deps.roster.mention('escalation'), ctx),
          fields,
        );
      }
      // The escalation group is new to the request: each gets it with its buttons.
      const group = await deps.roster.escalation();
      for (const user of group) scope.touched.add(user);
      await sendCopies(request, group, scope);
      return;
    }
    const kind = entry.details.kind === 'before_expiry' ? 'before_expiry' : 'interval';
    if (own)
      await inThread(
        own,
        reminderMessage(request, kind, await deps.roster.mention('approvers'), ctx),
        fields,
      );
    if (!copiesToApprovers) return;
    // Reminders by direct message are best effort: a reminder is not worth sending the thread's twice.
    const requester = slackUserOf(request.requester, people.principalSlackUsers);
    const voted = new Set(request.votes.map((v) => v.approver.id));
    const escalation = request.escalatedAt === undefined ? [] : await deps.roster.escalation();
    for (const user of new Set([...(await deps.roster.approvers()), ...escalation])) {
      if (voted.has(user) || user === requester || scope.signal.aborted) continue;
      await deps.dms.send(user, reminderMessage(request, kind, '', ctx), fields);
    }
  };

  const onRequest = async (entry: AuditEntry, request: DeletionRequest, scope: EntryScope) => {
    const fields = { request: request.id, event: entry.type };
    const requester = slackUserOf(request.requester, people.principalSlackUsers);
    if (requester) scope.touched.add(requester);
    const type: string = entry.type;
    if (type === 'reminded' || type === 'escalated') return onNudge(entry, request, scope);
    const approvers = await deps.roster.approvers();
    for (const user of approvers) scope.touched.add(user);
    if (type === 'created') {
      if (scope.fresh && copiesToApprovers) await sendCopies(request, approvers, scope);
      return;
    }
    await updateCopies(request.id, fields);
    if (!scope.fresh || !TOLD_REQUESTER.has(type) || !requester) return;
    // Told of an approval only while it is what happened last: the outcome follows at once otherwise.
    if (type === 'approved' && request.status !== 'approved' && request.status !== 'executing') return;
    // Nobody is told of a cancellation they made themselves.
    const by = request.decision?.by;
    if (type === 'cancelled' && by && slackUserOf(by, people.principalSlackUsers) === requester) return;
    await direct(requester, requestNotice(request, ctx), fields);
  };

  const onCampaign = async (entry: AuditEntry, scope: EntryScope) => {
    if (!TOLD_CAMPAIGN_REQUESTER.has(entry.type) || !entry.requestId) return;
    const campaign = await deps.campaigns.get(entry.requestId);
    if (!campaign) return;
    for (const user of await deps.roster.approvers()) scope.touched.add(user);
    const requester = slackUserOf(campaign.requester, people.principalSlackUsers);
    if (!requester) return;
    scope.touched.add(requester);
    if (!scope.fresh) return;
    if (
      entry.type === 'campaign_approved' &&
      campaign.status !== 'approved' &&
      campaign.status !== 'running'
    ) {
      return;
    }
    const by = campaign.decision?.by;
    if (
      entry.type === 'campaign_cancelled' &&
      by &&
      slackUserOf(by, people.principalSlackUsers) === requester
    ) {
      return;
    }
    await direct(requester, campaignNotice(campaign, ctx), { campaign: campaign.id, event: entry.type });
  };

  const onEntry = async (entry: AuditEntry, scope: EntryScope) => {
    if (entry.requestId && isRequestEvent(entry.type)) {
      const request = await workflow.get(entry.requestId);
      if (request) await onRequest(entry, request, scope);
    } else if (isCampaignEvent(entry.type)) {
      await onCampaign(entry, scope);
    }
  };

  return {
    async handle(entries, signal) {
      const touched = new Set<string>();
      let handledThrough: number | undefined;
      const stop = (failure: string): BatchOutcome => ({
        handled: false,
        failure,
        ...(handledThrough === undefined ? {} : { handledThrough }),
      });
      try {
        for (const entry of entries) {
          if (signal.aborted) return stop('interrupted');
          // Background work: the event loop is let through between entries, for Slack's acknowledgements.
          await setImmediate();
          const seq = entry.seq ?? 0;
          try {
            const fresh = deps.clock.now() - entry.at <= NOTIFY_WITHIN_MS;
            await onEntry(entry, { fresh, touched, signal });
          } catch (error) {
            if (error instanceof SlackUnreachable) return stop('Slack unreachable');
            if (error instanceof Interrupted) return stop('interrupted');
            const failures = (failuresAt.get(seq) ?? 0) + 1;
            const summary = errorSummary(error);
            if (failures < MAX_ENTRY_FAILURES) {
              failuresAt.set(seq, failures);
              return stop(String(summary.code));
            }
            logger.error(
              { seq, type: entry.type, failures, err: summary },
              'passed over an audit entry that kept failing: people are not told of it',
            );
          }
          failuresAt.delete(seq);
          handledThrough = entry.seq;
        }
        return { handled: true };
      } finally {
        if (touched.size > 0) await deps.homeTabs?.refresh(touched);
      }
    },
  };
}
