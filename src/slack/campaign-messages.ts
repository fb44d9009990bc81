import type { Campaign } from '../core/campaigns/campaign.js';
import type { Clock } from '../core/clock.js';
import type { CampaignWorkflow } from '../core/workflow/campaign-workflow.js';
import type { AnnouncedSubjects, Announcer } from './announcer.js';
import { type CampaignView, campaignMessage } from './campaign-blocks.js';
import { approvalMessageOf } from './message-ref.js';
import type { MessageUpdates } from './message-updates.js';
import type { SlackContext } from './mrkdwn.js';
import type { SeenOnce } from './request-guard.js';

/** Items shown as a sample of what a campaign deletes. */
const SAMPLE_ITEMS = 5;
/**
 * How long a shown state is remembered, for every replica: far longer than replicas take to notice it, and long
 * enough that a replica starting later does not show closed campaigns again.
 */
const SHOWN_KEEP_MS = 7 * 24 * 3_600_000;

type Campaigns = Pick<
  CampaignWorkflow,
  | 'get'
  | 'items'
  | 'progress'
  | 'subscribe'
  | 'claimAnnouncement'
  | 'recordAnnouncement'
  | 'awaitingAnnouncement'
>;

export interface CampaignMessageOptions extends SlackContext {
  pricePerGbMonth?: number;
}

/** Keeps campaigns' approval messages true to the store, in this process. */
export interface CampaignMessages {
  /**
   * Updates the campaign's message to what is stored now (its status, its progress). Should the campaign change
   * status while the update is on its way, it is sent once more: an update from this process never stays over a
   * newer one from another.
   */
  refresh(id: string, why: string): Promise<void>;
  /**
   * Like `refresh`, unless any process sharing the store already showed this version of the campaign: of several
   * replicas that see the same change, one updates the message.
   */
  refreshOnce(campaign: Campaign, why: string): Promise<void>;
}

/** What a campaign's message shows, read from the store now. */
export async function readCampaignView(
  campaigns: Pick<CampaignWorkflow, 'get' | 'items' | 'progress'>,
  id: string,
  options: CampaignMessageOptions,
): Promise<CampaignView | undefined> {
  const campaign = await campaigns.get(id);
  if (!campaign) return undefined;
  const [sample, progress] = await Promise.all([
    campaigns.items(id, { limit: SAMPLE_ITEMS }),
    campaign.execution ? campaigns.progress(id) : undefined,
  ]);
  return {
    campaign,
    sample,
    ...(progress ? { progress } : {}),
    ...(options.pricePerGbMonth === undefined ? {} : { pricePerGbMonth: options.pricePerGbMonth }),
  };
}

/** Campaigns awaiting approval, as the announcer posts them: planned anywhere (the CLI, say), posted by one replica. */
export function campaignSubjects(
  campaigns: Campaigns,
  options: CampaignMessageOptions,
): AnnouncedSubjects<Campaign> {
  return {
    noun: 'campaign',
    unpostable: 'clean-up campaigns',
    get: (id) => campaigns.get(id),
    claimAnnouncement: (id) => campaigns.claimAnnouncement(id),
    recordAnnouncement: (id, ref) => campaigns.recordAnnouncement(id, ref),
    awaitingAnnouncement: (limit) => campaigns.awaitingAnnouncement(limit),
    async message(campaign) {
      const view = (await readCampaignView(campaigns, campaign.id, options)) ?? { campaign, sample: [] };
      return campaignMessage(view, options);
    },
  };
}

export function createCampaignMessages(
  campaigns: Campaigns,
  updates: MessageUpdates,
  options: CampaignMessageOptions & { ledger: SeenOnce; clock: Clock },
): CampaignMessages {
  const refreshNow = async (id: string, why: string) => {
    for (let round = 0; round < 2; round++) {
      const view = await readCampaignView(campaigns, id, options);
      const where = view && approvalMessageOf(view.campaign);
      if (!view || !where) return;
      await updates.send(id, where, campaignMessage(view, options), { campaign: id, event: why });
      const after = await campaigns.get(id);
      if (!after || after.status === view.campaign.status) return;
    }
  };
  return {
    refresh: (id, why) => updates.run(id, { campaign: id, event: why }, () => refreshNow(id, why)),
    refreshOnce: (campaign, why) =>
      updates.run(campaign.id, { campaign: campaign.id, event: why }, async () => {
        if (!approvalMessageOf(campaign)) return;
        const now = options.clock.now();
        const key = `slack:campaign-shown:${campaign.id}:v${campaign.version}`;
        if (await options.ledger.rememberOnce(key, now + SHOWN_KEEP_MS, now))
          await refreshNow(campaign.id, why);
      }),
  };
}

/**
 * Follows the campaign events this process stores: a campaign planned here is posted for approval at once, and
 * every change of status (a vote, approval, start, pause, resume, completion, rejection, expiry, cancellation)
 * updates its message. Items' events are left to the progress pass (campaign-progress.ts): each process sees only
 * its own.
 */
export function attachCampaignNotifier(
  campaigns: Pick<CampaignWorkflow, 'subscribe'>,
  messages: CampaignMessages,
  announcer: Announcer<Campaign>,
): { detach: () => void } {
  const detach = campaigns.subscribe((event) => {
    if (event.kind !== 'campaign' || event.type === 'campaign_created') return;
    if (event.type === 'campaign_planned') {
      return event.campaign.status === 'pending' ? announcer.announce(event.campaign) : undefined;
    }
    return messages.refreshOnce(event.campaign, event.type);
  });
  return { detach };
}
