import type { Clock } from '../core/clock.js';
import { errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { CampaignWorkflow } from '../core/workflow/campaign-workflow.js';
import type { CampaignMessages } from './campaign-messages.js';
import { approvalMessageOf } from './message-ref.js';
import type { SeenOnce } from './request-guard.js';

/**
 * How often a running campaign's message shows its progress: 10 s is 6 chat.update a minute per campaign, an
 * eighth of Tier 3's ~50 a minute per workspace, which every other campaign and request update shares.
 */
export const CAMPAIGN_PROGRESS_EVERY_MS = 10_000;

export interface CampaignProgressPass {
  /** One pass; never overlaps itself. */
  tick(): Promise<void>;
  /** Stops the timer and waits for a pass under way. */
  stop(): Promise<void>;
}

/**
 * Keeps running campaigns' messages showing their progress. Several replicas run the items of one campaign and
 * each sees only its own items' events, so none can tell the progress alone: every replica passes four times an
 * interval, and for each approved or running campaign, the first to claim the interval (a key in the store's
 * ledger, shared by every process) reads the campaign's progress from the store and updates its message. Intervals
 * are counted on the workflow clock; replicas whose clocks differ by a fraction of an interval may update twice
 * around its edge.
 *
 * A campaign that stops running (paused, completed, cancelled, from any process, the CLI included) is shown once
 * more by one replica, unless the process that changed it already did (see `CampaignMessages.refreshOnce`).
 */
export function startCampaignProgress(options: {
  campaigns: Pick<CampaignWorkflow, 'list' | 'get'>;
  messages: CampaignMessages;
  ledger: SeenOnce;
  clock: Clock;
  everyMs: number;
  logger: Logger;
}): CampaignProgressPass {
  const { campaigns, messages, ledger, clock, everyMs } = options;
  /** The campaigns this replica saw running at its last pass. */
  let running = new Set<string>();
  let current: Promise<void> | undefined;

  const pass = async () => {
    const now = clock.now();
    const interval = Math.floor(now / everyMs);
    const active = await campaigns.list({ statuses: ['approved', 'running'], limit: 100 });
    const seen = new Set(active.map((campaign) => campaign.id));
    for (const campaign of active) {
      if (!approvalMessageOf(campaign)) continue;
      const key = `slack:campaign-progress:${campaign.id}:${interval}`;
      if (await ledger.rememberOnce(key, (interval + 2) * everyMs, now)) {
        await messages.refresh(campaign.id, 'progress');
      }
    }
    for (const id of running) {
      if (seen.has(id)) continue;
      const campaign = await campaigns.get(id);
      if (campaign) await messages.refreshOnce(campaign, 'stopped running');
    }
    running = seen;
  };

  const tick = (): Promise<void> => {
    current ??= pass()
      .catch((error: unknown) => {
        options.logger.error(
          { err: errorSummary(error) },
          'updating campaigns’ progress in Slack failed; retrying',
        );
      })
      .finally(() => {
        current = undefined;
      });
    return current;
  };
  const timer = setInterval(() => void tick(), Math.max(1, Math.floor(everyMs / 4)));
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
