import { describe, expect, it } from 'vitest';
import type { Campaign, CampaignItem } from '../../../src/core/campaigns/campaign.js';
import { settleItem } from '../../../src/core/campaigns/campaign-run.js';
import { SYSTEM_SOURCE } from '../../../src/core/requests/principal.js';
import type { Store } from '../../../src/core/store/store.js';
import type { VideoId } from '../../../src/core/vod/input-rules.js';
import { aCampaign, itemsOf, nextPage, T0 } from './campaign-fixtures.js';
import type { RawSql } from './deletion-store.contract.js';

const system = { source: SYSTEM_SOURCE, id: 'host:1', displayName: 'vod-ops' };

/** Execution's guarantees (migration 8): claims under leases, one video at a time, outcomes settled once. */
export function describeItemExecution(open: () => Promise<Store>, rawSql: RawSql): void {
  /** A campaign planned with `items`, then moved on to `status` (as the workflow would, one step at a time). */
  async function planned(store: Store, items: (c: Campaign) => CampaignItem[], status: Campaign['status']) {
    const campaign = aCampaign();
    await store.insertCampaign(campaign, []);
    const made = items(campaign);
    const page = nextPage(campaign, made.length);
    await store.updateCampaign(page, campaign.version, [], made);
    const moved: Campaign = { ...page, status, version: page.version + 1 };
    await store.updateCampaign(moved, page.version, []);
    return { campaign: moved, items: made };
  }

  const claim = (store: Store, id: string, owner: string, now: number, limit = 10) =>
    store.claimItems(id, { owner, now, leaseUntil: now + 60_000, limit });

  const deleted = (item: CampaignItem, now: number) =>
    settleItem(item, { status: 'deleted', outcome: { requestId: 'RID-1' }, now, by: system });

  describe('running items (migration 8)', () => {
    it('claims items only while the campaign is running, in seq order, up to the limit', async () => {
      const store = await open();
      const paused = await planned(store, (c) => itemsOf(c, 1, 3), 'paused');
      expect(await claim(store, paused.campaign.id, 'host:1', T0)).toEqual([]);
      const { campaign } = await planned(store, (c) => itemsOf(c, 1, 5), 'running');
      const first = await claim(store, campaign.id, 'host:1', T0, 2);
      expect(first.map((i) => [i.seq, i.status, i.owner, i.claims])).toEqual([
        [1, 'running', 'host:1', 1],
        [2, 'running', 'host:1', 1],
      ]);
      expect(first[0]?.leaseUntil).toBe(T0 + 60_000);
      expect((await claim(store, campaign.id, 'host:2', T0)).map((i) => i.seq)).toEqual([3, 4, 5]);
      expect(await claim(store, campaign.id, 'host:3', T0)).toEqual([]);
    });

    it('never gives one item to two concurrent claimers', async () => {
      const store = await open();
      const { campaign } = await planned(store, (c) => itemsOf(c, 1, 40), 'running');
      const claims = await Promise.all(
        ['a', 'b', 'c', 'd'].map((owner) => claim(store, campaign.id, owner, T0, 8)),
      );
      const seqs = claims.flat().map((i) => i.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs.length).toBe(32);
    });

    it("runs one video's items one after another: only its first unsettled item is claimable", async () => {
      const store = await open();
      const { campaign, items } = await planned(
        store,
        (c) => {
          const made = itemsOf(c, 1, 3);
          const same = made[0]?.videoId as VideoId;
          return made.map((item, i) => (i < 2 ? { ...item, videoId: same } : item));
        },
        'running',
      );
      const first = await claim(store, campaign.id, 'host:1', T0);
      expect(first.map((i) => i.seq)).toEqual([1, 3]);
      expect(await claim(store, campaign.id, 'host:2', T0)).toEqual([]);
      const one = first[0] as CampaignItem;
      const settled = deleted(one, T0 + 10);
      expect(await store.settleItem(settled.next, { owner: 'host:1', claims: 1 }, [settled.audit])).toBe(
        true,
      );
      expect((await claim(store, campaign.id, 'host:2', T0 + 20)).map((i) => i.seq)).toEqual([2]);
      expect(items).toHaveLength(3);
    });

    it('lets another process take over an item whose lease ran out, counting the claim', async () => {
      const store = await open();
      const { campaign } = await planned(store, (c) => itemsOf(c, 1, 1), 'running');
      const [mine] = await claim(store, campaign.id, 'host:1', T0);
      expect(await claim(store, campaign.id, 'host:2', T0 + 59_999)).toEqual([]);
      const [theirs] = await claim(store, campaign.id, 'host:2', T0 + 60_000);
      expect(theirs).toMatchObject({ seq: 1, owner: 'host:2', claims: 2 });
      // The first owner's late outcome is refused: the item is no longer under its claim.
      const late = deleted(mine as CampaignItem, T0 + 60_001);
      expect(await store.settleItem(late.next, { owner: 'host:1', claims: 1 }, [late.audit])).toBe(false);
      const onTime = deleted(theirs as CampaignItem, T0 + 60_002);
      expect(await store.settleItem(onTime.next, { owner: 'host:2', claims: 2 }, [onTime.audit])).toBe(true);
      const [stored] = await store.listItems(campaign.id);
      expect(stored).toMatchObject({ status: 'deleted', claims: 2, outcome: { requestId: 'RID-1' } });
      expect(stored?.owner).toBeUndefined();
      const trail = await store.listAudit({ requestId: campaign.id });
      expect(trail.map((e) => e.type)).toEqual(['item_deleted']);
      expect(trail[0]?.details).toMatchObject({ seq: 1, requestId: 'RID-1', claims: 2 });
    });

    it('never changes a settled item, and gives back an unstarted one', async () => {
      const store = await open();
      const { campaign } = await planned(store, (c) => itemsOf(c, 1, 2), 'running');
      const [one, two] = await claim(store, campaign.id, 'host:1', T0);
      const settled = deleted(one as CampaignItem, T0 + 5);
      await store.settleItem(settled.next, { owner: 'host:1', claims: 1 }, [settled.audit]);
      await expect(
        rawSql(
          `UPDATE campaign_items SET status = 'pending' WHERE campaign_id = '${campaign.id}' AND seq = 1`,
        ),
      ).rejects.toThrow(/settled item never changes/);
      expect(await store.releaseItem(two as CampaignItem, { owner: 'host:2', claims: 1 })).toBe(false);
      expect(await store.releaseItem(two as CampaignItem, { owner: 'host:1', claims: 1 })).toBe(true);
      const items = await store.listItems(campaign.id);
      expect(items.map((i) => [i.status, i.claims])).toEqual([
        ['deleted', 1],
        ['pending', 0],
      ]);
      expect(await store.countSettledSince(campaign.id, T0)).toBe(1);
      expect(await store.countSettledSince(campaign.id, T0 + 6)).toBe(0);
    });

    it('refuses, in the database, to run an item of a campaign that is not running', async () => {
      const store = await open();
      const { campaign } = await planned(store, (c) => itemsOf(c, 1, 1), 'paused');
      await expect(
        rawSql(`UPDATE campaign_items SET status = 'running' WHERE campaign_id = '${campaign.id}'`),
      ).rejects.toThrow(/only while their campaign is running/);
    });
  });
}
