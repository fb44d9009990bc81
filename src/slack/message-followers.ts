import type { WebClient } from '@slack/web-api';
import type { AuditConsumer } from '../core/audit-trail/audit-follower.js';
import { errorSummary } from '../core/errors.js';
import { createAnnouncer, requestSubjects } from './announcer.js';
import { createApproverRoster } from './approver-roster.js';
import {
  attachCampaignNotifier,
  type CampaignMessages,
  campaignSubjects,
  createCampaignMessages,
} from './campaign-messages.js';
import { startCampaignProgress } from './campaign-progress.js';
import type { SlackDeps } from './deps.js';
import { createDirectMessages } from './direct-messages.js';
import { createMessageUpdates } from './message-updates.js';
import { attachSlackNotifier } from './notifier.js';
import { DEFAULT_PEOPLE_SETTINGS } from './people-settings.js';
import type { SeenOnce } from './request-guard.js';
import type { SlackFailureSink } from './slack-failure-log.js';
import { type HomeRefresher, slackNotifications } from './slack-notifications.js';

/** How often requests and campaigns awaiting approval without a message are looked for, to be posted. */
const ANNOUNCE_INTERVAL_MS = 2_000;

export interface MessageFollowers {
  campaignMessages: CampaignMessages;
  /**
   * What the audit trail means for people in Slack (see slack-notifications.ts), for the composition root to
   * follow the trail with, in one replica at a time.
   */
  notifications: AuditConsumer;
  /**
   * Stops following the store and workflow events, and waits for message updates under way, at most `timeoutMs`
   * (Slack may not answer). Returns how many were left unsent.
   */
  stop(timeoutMs: number): Promise<number>;
}

/**
 * What keeps the approval channel true to the store: requests and campaigns made elsewhere are posted (at start,
 * then every 2 s, by whichever replica claims each), messages follow this process's workflow events, and running
 * campaigns' messages show their progress every `progressEveryMs`, updated by one replica per interval.
 */
export function startMessageFollowers(
  deps: SlackDeps,
  client: WebClient,
  options: {
    health: SlackFailureSink;
    ledger: SeenOnce;
    progressEveryMs: number;
    /** Whose Home tab to publish again when the trail says something changed. */
    homeTabs?: HomeRefresher;
  },
): MessageFollowers {
  const { logger } = deps;
  const ctx = { sandbox: deps.sandbox };
  const posting = {
    logger,
    health: options.health,
    ...(deps.approvalChannel ? { approvalChannel: deps.approvalChannel } : {}),
  };
  const people = deps.people ?? DEFAULT_PEOPLE_SETTINGS;
  const roster = deps.roster ?? createApproverRoster({ approvers: [] });
  const updates = createMessageUpdates(client, { logger, health: options.health });
  // With approvers reached by direct message only, requests from outside Slack are not posted in a channel.
  const requests =
    people.notifyApprovers === 'dm'
      ? undefined
      : createAnnouncer(requestSubjects(deps.workflow, ctx), client, posting);
  const requestNotifier = attachSlackNotifier(
    deps.workflow,
    client,
    { ...posting, ...ctx },
    requests,
    updates,
  );

  const view = {
    ...ctx,
    ...(deps.storagePricePerGbMonth === undefined ? {} : { pricePerGbMonth: deps.storagePricePerGbMonth }),
  };
  const campaigns = createAnnouncer(campaignSubjects(deps.campaigns, view), client, posting);
  const campaignMessages = createCampaignMessages(deps.campaigns, updates, {
    ...view,
    ledger: options.ledger,
    clock: deps.clock,
  });
  const campaignNotifier = attachCampaignNotifier(deps.campaigns, campaignMessages, campaigns);
  const progress = startCampaignProgress({
    campaigns: deps.campaigns,
    messages: campaignMessages,
    ledger: options.ledger,
    clock: deps.clock,
    everyMs: options.progressEveryMs,
    logger,
  });

  // Requests from assistants in other processes (vod-ops mcp) and campaigns planned elsewhere (vod-ops cleanup
  // plan) reach Slack through the store.
  const announce = () => {
    for (const [what, announcer] of [
      ['requests', requests],
      ['campaigns', campaigns],
    ] as const) {
      announcer?.announcePending().catch((error: unknown) => {
        logger.error({ err: errorSummary(error) }, `announcing pending ${what} failed; retrying`);
      });
    }
  };
  announce();
  const announcing = setInterval(announce, ANNOUNCE_INTERVAL_MS);
  announcing.unref();

  if (people.notifyApprovers !== 'channel') {
    void roster.approvers().then((users) => {
      if (users.length === 0) {
        logger.error(
          { notifyApprovers: people.notifyApprovers },
          'VOD_OPS_NOTIFY_APPROVERS sends approvers direct messages, but no approver is a Slack user: list Slack ' +
            'user ids in VOD_OPS_APPROVERS or set VOD_OPS_APPROVER_GROUP, or requests from outside Slack reach nobody',
        );
      }
    });
  }
  const notifications = slackNotifications({
    workflow: deps.workflow,
    campaigns: deps.campaigns,
    client,
    dms: createDirectMessages(client, { logger, health: options.health }),
    updates,
    roster,
    people,
    ctx,
    clock: deps.clock,
    logger,
    health: options.health,
    ...(options.homeTabs ? { homeTabs: options.homeTabs } : {}),
  });

  return {
    campaignMessages,
    notifications,
    async stop(timeoutMs) {
      clearInterval(announcing);
      const started = deps.clock.monotonic();
      // A pass waiting on Slack must not hold shutdown: its updates are counted as unsent below.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        progress.stop(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      requestNotifier.detach();
      campaignNotifier.detach();
      return updates.idle(Math.max(0, timeoutMs - (deps.clock.monotonic() - started)));
    },
  };
}
