import { randomBytes } from 'node:crypto';
import { type Campaign, type CampaignItem, newCampaignId } from '../../../src/core/campaigns/campaign.js';
import { newCampaign, recordPlanPage } from '../../../src/core/campaigns/campaign-lifecycle.js';
import { parseSelectionRule } from '../../../src/core/campaigns/selection-rule.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import type { VideoId } from '../../../src/core/vod/input-rules.js';

/** Campaigns and items for the store contract: made with core's own lifecycle functions. */
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const rita: Principal = { source: 'slack', id: 'U0RITA', displayName: 'Rita Requester' };
export const hex = () => randomBytes(16).toString('hex');

export function aCampaign(at = T0): Campaign {
  return newCampaign({
    id: newCampaignId(randomBytes),
    rule: parseSelectionRule({ streams: { status: ['Invisible'] } }, at),
    reason: 'stale re-transcodes',
    requester: rita,
    requiredApprovals: 1,
    owner: 'host:1',
    leaseMs: 60_000,
    now: at,
  }).campaign;
}

export function itemsOf(campaign: Campaign, from: number, count: number): CampaignItem[] {
  return Array.from({ length: count }, (_, i) => {
    const jobIds = [hex(), hex()];
    return {
      campaignId: campaign.id,
      seq: from + i,
      videoId: hex() as VideoId,
      jobIds,
      bytes: 1000 * (from + i),
      streams: jobIds.map((jobId) => ({
        jobId,
        definition: 'HD',
        format: 'mp4',
        sizeBytes: 500 * (from + i),
      })),
      status: 'pending' as const,
      claims: 0,
    };
  });
}

/** `campaign` one page further: `count` more items. */
export function nextPage(campaign: Campaign, count: number): Campaign {
  return recordPlanPage(campaign, {
    totals: campaign.plan.totals,
    items: campaign.plan.items + count,
    unreadable: campaign.plan.unreadable,
    leaseUntil: T0 + 120_000,
  });
}
