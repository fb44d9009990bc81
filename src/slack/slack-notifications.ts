import type { WebClient } from '@slack/web-api';
import type { AuditConsumer } from '../core/audit-trail/audit-follower.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { type AuditEntry, isCampaignEvent, isRequestEvent } from '../core/requests/audit-entry.js';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import { samePrincipal } from '../core/requests/principal.js';
import type { CampaignWorkflow } from '../core/workflow/campaign-workflow.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import type { ApproverRoster } from './approver-roster.js';
import { approvalMessage, decidedMessage } from './blocks.js';
import type { DirectMessages } from './direct-messages.js';
import { approvalMessageOf, approvalMessagesOf, type MessageRef, withCopies } from './message-ref.js';
import type { MessageUpdates } from './message-updates.js';
import type { SlackContext, SlackMessage } from './mrkdwn.js';
import { campaignNotice, escalationMessage, reminderMessage, requestNotice } from './notice-text.js';
import { type PeopleSettings, slackUserOf } from './people-settings.js';
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
 * Entries older than this are passed over: telling people about what happened long ago is noise (the first start
 * of a deployment with a trail behind it, or the end of a long outage). The messages themselves show the state.
 */
export const NOTIFY_WITHIN_MS = 60 * 60_000;
/** At most so many approvers get a copy of one request by direct message (Slack posts about 1 message a second). */
const MAX_COPIES = 50;

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

/**
 * What the audit trail means for people in Slack, whichever process wrote it (a click here, a command line
 * elsewhere, the sweeper of another replica): the requester is told each outcome by direct message; approvers get
 * copies to decide on by direct message (`VOD_OPS_NOTIFY_APPROVERS=dm|both`); every copy of an approval message
 * follows the request; reminders and escalations recorded by the workflow are posted; Home tabs are published
 * again. The audit follower hands the entries over in order, in one process at a time, at least once.
 */
export function slackNotifications(deps: SlackNotificationDeps): AuditConsumer {
  const { workflow, people, ctx, logger } = deps;
  const copiesToApprovers = people.notifyApprovers !== 'channel';

  const direct = async (user: string, message: SlackMessage, fields: Record<string, unknown>) => {
    const outcome = await deps.dms.send(user, message, fields);
    if (outcome.posted === undefined && outcome.retry) throw new SlackUnreachable();
    return outcome.posted;
  };

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
    }
  };

  /** Sends copies with buttons to `users` and records them, so that every later change updates them too. */
  const sendCopies = async (request: DeletionRequest, users: string[], fields: Record<string, unknown>) => {
    const requester = slackUserOf(request.requester, people.principalSlackUsers);
    const to = users.filter((u) => u !== requester);
    if (to.length > MAX_COPIES) {
      logger.warn({ ...fields, approvers: to.length }, `only the first ${MAX_COPIES} approvers get a copy`);
    }
    const posted: MessageRef[] = [];
    try {
      for (const user of to.slice(0, MAX_COPIES)) {
        const copy = await direct(user, approvalMessage(request, ctx), fields);
        if (copy) posted.push(copy);
      }
    } finally {
      // Those posted are recorded even when Slack failed midway: they follow the request like the others.
      if (posted.length > 0) {
        const latest = await workflow.get(request.id);
        await workflow.recordAnnouncement(request.id, withCopies(latest?.announcement?.ref, posted));
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

  const onRequest = async (entry: AuditEntry, request: DeletionRequest, touched: Set<string>) => {
    const fields = { request: request.id, event: entry.type };
    const requester = slackUserOf(request.requester, people.principalSlackUsers);
    if (requester) touched.add(requester);
    const type: string = entry.type;
    if (type === 'created') {
      for (const user of await deps.roster.approvers()) touched.add(user);
      if (copiesToApprovers && request.status === 'pending') {
        await sendCopies(request, await deps.roster.approvers(), fields);
      }
      return;
    }
    if (type === 'reminded' || type === 'escalated') {
      if (request.status !== 'pending') return;
      const escalated = type === 'escalated';
      const kind = entry.details.kind === 'before_expiry' ? 'before_expiry' : 'interval';
      const waitedMs = Number(entry.details.afterMs ?? entry.at - request.createdAt);
      const mention = await deps.roster.mention(escalated ? 'escalation' : 'approvers');
      const build = (who: string) =>
        escalated ? escalationMessage(request, waitedMs, who, ctx) : reminderMessage(request, kind, who, ctx);
      const own = approvalMessageOf(request);
      if (own) await inThread(own, build(mention), fields);
      if (escalated) {
        // The escalation group is new to the request: each gets it with its buttons.
        const already = copiesToApprovers ? new Set(await deps.roster.approvers()) : new Set<string>();
        const group = (await deps.roster.escalation()).filter((u) => !already.has(u));
        for (const user of group) touched.add(user);
        await sendCopies(request, group, fields);
      } else if (copiesToApprovers) {
        const voted = new Set(request.votes.map((v) => v.approver.id));
        const escalation = request.escalatedAt === undefined ? [] : await deps.roster.escalation();
        const users = [...new Set([...(await deps.roster.approvers()), ...escalation])];
        for (const user of users) {
          if (voted.has(user) || user === requester) continue;
          await direct(user, build(''), fields);
        }
      }
      return;
    }
    await updateCopies(request.id, fields);
    for (const user of await deps.roster.approvers()) touched.add(user);
    if (!TOLD_REQUESTER.has(type) || !requester) return;
    // Told of an approval only while it is what happened last: the outcome follows at once otherwise.
    if (type === 'approved' && request.status !== 'approved' && request.status !== 'executing') return;
    // Nobody is told what they did themselves.
    if (
      request.decision?.by &&
      samePrincipal(request.decision.by, request.requester) &&
      type === 'cancelled'
    ) {
      return;
    }
    await direct(requester, requestNotice(request, ctx), fields);
  };

  const onCampaign = async (entry: AuditEntry, touched: Set<string>) => {
    if (!TOLD_CAMPAIGN_REQUESTER.has(entry.type) || !entry.requestId) return;
    const campaign = await deps.campaigns.get(entry.requestId);
    if (!campaign) return;
    const requester = slackUserOf(campaign.requester, people.principalSlackUsers);
    for (const user of await deps.roster.approvers()) touched.add(user);
    if (!requester) return;
    touched.add(requester);
    if (
      entry.type === 'campaign_approved' &&
      campaign.status !== 'approved' &&
      campaign.status !== 'running'
    ) {
      return;
    }
    const self = campaign.decision?.by && samePrincipal(campaign.decision.by, campaign.requester);
    if (entry.type === 'campaign_cancelled' && self) return;
    await direct(requester, campaignNotice(campaign, ctx), { campaign: campaign.id, event: entry.type });
  };

  return {
    async handle(entries) {
      const touched = new Set<string>();
      let handledThrough: number | undefined;
      let stale = 0;
      try {
        for (const entry of entries) {
          if (deps.clock.now() - entry.at > NOTIFY_WITHIN_MS) stale++;
          else if (entry.requestId && isRequestEvent(entry.type)) {
            const request = await workflow.get(entry.requestId);
            if (request) await onRequest(entry, request, touched);
          } else if (isCampaignEvent(entry.type)) {
            await onCampaign(entry, touched);
          }
          handledThrough = entry.seq;
        }
        if (stale > 0) logger.info({ stale }, 'passed over audit entries too old to tell people about');
        return { handled: true };
      } catch (error) {
        if (!(error instanceof SlackUnreachable)) throw error;
        return {
          handled: false,
          failure: 'Slack unreachable',
          ...(handledThrough === undefined ? {} : { handledThrough }),
        };
      } finally {
        if (touched.size > 0) await deps.homeTabs?.refresh(touched);
      }
    },
  };
}
