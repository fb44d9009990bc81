import { afterEach, describe, expect, it } from 'vitest';
import { CAMPAIGN_STATUSES, type Campaign } from '../../../src/core/campaigns/campaign.js';
import type { Store } from '../../../src/core/store/store.js';
import { aCampaign, hex, itemsOf, nextPage, rita, T0 } from './campaign-fixtures.js';
import { describeItemExecution } from './campaign-items.contract.js';
import type { RawSql } from './deletion-store.contract.js';

/** The behaviour every store must have for clean-up campaigns; migration 7's guarantees included. */
export function describeCampaignStoreContract(
  name: string,
  makeStore: () => Promise<Store>,
  rawSql: RawSql,
): void {
  describe(`${name} (CampaignStore contract)`, () => {
    const opened: Store[] = [];
    const open = async (): Promise<Store> => {
      const store = await makeStore();
      opened.push(store);
      await store.migrate();
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it('stores a new campaign with its audit entries and reads it back', async () => {
      const store = await open();
      const campaign = aCampaign();
      await store.insertCampaign(campaign, [
        { at: T0, type: 'campaign_created', actor: rita, requestId: campaign.id, videoId: '', details: {} },
      ]);
      expect(await store.getCampaign(campaign.id)).toEqual(campaign);
      expect(await store.listAudit({ requestId: campaign.id })).toMatchObject([
        { type: 'campaign_created', requestId: campaign.id, videoId: '' },
      ]);
      expect(await store.getCampaign('cp-0000000000000')).toBeUndefined();
    });

    it('counts campaigns in every status, with 0 for a status no campaign is in', async () => {
      const store = await open();
      const before = await store.countCampaignsByStatus();
      expect(Object.keys(before).sort()).toEqual([...CAMPAIGN_STATUSES].sort());
      const campaign = aCampaign();
      await store.insertCampaign(campaign, []);
      await store.insertCampaign(aCampaign(), []);
      const done: Campaign = { ...nextPage(campaign, 1), status: 'pending', expiresAt: T0 + 3_600_000 };
      await store.updateCampaign(done, campaign.version, [], itemsOf(campaign, 1, 1));
      const after = await store.countCampaignsByStatus();
      expect(after.planning - before.planning).toBe(1);
      expect(after.pending - before.pending).toBe(1);
      expect(after.completed - before.completed).toBe(0);
    });

    it('lists campaigns newest first, by status', async () => {
      const store = await open();
      const older = aCampaign(T0 + 1000);
      const newer = aCampaign(T0 + 2000);
      await store.insertCampaign(older, []);
      await store.insertCampaign(newer, []);
      const planning = await store.listCampaigns({ statuses: ['planning'], limit: 1000 });
      const ids = planning.map((c) => c.id);
      expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
      expect(await store.listCampaigns({ statuses: [] })).toEqual([]);
      expect((await store.listCampaigns({ statuses: ['pending'] })).map((c) => c.id)).not.toContain(newer.id);
    });

    it('stores a page of items with the campaign in one compare-and-set, and nothing when it lost', async () => {
      const store = await open();
      const campaign = aCampaign();
      await store.insertCampaign(campaign, []);
      const page = nextPage(campaign, 3);
      expect(await store.updateCampaign(page, campaign.version, [], itemsOf(campaign, 1, 3))).toBe(true);
      // A second writer that read version 1 loses, and its items are not stored either.
      const stale = nextPage(campaign, 2);
      expect(await store.updateCampaign(stale, campaign.version, [], itemsOf(campaign, 4, 2))).toBe(false);
      expect(await store.getCampaign(campaign.id)).toEqual(page);
      expect(await store.listItems(campaign.id)).toHaveLength(3);
    });

    it('reads items a page at a time in their order, and counts them by status', async () => {
      const store = await open();
      const campaign = aCampaign();
      await store.insertCampaign(campaign, []);
      const items = itemsOf(campaign, 1, 25);
      await store.updateCampaign(nextPage(campaign, 25), campaign.version, [], items);
      const first = await store.listItems(campaign.id, { limit: 10 });
      expect(first.map((i) => i.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(first[0]).toEqual(items[0]);
      const rest = await store.listItems(campaign.id, { afterSeq: 10, limit: 100 });
      expect(rest.map((i) => i.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 11));
      const counts = await store.countItems(campaign.id);
      expect(counts.pending).toEqual({ items: 25, bytes: items.reduce((sum, i) => sum + i.bytes, 0) });
      expect(counts.deleted).toEqual({ items: 0, bytes: 0 });
    });

    it('stores the last page and the plan complete in one write', async () => {
      const store = await open();
      const campaign = aCampaign();
      await store.insertCampaign(campaign, []);
      const done: Campaign = { ...nextPage(campaign, 2), status: 'pending', expiresAt: T0 + 3_600_000 };
      expect(await store.updateCampaign(done, campaign.version, [], itemsOf(campaign, 1, 2))).toBe(true);
      expect(await store.listItems(campaign.id)).toHaveLength(2);
      expect((await store.getCampaign(campaign.id))?.status).toBe('pending');
    });

    describe('what was planned is what the database keeps (migration 7)', () => {
      it('refuses items for a campaign that is no longer planning, whoever writes them', async () => {
        const store = await open();
        const campaign = aCampaign();
        await store.insertCampaign(campaign, []);
        const done: Campaign = { ...nextPage(campaign, 1), status: 'pending', expiresAt: T0 + 3_600_000 };
        await store.updateCampaign(done, campaign.version, [], itemsOf(campaign, 1, 1));
        const more: Campaign = { ...done, version: done.version + 1 };
        await expect(store.updateCampaign(more, done.version, [], itemsOf(campaign, 2, 1))).rejects.toThrow(
          /only while their campaign is planning/,
        );
        await expect(
          rawSql(
            `INSERT INTO campaign_items (campaign_id, seq, video_id, job_ids, bytes, status, data)
             VALUES ('${campaign.id}', 9, '${hex()}', '${hex()}', 1, 'pending', '{"streams":[]}')`,
          ),
        ).rejects.toThrow(/only while their campaign is planning/);
        expect(await store.listItems(campaign.id)).toHaveLength(1);
      });

      it('refuses to change what an item deletes, or to remove it; its status may change', async () => {
        const store = await open();
        const campaign = aCampaign();
        await store.insertCampaign(campaign, []);
        const [item] = itemsOf(campaign, 1, 1);
        await store.updateCampaign(nextPage(campaign, 1), campaign.version, [], [item!]);
        const where = `campaign_id = '${campaign.id}' AND seq = 1`;
        for (const change of [
          `job_ids = '${hex()}'`,
          `video_id = '${hex()}'`,
          'bytes = 0',
          'seq = 2',
          `campaign_id = 'cp-0000000000000'`,
        ]) {
          await expect(rawSql(`UPDATE campaign_items SET ${change} WHERE ${where}`)).rejects.toThrow(
            /what an item deletes never changes/,
          );
        }
        await expect(rawSql(`DELETE FROM campaign_items WHERE ${where}`)).rejects.toThrow(/never removed/);
        await expect(rawSql(`UPDATE campaign_items SET status = 'deleted' WHERE ${where}`)).rejects.toThrow(
          /settles only once claimed/,
        );
        expect((await store.listItems(campaign.id))[0]).toEqual(item);
      });

      it('never removes a campaign, and never lets one past planning plan again', async () => {
        const store = await open();
        const campaign = aCampaign();
        await store.insertCampaign(campaign, []);
        const done: Campaign = { ...nextPage(campaign, 1), status: 'pending', expiresAt: T0 + 3_600_000 };
        await store.updateCampaign(done, campaign.version, [], itemsOf(campaign, 1, 1));
        await expect(rawSql(`DELETE FROM campaigns WHERE id = '${campaign.id}'`)).rejects.toThrow(
          /never removed/,
        );
        await expect(
          rawSql(`UPDATE campaigns SET status = 'planning' WHERE id = '${campaign.id}'`),
        ).rejects.toThrow(/never plans again/);
        const replanned: Campaign = { ...done, status: 'planning', version: done.version + 1 };
        await expect(store.updateCampaign(replanned, done.version, [])).rejects.toThrow(/never plans again/);
        expect(await store.getCampaign(campaign.id)).toEqual(done);
      });
    });

    describeItemExecution(open, rawSql);
  });
}
