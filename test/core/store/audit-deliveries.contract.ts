import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/core/requests/audit-entry.js';
import type { Store } from '../../../src/core/store/store.js';
import type { RawSql } from './deletion-store.contract.js';

const entry = (n: number): AuditEntry => ({
  at: Date.UTC(2026, 0, 5, 9, 0, n),
  type: 'direct_deletion',
  actor: { source: 'cli', id: 'ops', displayName: 'Ops' },
  videoId: `video-${n}`,
  details: { n },
});

/**
 * The behaviour every `AuditDeliveries` adapter must have: one holder per target at a time, a cursor only its
 * holder moves, and the trail read after a seq in order. Each test works on a target of its own.
 */
export function describeAuditDeliveriesContract(
  name: string,
  makeStore: () => Promise<Store>,
  rawSql: RawSql,
): void {
  describe(`${name} (AuditDeliveries contract)`, () => {
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
    const aTarget = () => `target-${randomUUID()}`;
    const lastSeq = async (store: Store) => (await store.listAudit({ newest: true, limit: 1 }))[0]?.seq ?? 0;

    it('starts a new target before the first entry, and gives its lease to one owner at a time', async () => {
      const [a, b] = [await open(), await open()];
      const target = aTarget();
      expect(await a.claimAuditDelivery(target, 'replica-a', 60_000)).toEqual({ lastSeq: 0, attempts: 0 });
      expect(await b.claimAuditDelivery(target, 'replica-b', 60_000)).toBeUndefined();
      // The holder renews it.
      expect(await a.claimAuditDelivery(target, 'replica-a', 60_000)).toEqual({ lastSeq: 0, attempts: 0 });
    });

    it('lets exactly one of several owners claiming at once win', async () => {
      const stores = [await open(), await open(), await open()];
      const target = aTarget();
      const claims = await Promise.all(
        stores.flatMap((store, i) =>
          [0, 1].map((j) => store.claimAuditDelivery(target, `r${i}-${j}`, 60_000)),
        ),
      );
      expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
    });

    it('lets another owner take over a lease that ran out, or one given up', async () => {
      const store = await open();
      const expired = aTarget();
      await store.claimAuditDelivery(expired, 'replica-a', 0);
      expect(await store.claimAuditDelivery(expired, 'replica-b', 60_000)).toEqual({
        lastSeq: 0,
        attempts: 0,
      });
      // replica-a lost it: it can no longer move the cursor, count a failure, or give it up.
      expect(await store.advanceAuditDelivery(expired, 'replica-a', { fromSeq: 0, toSeq: 5 }, 60_000)).toBe(
        false,
      );
      expect(
        await store.recordAuditDeliveryFailure(expired, 'replica-a', 'HTTP 500', 60_000),
      ).toBeUndefined();
      await store.releaseAuditDelivery(expired, 'replica-a');
      expect(await store.claimAuditDelivery(expired, 'replica-a', 60_000)).toBeUndefined();

      const released = aTarget();
      await store.claimAuditDelivery(released, 'replica-a', 60_000);
      await store.releaseAuditDelivery(released, 'replica-a');
      expect(await store.claimAuditDelivery(released, 'replica-b', 60_000)).toEqual({
        lastSeq: 0,
        attempts: 0,
      });
    });

    it('moves the cursor only from where it is, keeps it for the next holder, and counts failures until a success', async () => {
      const store = await open();
      const target = aTarget();
      await store.claimAuditDelivery(target, 'replica-a', 60_000);
      expect(await store.recordAuditDeliveryFailure(target, 'replica-a', 'HTTP 500', 60_000)).toBe(1);
      expect(await store.recordAuditDeliveryFailure(target, 'replica-a', 'timeout', 60_000)).toBe(2);
      const rows = await rawSql(
        `SELECT attempts, last_error FROM audit_deliveries WHERE target = '${target}'`,
      );
      expect(rows.map((r) => [Number(r.attempts), r.last_error])).toEqual([[2, 'timeout']]);
      expect(await store.advanceAuditDelivery(target, 'replica-a', { fromSeq: 3, toSeq: 7 }, 60_000)).toBe(
        false,
      );
      expect(await store.advanceAuditDelivery(target, 'replica-a', { fromSeq: 0, toSeq: 7 }, 60_000)).toBe(
        true,
      );
      expect(await store.advanceAuditDelivery(target, 'replica-a', { fromSeq: 0, toSeq: 9 }, 60_000)).toBe(
        false,
      );
      await store.releaseAuditDelivery(target, 'replica-a');
      expect(await store.claimAuditDelivery(target, 'replica-b', 60_000)).toEqual({
        lastSeq: 7,
        attempts: 0,
      });
    });

    it('says how far a target is behind the trail: all of it before its first claim', async () => {
      const store = await open();
      const target = aTarget();
      await store.appendAudit([entry(1), entry(2), entry(3)]);
      const last = await lastSeq(store);
      expect(await store.auditDeliveryLag(target)).toBe(last);
      await store.claimAuditDelivery(target, 'replica-a', 60_000);
      expect(
        await store.advanceAuditDelivery(target, 'replica-a', { fromSeq: 0, toSeq: last - 1 }, 60_000),
      ).toBe(true);
      expect(await store.auditDeliveryLag(target)).toBe(1);
    });

    it('reads the trail after a seq, in seq order, a page at a time', async () => {
      const store = await open();
      const before = await lastSeq(store);
      await store.appendAudit([entry(1), entry(2), entry(3)]);
      await store.appendAudit([entry(4)]);
      const page = await store.readAuditAfter(before, 3);
      expect(page.entries.map((e) => e.videoId)).toEqual(['video-1', 'video-2', 'video-3']);
      expect(page.entries.map((e) => e.seq)).toEqual([before + 1, before + 2, before + 3]);
      expect(page.entries[0]).toEqual({ ...entry(1), seq: before + 1 });
      const rest = await store.readAuditAfter(before + 3, 3);
      expect(rest.entries.map((e) => e.videoId)).toEqual(['video-4']);
      expect((await store.readAuditAfter(before + 4, 3)).entries).toEqual([]);
    });

    it('bounds the writers at work where pages describe them, and has no bound where they do not', async () => {
      const store = await open();
      const before = await lastSeq(store);
      await store.appendAudit([entry(1)]);
      const page = await store.readAuditAfter(before, 1);
      const bound = await store.auditWritersBound();
      if (page.writers === undefined) {
        expect(bound).toBeUndefined();
        return;
      }
      // Taken after the read, above every id assigned by then, so at or past the oldest writer it saw at work.
      expect(bound).toBeGreaterThanOrEqual(page.writers.xmin);
      expect(await store.auditWritersBound()).toBeGreaterThan(bound ?? Number.NaN);
    });
  });
}
