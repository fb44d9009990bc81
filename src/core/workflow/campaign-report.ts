import type { Campaign, CampaignItem, ItemCounts } from '../campaigns/campaign.js';
import type { CampaignWorkflow } from './campaign-workflow.js';

/**
 * What a campaign's execution came to, for the people who approved it: its items and bytes by status, the bytes
 * freed, the failures grouped by Alibaba's error code and the skipped items grouped by reason, each group with a
 * few examples. Every front end renders the same report; the CLI also writes every item as CSV.
 */
export interface CampaignReport {
  campaign: Campaign;
  counts: ItemCounts;
  /** Bytes of the items deleted (a stream whose size Alibaba did not give counts as 0). */
  bytesFreed: number;
  /** Most items first. */
  failures: OutcomeGroup[];
  /** Most items first. */
  skipped: OutcomeGroup[];
}

/** Settled items that share an error code (failures) or a reason (skipped ones). */
export interface OutcomeGroup {
  /** Alibaba's error code (vod-ops' own when the call never reached Alibaba), or the reason with ids taken out. */
  key: string;
  items: number;
  bytes: number;
  examples: OutcomeExample[];
}

export interface OutcomeExample {
  seq: number;
  videoId: string;
  requestId?: string;
  code?: string;
  reason?: string;
}

/** Groups kept per kind; the rest are counted under {@link OTHER_GROUP}. A report stays small whatever happened. */
const MAX_GROUPS = 20;
const EXAMPLES = 3;
const PAGE = 1000;
export const OTHER_GROUP = 'other';

/**
 * The report of campaign `id`, read a page at a time (a campaign may have 100,000 items: only failed and skipped
 * ones are read, and only the groups are held); `undefined` when there is no such campaign.
 */
export async function campaignReport(
  campaigns: Pick<CampaignWorkflow, 'get' | 'counts' | 'items'>,
  id: string,
): Promise<CampaignReport | undefined> {
  const campaign = await campaigns.get(id);
  if (!campaign) return undefined;
  const counts = await campaigns.counts(id);
  const failures = createGroups();
  const skipped = createGroups();
  let afterSeq = 0;
  for (;;) {
    const page = await campaigns.items(id, { afterSeq, statuses: ['failed', 'skipped'], limit: PAGE });
    for (const item of page) {
      if (item.status === 'failed') failures.add(item.outcome?.code ?? 'unknown', item);
      else skipped.add(reasonKey(item.outcome?.reason), item);
    }
    if (page.length < PAGE) break;
    afterSeq = page.at(-1)?.seq ?? afterSeq;
  }
  return {
    campaign,
    counts,
    bytesFreed: counts.deleted.bytes,
    failures: failures.list(),
    skipped: skipped.list(),
  };
}

function createGroups() {
  const groups = new Map<string, OutcomeGroup>();
  return {
    add(key: string, item: CampaignItem) {
      const kept = groups.has(key) || groups.size < MAX_GROUPS ? key : OTHER_GROUP;
      const group = groups.get(kept) ?? { key: kept, items: 0, bytes: 0, examples: [] };
      groups.set(kept, group);
      group.items += 1;
      group.bytes += item.bytes;
      if (group.examples.length < EXAMPLES) group.examples.push(example(item));
    },
    list: () => [...groups.values()].sort((a, b) => b.items - a.items || a.key.localeCompare(b.key)),
  };
}

function example(item: CampaignItem): OutcomeExample {
  const { outcome } = item;
  return {
    seq: item.seq,
    videoId: item.videoId,
    ...(outcome?.requestId ? { requestId: outcome.requestId } : {}),
    ...(outcome?.code ? { code: outcome.code } : {}),
    ...(outcome?.reason ? { reason: outcome.reason } : {}),
  };
}

/** A skip's reason names its streams ("Stream 0a1b… no longer exists"): without them, alike reasons group. */
function reasonKey(reason: string | undefined): string {
  if (!reason) return 'no reason recorded';
  return reason.replace(/[0-9a-f]{32}(?:(?:, | and )[0-9a-f]{32})*/gi, '…');
}
