import { describe, expect, it } from 'vitest';
import type { CampaignItem, ItemCounts, ItemOutcome } from '../../../src/core/campaigns/campaign.js';
import type { ItemFilter } from '../../../src/core/store/campaign-store.js';
import { campaignReport, OTHER_GROUP } from '../../../src/core/workflow/campaign-report.js';
import { aCampaign, itemsOf } from '../store/campaign-fixtures.js';

const campaign = aCampaign();
const EMPTY: ItemCounts = {
  pending: { items: 0, bytes: 0 },
  running: { items: 0, bytes: 0 },
  deleted: { items: 0, bytes: 0 },
  skipped: { items: 0, bytes: 0 },
  failed: { items: 0, bytes: 0 },
};

/** A campaign's items as the workflow reads them, with the filter the report asks for honoured. */
function reader(items: CampaignItem[]) {
  const pages: ItemFilter[] = [];
  return {
    pages,
    get: async (id: string) => (id === campaign.id ? campaign : undefined),
    counts: async () => ({ ...EMPTY, deleted: { items: 7, bytes: 7000 } }),
    items: async (_id: string, filter: ItemFilter = {}) => {
      pages.push(filter);
      return items
        .filter((i) => i.seq > (filter.afterSeq ?? 0) && (filter.statuses ?? [i.status]).includes(i.status))
        .slice(0, filter.limit);
    },
  };
}

function settled(
  from: number,
  count: number,
  status: 'failed' | 'skipped' | 'deleted',
  outcome: (n: number) => Partial<ItemOutcome>,
) {
  return itemsOf(campaign, from, count).map((item, n) => ({
    ...item,
    status,
    outcome: { at: 1, ...outcome(n) },
  }));
}

describe('a campaign’s report', () => {
  it('groups failures by code and skips by reason without their stream ids, most first, with three examples', async () => {
    const items = [
      ...settled(1, 5, 'failed', () => ({
        code: 'Throttling.User',
        requestId: 'R',
        reason: 'DeleteStream failed',
      })),
      ...settled(6, 1, 'failed', () => ({ code: 'Forbidden.RAM' })),
      ...settled(7, 2, 'skipped', (n) => ({
        reason: `Stream ${n ? 'ab'.repeat(16) : 'cd'.repeat(16)} no longer exists: the video changed since the plan.`,
      })),
      ...settled(9, 1, 'skipped', () => ({
        reason: `Streams ${'ab'.repeat(16)}, ${'cd'.repeat(16)} and ${'ef'.repeat(16)} no longer exist: changed.`,
      })),
      ...settled(10, 3, 'deleted', () => ({ requestId: 'R' })),
    ];
    const report = await campaignReport(reader(items), campaign.id);
    expect(report).toMatchObject({
      bytesFreed: 7000,
      failures: [
        { key: 'Throttling.User', items: 5, examples: [{ seq: 1 }, { seq: 2 }, { seq: 3 }] },
        { key: 'Forbidden.RAM', items: 1 },
      ],
      skipped: [
        { key: 'Stream … no longer exists: the video changed since the plan.', items: 2 },
        { key: 'Streams … no longer exist: changed.', items: 1 },
      ],
    });
    expect(report?.failures[0]?.bytes).toBe(1000 * (1 + 2 + 3 + 4 + 5));
  });

  it('reads only failed and skipped items, a page at a time, and keeps at most twenty groups', async () => {
    const items = settled(1, 2500, 'failed', (n) => ({ code: `Code.${n % 30}` }));
    const read = reader(items);
    const report = await campaignReport(read, campaign.id);
    expect(read.pages.map((p) => p.afterSeq)).toEqual([0, 1000, 2000]);
    expect(read.pages.every((p) => p.statuses?.join() === 'failed,skipped')).toBe(true);
    expect(report?.failures).toHaveLength(21);
    expect(report?.failures.find((g) => g.key === OTHER_GROUP)?.items).toBe(2500 - (10 * 84 + 10 * 83));
    expect(report?.failures.reduce((sum, g) => sum + g.items, 0)).toBe(2500);
  });

  it('is undefined for a campaign that does not exist', async () => {
    expect(await campaignReport(reader([]), 'cp-0000000000000')).toBeUndefined();
  });
});
