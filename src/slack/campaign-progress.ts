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
/**
 * Running campaigns shown at that pace; with more, each is shown less often, so that progress alone never takes
 * more than 24 chat.update a minute, half of Tier 3.
 */
const CAMPAIGNS_AT_FULL_PACE = 4;

export interface CampaignProgressPass {
  /** One pass; never overlaps itself. */
  tick(): Promise<void>;
  /** Stops the timer and waits for a pass under way, which starts no update after this. */
  stop(): Promise<void>;
}

/**
 * Keeps running campaigns' messages showing their progress. Several replicas run the items of one campaign and
 * each sees only its own items' events, so none can tell the progress alone: every replica passes four times an
 * interval, and for each running campaign, the first to claim the interval (a key in the store's ledger, shared
 * by every process) reads the campaign's progress from the store and updates its message. Intervals are counted
 * on the workflow clock; replicas whose clocks differ by a fraction of an interval may update twice around its
 * edge.
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
  let stopped = false;

  const pass = async () => {
    const now = clock.now();
    const active = await campaigns.list({ statuses: ['approved', 'running'], limit: 100 });
    const seen = new Set(active.map((campaign) => campaign.id));
    const shown = active.filter((campaign) => campaign.status === 'running' && approvalMessageOf(campaign));
    // Replicas that count differently for a moment use other keys, and may both update: twice, not never.
    const span = everyMs * Math.max(1, Math.ceil(shown.length / CAMPAIGNS_AT_FULL_PACE));
    const interval = Math.floor(now / span);
    for (const campaign of shown) {
      if (stopped) return;
      const key = `slack:campaign-progress:${campaign.id}:${span}:${interval}`;
      if (await ledger.rememberOnce(key, (interval + 2) * span, now)) {
        await messages.refresh(campaign.id, 'progress');
      }
    }
    for (const id of running) {
      if (stopped) return;
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
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
