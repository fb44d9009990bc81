import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../core/errors.js';
import { createAnnouncer, requestSubjects } from './announcer.js';
import {
  attachCampaignNotifier,
  type CampaignMessages,
  campaignSubjects,
  createCampaignMessages,
} from './campaign-messages.js';
import { startCampaignProgress } from './campaign-progress.js';
import type { SlackDeps } from './deps.js';
import { createMessageUpdates } from './message-updates.js';
import { attachSlackNotifier } from './notifier.js';
import type { SeenOnce } from './request-guard.js';
import type { SlackFailureSink } from './slack-failure-log.js';

/** How often requests and campaigns awaiting approval without a message are looked for, to be posted. */
const ANNOUNCE_INTERVAL_MS = 2_000;

export interface MessageFollowers {
  campaignMessages: CampaignMessages;
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
  options: { health: SlackFailureSink; ledger: SeenOnce; progressEveryMs: number },
): MessageFollowers {
  const { logger } = deps;
  const ctx = { sandbox: deps.sandbox };
  const posting = {
    logger,
    health: options.health,
    ...(deps.approvalChannel ? { approvalChannel: deps.approvalChannel } : {}),
  };
  const updates = createMessageUpdates(client, { logger, health: options.health });
  const requests = createAnnouncer(requestSubjects(deps.workflow, ctx), client, posting);
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
      announcer.announcePending().catch((error: unknown) => {
        logger.error({ err: errorSummary(error) }, `announcing pending ${what} failed; retrying`);
      });
    }
  };
  announce();
  const announcing = setInterval(announce, ANNOUNCE_INTERVAL_MS);
  announcing.unref();

  return {
    campaignMessages,
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
