import type { CampaignStatus } from '../core/campaigns/campaign.js';
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
/* Updates are paced a little over that apart (below): about 5 a minute, never more than 6. */
/**
 * Running campaigns shown at that pace; with more, each is shown less often, so that progress alone never takes
 * more than 24 chat.update a minute, half of Tier 3.
 */
const CAMPAIGNS_AT_FULL_PACE = 4;
/** The statuses a campaign's message can still change from. */
const OPEN: readonly CampaignStatus[] = ['pending', 'approved', 'running', 'paused'];
const CLOSED: readonly CampaignStatus[] = ['completed', 'rejected', 'expired', 'cancelled'];
/** Closed campaigns a replica looks at when it starts, for a change it missed while it was not running. */
const CLOSED_AT_START = 20;

export interface CampaignProgressPass {
  /** One pass; never overlaps itself. */
  tick(): Promise<void>;
  /** Stops the timer and waits for a pass under way, which starts no update after this. */
  stop(): Promise<void>;
}

/**
 * Keeps running campaigns' messages showing their progress. Several replicas run the items of one campaign and
 * each sees only its own items' events, so none can tell the progress alone: every replica passes four times an
 * interval, and for each running campaign, the first to find its key in the store's ledger (shared by every
 * process) gone takes it for one interval, reads the campaign's progress from the store and updates its message.
 * Updates are so at least an interval apart, whichever replica sends them, and the first comes an interval after
 * the start (which showed the campaign running). Time is the workflow clock's; replicas whose clocks differ by a
 * fraction of an interval may update that much sooner.
 *
 * The same pass follows the status of every open campaign: events reach only the process that stored the change,
 * so a change made elsewhere (`vod-ops cleanup cancel`, `vod-ops mcp`) would otherwise leave the message behind.
 * A campaign whose status changed since the last pass is shown once more by one replica, unless the process that
 * changed it already did (see `CampaignMessages.refreshOnce`). A replica's first pass, at start, has no last pass:
 * it offers every campaign past approval, open or among the latest closed, to be shown once, in case it changed
 * while no replica was running.
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
  /** The open campaigns this replica saw at its last pass, and their status then; none before its first. */
  let known: Map<string, CampaignStatus> | undefined;
  let current: Promise<void> | undefined;
  let stopped = false;

  const pass = async () => {
    const now = clock.now();
    const open = await campaigns.list({ statuses: OPEN, limit: 200 });
    const shown = open.filter((campaign) => campaign.status === 'running' && approvalMessageOf(campaign));
    const span = everyMs * Math.max(1, Math.ceil(shown.length / CAMPAIGNS_AT_FULL_PACE));
    for (const campaign of shown) {
      if (stopped) return;
      // Its start already showed it running: the first progress comes a whole span later.
      if (now - (campaign.execution?.startedAt ?? 0) < span) continue;
      // Paced from the last update whichever replica sent it: the first pass to find the key gone (or expired) takes
      // it for a span and an eighth, so that updates are more than a span apart (at 10 s, never 7 in a minute,
      // however the replicas' passes and Slack's answers fall) and come every 12.5 s with passes four a span.
      if (await ledger.rememberOnce(`slack:campaign-progress:${campaign.id}`, now + span + span / 8, now)) {
        await messages.refresh(campaign.id, 'progress');
      }
    }
    const seen = new Map(open.map((campaign) => [campaign.id, campaign.status]));
    if (!known) {
      const closed = await campaigns.list({ statuses: CLOSED, limit: CLOSED_AT_START });
      for (const campaign of [...open, ...closed]) {
        if (stopped) return;
        if (campaign.status !== 'pending') await messages.refreshOnce(campaign, 'start');
      }
      known = seen;
      return;
    }
    for (const campaign of open) {
      const before = known.get(campaign.id);
      if (stopped) return;
      if (before !== undefined && before !== campaign.status) await messages.refreshOnce(campaign, 'changed');
    }
    for (const id of known.keys()) {
      if (stopped) return;
      if (seen.has(id)) continue;
      const campaign = await campaigns.get(id);
      if (campaign) await messages.refreshOnce(campaign, 'closed');
    }
    known = seen;
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
  void tick();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
