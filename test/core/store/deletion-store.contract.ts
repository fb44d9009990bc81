import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/core/requests/audit-entry.js';
import { type DeletionRequest, REQUEST_STATUSES } from '../../../src/core/requests/deletion-request.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import type { DeletionStore } from '../../../src/core/store/deletion-store.js';
import { STORE_MIGRATIONS } from '../../../src/core/store/migrations.js';
import type { Store } from '../../../src/core/store/store.js';
import { aDeletionRequest, aVideoId, someJobIds } from '../../helpers/builders.js';

/** Runs one SQL statement on a second connection to the store's database, outside the store. */
export type RawSql = (sql: string) => Promise<Record<string, unknown>[]>;

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const rita: Principal = { source: 'slack', id: 'U0RITA', displayName: 'Rita Requester' };
const assistant: Principal = {
  source: 'mcp',
  id: 'ops-token',
  displayName: 'Ops token',
  clientName: 'claude-code',
};
/** One job ID, distinct per `n`, for requests that must not share a dedupe key. */
const job = (n: number) => someJobIds(n.toString(16).padStart(32, '0'));
const aaron: Principal = { source: 'slack', id: 'U0AARON', displayName: 'Aaron Approver' };

/**
 * A valid pending request at version 1, on a video of its own unless `videoId` is given, always for the same two
 * job IDs unless told otherwise: two requests for one video share a dedupe key.
 */
function makeRequest(over: Partial<DeletionRequest> = {}): DeletionRequest {
  return aDeletionRequest({ requester: rita, createdAt: T0, jobIds: job(0xa0), ...over });
}

function auditOf(
  request: DeletionRequest,
  type: AuditEntry['type'],
  over: Partial<AuditEntry> = {},
): AuditEntry {
  return {
    at: request.createdAt,
    type,
    actor: rita,
    requestId: request.id,
    videoId: request.videoId,
    details: { status: request.status },
    ...over,
  };
}

/** `request` one version on, e.g. cancelled. */
function advance(request: DeletionRequest, over: Partial<DeletionRequest>): DeletionRequest {
  return { ...request, ...over, version: request.version + 1 };
}

/**
 * The behaviour every `DeletionStore` adapter must have. `makeStore` opens a new, unmigrated store instance;
 * all instances of one suite run share one database, so each test works on videos and keys of its own.
 */
export function describeDeletionStoreContract(
  name: string,
  makeStore: () => Promise<Store>,
  rawSql: RawSql,
): void {
  describe(`${name} (DeletionStore contract)`, () => {
    const opened: Store[] = [];
    const open = async (options: { migrate?: boolean } = {}): Promise<Store> => {
      const store = await makeStore();
      opened.push(store);
      if (options.migrate !== false) await store.migrate();
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    describe('migrate', () => {
      // First in the suite, so it meets a database no instance has migrated yet.
      it('migrates a new database from two instances at once, recording each migration once', async () => {
        const [a, b] = await Promise.all([open({ migrate: false }), open({ migrate: false })]);
        await Promise.all([a.migrate(), b.migrate()]);
        const rows = await rawSql('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => Number(r.version))).toEqual(STORE_MIGRATIONS.map((m) => m.version));
        const request = makeRequest();
        expect(await b.insert(request, [])).toEqual({ inserted: true });
      });

      it('migrates again, twice at once, without touching the schema or the data', async () => {
        const a = await open();
        const request = makeRequest();
        await a.insert(request, [auditOf(request, 'created')]);
        const b = await open({ migrate: false });
        await Promise.all([a.migrate(), b.migrate(), a.migrate()]);
        const rows = await rawSql('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows).toHaveLength(STORE_MIGRATIONS.length);
        expect(await b.get(request.id)).toEqual(request);
        expect(await b.listAudit({ requestId: request.id })).toHaveLength(1);
      });

      it('says which migrations it knows are not recorded: none when up to date, the one whose record is gone', async () => {
        const store = await open();
        expect(await store.missingMigrations()).toEqual([]);
        const last = STORE_MIGRATIONS.at(-1)!;
        await rawSql(`DELETE FROM schema_migrations WHERE version = ${last.version}`);
        try {
          expect(await store.missingMigrations()).toEqual([last.version]);
        } finally {
          await rawSql(
            `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${last.version}, '${last.name}', 0)`,
          );
        }
        expect(await store.missingMigrations()).toEqual([]);
      });
    });

    describe('counts by status', () => {
      it('counts requests in every status, with 0 for a status no request is in', async () => {
        const store = await open();
        const before = await store.countByStatus();
        expect(Object.keys(before).sort()).toEqual([...REQUEST_STATUSES].sort());
        const kept = makeRequest({ videoId: aVideoId() });
        const dropped = makeRequest({ videoId: aVideoId() });
        await store.insert(kept, []);
        await store.insert(dropped, []);
        await store.transition(advance(dropped, { status: 'cancelled' }), dropped.version, []);
        const after = await store.countByStatus();
        expect(after.pending - before.pending).toBe(1);
        expect(after.cancelled - before.cancelled).toBe(1);
        expect(after.succeeded - before.succeeded).toBe(0);
      });
    });

    describe('migration 2: where a request was shown becomes front-end metadata', () => {
      it('turns an approval message into an announcement, and a half-posted one into a claim', async () => {
        const store = await open();
        const posted = makeRequest();
        const claiming = makeRequest();
        const plain = makeRequest();
        for (const request of [posted, claiming, plain]) await store.insert(request, []);
        // As version 1 of the schema stored them, before migration 2 ran.
        const old = (request: DeletionRequest, approvalMessage: object) =>
          rawSql(
            `UPDATE deletion_requests SET data = '${JSON.stringify({ ...request, approvalMessage }).replaceAll("'", "''")}' WHERE id = '${request.id}'`,
          );
        await old(posted, { channel: 'C0APPROVALS', ts: '1700000000.000100' });
        await old(claiming, { channel: 'C0APPROVALS', ts: '' });
        await rawSql('DELETE FROM schema_migrations WHERE version = 2');

        await (await open({ migrate: false })).migrate();
        const updatedAt = async (id: string) =>
          Number(
            (await rawSql(`SELECT updated_at FROM deletion_requests WHERE id = '${id}'`))[0]?.updated_at,
          );
        expect(await store.get(posted.id)).toEqual({
          ...posted,
          version: 2,
          announcement: {
            claimedAt: await updatedAt(posted.id),
            ref: { channel: 'C0APPROVALS', ts: '1700000000.000100' },
          },
        });
        expect(await store.get(claiming.id)).toEqual({
          ...claiming,
          version: 2,
          announcement: { claimedAt: await updatedAt(claiming.id) },
        });
        expect(await store.get(plain.id)).toEqual(plain);
        // A write prepared from the row as it was before the migration no longer applies.
        expect(await store.transition(advance(posted, { status: 'cancelled' }), 1, [])).toBe(false);
      });
    });

    describe('insert', () => {
      it('stores a new request with its audit entries', async () => {
        const store = await open();
        const request = makeRequest();
        const audit = [auditOf(request, 'created'), auditOf(request, 'vote', { actor: aaron, at: T0 + 1 })];
        expect(await store.insert(request, audit)).toEqual({ inserted: true });
        expect(await store.get(request.id)).toEqual(request);
        const listed = await store.listAudit({ requestId: request.id });
        expect(listed).toEqual(audit.map((entry) => ({ ...entry, seq: expect.any(Number) })));
      });

      it('returns the pending request with the same dedupe key instead, writing nothing', async () => {
        const store = await open();
        const first = makeRequest();
        await store.insert(first, [auditOf(first, 'created')]);
        const second = makeRequest({ videoId: first.videoId, reason: 'again', requester: aaron });
        expect(second.dedupeKey).toBe(first.dedupeKey);

        expect(await store.insert(second, [auditOf(second, 'created')])).toEqual({
          inserted: false,
          existing: first,
        });
        expect(await store.get(second.id)).toBeUndefined();
        expect(await store.listAudit({ requestId: second.id })).toEqual([]);
      });

      it('accepts the same dedupe key again once the earlier request is no longer pending', async () => {
        const store = await open();
        const first = makeRequest();
        await store.insert(first, []);
        await store.transition(advance(first, { status: 'cancelled' }), 1, []);
        const second = makeRequest({ videoId: first.videoId });
        expect(await store.insert(second, [])).toEqual({ inserted: true });
        const pending = await store.list({ videoId: first.videoId, statuses: ['pending'] });
        expect(pending.map((r) => r.id)).toEqual([second.id]);
      });

      it('lets exactly one of two concurrent inserts of one key win, across two instances', async () => {
        const [a, b] = await Promise.all([open(), open()]);
        const one = makeRequest();
        const two = makeRequest({ videoId: one.videoId });
        const results = await Promise.all([
          a.insert(one, [auditOf(one, 'created')]),
          b.insert(two, [auditOf(two, 'created')]),
        ]);
        const winners = results.filter((r) => r.inserted);
        expect(winners).toHaveLength(1);
        const winner = results[0]?.inserted ? one : two;
        expect(results.find((r) => !r.inserted)).toEqual({ inserted: false, existing: winner });
        const audit = await a.listAudit({ videoId: one.videoId });
        expect(audit.map((e) => e.requestId)).toEqual([winner.id]);
      });

      it('throws on a duplicate id, writing none of its audit entries', async () => {
        const store = await open();
        const first = makeRequest();
        await store.insert(first, []);
        const clash = makeRequest({ id: first.id });
        await expect(store.insert(clash, [auditOf(clash, 'created')])).rejects.toThrow();
        expect(await store.listAudit({ videoId: clash.videoId })).toEqual([]);
        expect(await store.get(first.id)).toEqual(first);
      });

      it('throws on a request that is not pending at version 1', async () => {
        const store = await open();
        await expect(store.insert(makeRequest({ status: 'approved' }), [])).rejects.toThrow(/pending/);
        await expect(store.insert(makeRequest({ version: 2 }), [])).rejects.toThrow(/version 1/);
      });

      it('has the database itself refuse a second pending request per key', async () => {
        const store = await open();
        const old = makeRequest();
        await store.insert(old, []);
        await store.transition(advance(old, { status: 'expired' }), 1, []);
        await store.insert(makeRequest({ videoId: old.videoId }), []);
        await expect(
          rawSql(`UPDATE deletion_requests SET status = 'pending' WHERE id = '${old.id}'`),
        ).rejects.toThrow(/unique|duplicate/i);
      });
    });

    describe('get and transition', () => {
      it('returns undefined for an unknown id', async () => {
        const store = await open();
        expect(await store.get('dr-unknown')).toBeUndefined();
      });

      it('round-trips a request with every optional field set, exactly', async () => {
        const store = await open();
        const request = makeRequest({
          votes: [{ approver: assistant, decision: 'approve', reason: 'checked the preview', at: T0 + 5 }],
        });
        await store.insert(request, []);
        const done = advance(request, {
          status: 'succeeded',
          decision: { outcome: 'approved', by: assistant, reason: 'enough votes', at: T0 + 6 },
          execution: {
            owner: 'host-1:4242',
            leaseUntil: T0 + 60_000,
            claims: 2,
            startedAt: T0 + 7,
            finishedAt: T0 + 9,
            requestId: 'RID-DELETE-2',
            requestIds: ['RID-DELETE-1', 'RID-DELETE-2'],
            alreadyDeleted: true,
            error: {
              code: 'UPSTREAM_UNAVAILABLE',
              message: 'VOD timed out',
              vodCode: 'ServiceUnavailable',
              httpStatus: 503,
              requestId: 'RID-DELETE-1',
            },
          },
        });
        expect(await store.transition(done, 1, [])).toBe(true);
        expect(await store.get(request.id)).toStrictEqual(done);
      });

      it('replaces the request and appends its audit when the version still matches', async () => {
        const store = await open();
        const request = makeRequest();
        await store.insert(request, [auditOf(request, 'created')]);
        const next = advance(request, { status: 'rejected', expiresAt: T0 + 10 });
        expect(await store.transition(next, 1, [auditOf(next, 'rejected', { at: T0 + 10 })])).toBe(true);
        expect(await store.get(request.id)).toEqual(next);
        const audit = await store.listAudit({ requestId: request.id });
        expect(audit.map((e) => e.type)).toEqual(['created', 'rejected']);
        const expiring = await store.list({ videoId: request.videoId, expiresAtOrBefore: T0 + 10 });
        expect(expiring.map((r) => r.id)).toEqual([request.id]);
      });

      it('returns false and writes nothing when another writer moved the version on', async () => {
        const store = await open();
        const request = makeRequest();
        await store.insert(request, []);
        const winner = advance(request, { status: 'cancelled' });
        await store.transition(winner, 1, [auditOf(winner, 'cancelled')]);
        const late = advance(request, { status: 'approved' });
        expect(await store.transition(late, 1, [auditOf(late, 'approved')])).toBe(false);
        expect(await store.get(request.id)).toEqual(winner);
        expect((await store.listAudit({ requestId: request.id })).map((e) => e.type)).toEqual(['cancelled']);
      });

      it('returns false for an unknown id', async () => {
        const store = await open();
        const ghost = advance(makeRequest(), { status: 'cancelled' });
        expect(await store.transition(ghost, 1, [auditOf(ghost, 'cancelled')])).toBe(false);
        expect(await store.listAudit({ requestId: ghost.id })).toEqual([]);
      });

      it('throws when the next version is not the expected version plus one', async () => {
        const store = await open();
        const request = makeRequest();
        await store.insert(request, []);
        await expect(store.transition({ ...request, version: 3 }, 1, [])).rejects.toThrow(/must be 2/);
        expect(await store.get(request.id)).toEqual(request);
      });

      it('lets exactly one of 20 concurrent transitions from one version win, across two instances', async () => {
        const [a, b] = await Promise.all([open(), open()]);
        const request = makeRequest();
        await a.insert(request, []);
        const contenders = Array.from({ length: 20 }, (_, i) =>
          advance(request, { status: i % 2 === 0 ? 'approved' : 'cancelled', reason: `contender ${i}` }),
        );
        const results = await Promise.all(
          contenders.map((next, i) =>
            (i % 2 === 0 ? a : b).transition(next, 1, [
              auditOf(next, 'vote', { details: { contender: i } }),
              auditOf(next, next.status === 'approved' ? 'approved' : 'cancelled', {
                details: { contender: i },
              }),
            ]),
          ),
        );
        expect(results.filter((won) => won)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect(await b.get(request.id)).toEqual(contenders[winner]);
        const audit = await a.listAudit({ requestId: request.id });
        expect(audit.map((e) => e.details)).toEqual([{ contender: winner }, { contender: winner }]);
      });
    });

    describe('list', () => {
      it('lists newest first, then by id', async () => {
        const store = await open();
        const videoId = aVideoId();
        const at = (createdAt: number, id: string, n: number) =>
          makeRequest({ videoId, createdAt, id: `${videoId}-${id}`, jobIds: job(n) });
        const requests = [at(T0, 'a', 1), at(T0 + 2, 'b', 2), at(T0 + 1, 'd', 3), at(T0 + 1, 'c', 4)];
        for (const request of requests) await store.insert(request, []);
        const listed = await store.list({ videoId });
        expect(listed.map((r) => r.id.slice(-1))).toEqual(['b', 'c', 'd', 'a']);
        expect(listed[0]).toEqual(requests[1]);
      });

      it('filters by any of several statuses, by expiry at or before a time, and by video', async () => {
        const store = await open();
        const videoId = aVideoId();
        const make = (n: number, expiresAt: number) => makeRequest({ videoId, jobIds: job(n), expiresAt });
        const soon = make(1, T0 + 10);
        const later = make(2, T0 + 20);
        const gone = make(3, T0 + 30);
        for (const request of [soon, later, gone]) await store.insert(request, []);
        await store.transition(advance(gone, { status: 'cancelled' }), 1, []);
        await store.insert(makeRequest({ expiresAt: T0 }), []);

        const ids = async (filter: Parameters<DeletionStore['list']>[0]) =>
          (await store.list({ videoId, ...filter })).map((r) => r.id).sort();
        expect(await ids({ statuses: ['pending'] })).toEqual([soon.id, later.id].sort());
        expect(await ids({ statuses: ['cancelled', 'expired'] })).toEqual([gone.id]);
        expect(await ids({ statuses: [] })).toEqual([]);
        expect(await ids({ expiresAtOrBefore: T0 + 20 })).toEqual([soon.id, later.id].sort());
        expect(await ids({ statuses: ['pending'], expiresAtOrBefore: T0 + 19 })).toEqual([soon.id]);
        expect(await ids({})).toHaveLength(3);
      });

      it('finds the requests awaiting announcement: none shown, none claimed since a given time', async () => {
        const store = await open();
        const videoId = aVideoId();
        const make = (n: number, over: Partial<DeletionRequest> = {}) =>
          makeRequest({ videoId, jobIds: job(n), ...over });
        const waiting = make(1);
        const shown = make(2, { announcement: { claimedAt: T0 - 10, ref: { message: 'm-1' } } });
        const claimed = make(3, { announcement: { claimedAt: T0 } });
        const staleClaim = make(4, { announcement: { claimedAt: T0 - 10 } });
        const other = make(5, { requester: assistant });
        for (const request of [waiting, shown, claimed, staleClaim, other]) await store.insert(request, []);
        // A claim released (it could not be shown) waits again.
        const released = make(6, { announcement: { claimedAt: T0 } });
        await store.insert(released, []);
        await store.transition(advance(released, { announcement: undefined }), 1, []);

        const awaiting = async (claimedBefore: number) =>
          (await store.list({ videoId, statuses: ['pending'], awaitingAnnouncement: { claimedBefore } }))
            .map((r) => r.id)
            .sort();
        expect(await awaiting(T0 - 1)).toEqual([waiting.id, staleClaim.id, other.id, released.id].sort());
        expect(await awaiting(T0 - 11)).toEqual([waiting.id, other.id, released.id].sort());
        expect(await awaiting(T0)).toEqual(
          [waiting.id, claimed.id, staleClaim.id, other.id, released.id].sort(),
        );
        await store.transition(advance(waiting, { status: 'cancelled' }), 1, []);
        expect(await awaiting(T0 - 11)).toEqual([other.id, released.id].sort());
      });

      it('returns 100 requests by default, fewer when asked, and never more than 1000', async () => {
        const store = await open();
        const videoId = aVideoId();
        const requests = Array.from({ length: 1001 }, (_, i) =>
          makeRequest({ videoId, jobIds: job(i), createdAt: T0 + i }),
        );
        await Promise.all(requests.map((request) => store.insert(request, [])));
        const newest = requests.map((r) => r.id).reverse();
        expect((await store.list({ videoId })).map((r) => r.id)).toEqual(newest.slice(0, 100));
        expect((await store.list({ videoId, limit: 3 })).map((r) => r.id)).toEqual(newest.slice(0, 3));
        expect(await store.list({ videoId, limit: 5000 })).toHaveLength(1000);
      });

      it('throws on a limit that is not a positive integer', async () => {
        const store = await open();
        await expect(store.list({ limit: 0 })).rejects.toThrow(RangeError);
        await expect(store.listAudit({ limit: 2.5 })).rejects.toThrow(RangeError);
      });
    });

    describe('audit trail', () => {
      it('appends entries and lists them oldest first with increasing seq, exactly as given', async () => {
        const store = await open();
        const videoId = randomUUID();
        const entries: AuditEntry[] = [
          {
            at: T0,
            type: 'direct_deletion',
            actor: assistant,
            videoId,
            details: { jobIds: ['a', 'b'], n: 2 },
          },
          { at: T0 - 5, type: 'direct_deletion', actor: rita, videoId, details: { nested: { ok: true } } },
          { at: T0 + 1, type: 'expired', actor: aaron, requestId: 'dr-x', videoId, details: {} },
        ];
        await store.appendAudit(entries);
        await store.appendAudit([]);
        const listed = await store.listAudit({ videoId });
        expect(listed).toStrictEqual(entries.map((entry, i) => ({ ...entry, seq: listed[i]?.seq })));
        const seqs = listed.map((e) => e.seq ?? Number.NaN);
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        expect(new Set(seqs).size).toBe(3);
      });

      it('filters by time at or after, by video, by request, and limits', async () => {
        const store = await open();
        const request = makeRequest();
        const at = (offset: number, type: AuditEntry['type']) => auditOf(request, type, { at: T0 + offset });
        await store.insert(request, [at(0, 'created'), at(10, 'vote')]);
        await store.appendAudit([at(20, 'approved'), { ...at(30, 'direct_deletion'), requestId: undefined }]);
        const types = async (filter: Parameters<DeletionStore['listAudit']>[0]) =>
          (await store.listAudit({ videoId: request.videoId, ...filter })).map((e) => e.type);
        expect(await types({ since: T0 + 10 })).toEqual(['vote', 'approved', 'direct_deletion']);
        expect(await types({ requestId: request.id })).toEqual(['created', 'vote', 'approved']);
        expect(await types({ limit: 2 })).toEqual(['created', 'vote']);
        expect(await types({ limit: 2, newest: true })).toEqual(['direct_deletion', 'approved']);
        expect(await types({ videoId: randomUUID() })).toEqual([]);
      });

      it('reads a window (since) in time order, which across processes is not append order', async () => {
        const store = await open();
        const request = makeRequest();
        // Two processes: the second's entry, stamped earlier, is appended after the first's.
        await store.insert(request, [auditOf(request, 'created', { at: T0 })]);
        await store.appendAudit([auditOf(request, 'vote', { at: T0 + 20 })]);
        await store.appendAudit([auditOf(request, 'approved', { at: T0 + 10 })]);
        const types = async (filter: Parameters<DeletionStore['listAudit']>[0]) =>
          (await store.listAudit({ videoId: request.videoId, ...filter })).map((e) => e.type);
        expect(await types({})).toEqual(['created', 'vote', 'approved']);
        expect(await types({ since: T0 })).toEqual(['created', 'approved', 'vote']);
        expect(await types({ since: T0, newest: true, limit: 2 })).toEqual(['vote', 'approved']);
      });

      it('returns the oldest 1000 entries by default and never more than 10000', async () => {
        const store = await open();
        const videoId = randomUUID();
        const entries = Array.from(
          { length: 10_001 },
          (_, i): AuditEntry => ({ at: T0 + i, type: 'vote', actor: rita, videoId, details: { i } }),
        );
        await store.appendAudit(entries);
        const firstPage = await store.listAudit({ videoId });
        expect(firstPage).toHaveLength(1000);
        expect(firstPage.at(-1)?.details).toEqual({ i: 999 });
        expect(await store.listAudit({ videoId, limit: 20_000 })).toHaveLength(10_000);
      });

      it('has the database refuse UPDATE and DELETE of audit events', async () => {
        const store = await open();
        const videoId = randomUUID();
        const entry: AuditEntry = { at: T0, type: 'direct_deletion', actor: rita, videoId, details: {} };
        await store.appendAudit([entry]);
        await expect(
          rawSql(`UPDATE audit_events SET actor_id = 'mallory' WHERE video_id = '${videoId}'`),
        ).rejects.toThrow(/append-only/);
        await expect(rawSql(`DELETE FROM audit_events WHERE video_id = '${videoId}'`)).rejects.toThrow(
          /append-only/,
        );
        expect(await store.listAudit({ videoId })).toEqual([{ ...entry, seq: expect.any(Number) }]);
      });

      it('has the database refuse an upsert that would rewrite an audit event', async () => {
        const store = await open();
        const videoId = randomUUID();
        const entry: AuditEntry = { at: T0, type: 'direct_deletion', actor: rita, videoId, details: {} };
        await store.appendAudit([entry]);
        const [stored] = await store.listAudit({ videoId });
        await expect(
          rawSql(
            `INSERT INTO audit_events (seq, at, type, video_id, actor_source, actor_id, actor_name, details)
             VALUES (${stored?.seq}, ${T0}, 'vote', '${videoId}', 'slack', 'mallory', 'mallory', '{}')
             ON CONFLICT (seq) DO UPDATE SET actor_id = 'mallory'`,
          ),
        ).rejects.toThrow(/append-only/);
        expect(await store.listAudit({ videoId })).toEqual([stored]);
      });
    });

    describe('keys seen once', () => {
      it('remembers a key until it expires, for every instance', async () => {
        const [a, b] = await Promise.all([open(), open()]);
        const key = `slack:${randomUUID()}`;
        expect(await a.rememberOnce(key, T0 + 1000, T0)).toBe(true);
        expect(await b.rememberOnce(key, T0 + 1000, T0 + 500)).toBe(false);
        expect(await a.rememberOnce(`slack:${randomUUID()}`, T0 + 1000, T0)).toBe(true);
        // Once expired, forgotten: seen again as new.
        expect(await b.rememberOnce(key, T0 + 3000, T0 + 1000)).toBe(true);
      });

      it('lets exactly one of several instances claim a key at once', async () => {
        const stores = await Promise.all([open(), open(), open()]);
        const key = `slack:${randomUUID()}`;
        const claims = await Promise.all(stores.map((s) => s.rememberOnce(key, T0 + 1000, T0)));
        expect(claims.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('rate ledger', () => {
      /** How long from now the slot comes. */
      const waitFor = async (store: Store, key: string, spacingMs: number) =>
        (await store.reserve(key, spacingMs)) - performance.now();

      it('hands out the slots of a budget one spacing apart, to every instance in turn', async () => {
        const [a, b] = await Promise.all([open(), open()]);
        const key = `DeleteStream@${randomUUID()}`;
        const waits = [
          await waitFor(a, key, 10_000),
          await waitFor(b, key, 10_000),
          await waitFor(a, key, 10_000),
        ];
        // Each a spacing after the one before, less the few milliseconds that passed between the calls.
        expect(waits.map((w) => Math.round(Math.max(0, w) / 10_000))).toEqual([0, 1, 2]);
        expect(waits[1]).toBeGreaterThan(9_000);
        expect(await waitFor(b, `GetPlayInfo@${randomUUID()}`, 10_000)).toBeLessThanOrEqual(0);
      });

      it('gives concurrent reservations from two instances distinct slots', async () => {
        const [a, b] = await Promise.all([open(), open()]);
        const key = `DeleteStream@${randomUUID()}`;
        const waits = await Promise.all(
          Array.from({ length: 20 }, (_, i) => waitFor(i % 2 === 0 ? a : b, key, 10_000)),
        );
        expect(waits.map((w) => Math.round(Math.max(0, w) / 10_000)).sort((x, y) => x - y)).toEqual(
          Array.from({ length: 20 }, (_, i) => i),
        );
      });

      it('starts an idle budget again from now, never letting a backlog out as a burst', async () => {
        const store = await open();
        const key = `DeleteStream@${randomUUID()}`;
        expect(await waitFor(store, key, 200)).toBeLessThanOrEqual(0);
        // Idle for longer than a spacing: the next slot is now, not a slot in the past let out at once.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await waitFor(store, key, 200)).toBeLessThanOrEqual(0);
        expect(await waitFor(store, key, 200)).toBeGreaterThan(100);
      });
    });

    it('closes idempotently, and rejects calls once closed', async () => {
      const store = await open();
      await store.close();
      await store.close();
      await expect(store.get('dr-any')).rejects.toThrow();
    });
  });
}
