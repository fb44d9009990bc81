import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFetchWebhookSender, startAuditWebhook } from '../../src/app/audit-webhook.js';
import { packageVersion } from '../../src/app/version.js';
import {
  type AuditDeliverer,
  type DeliveryTiming,
  startAuditDeliverer,
} from '../../src/core/audit-webhooks/audit-deliverer.js';
import { loadAuditWebhookSettings } from '../../src/core/audit-webhooks/webhook-settings.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { AuditEntry } from '../../src/core/requests/audit-entry.js';
import type { AuditDeliveries } from '../../src/core/store/audit-deliveries.js';
import { createPostgresStore } from '../../src/core/store/postgres-store.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import type { Store } from '../../src/core/store/store.js';
import type { Telemetry } from '../../src/core/telemetry.js';
import {
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
  warnIfPostgresSkipped,
} from '../helpers/pg-schema.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'audit-webhook-secret-for-tests-0123456789';
const FAST: Partial<DeliveryTiming> = {
  batchSize: 2,
  pollMs: 10,
  settleMs: 0,
  backoff: { baseMs: 5, capMs: 20 },
};

const entry = (n: number, requestId = 'dr-test'): AuditEntry => ({
  at: Date.UTC(2026, 10, 24, 9, 0, n),
  type: 'direct_deletion',
  actor: { source: 'cli', id: 'ops', displayName: 'Ops' },
  requestId,
  videoId: `video-${n}`,
  details: { n },
});

let receiver: WebhookReceiver;
const stores: Store[] = [];
const deliverers: AuditDeliverer[] = [];
let dir: string;

beforeEach(async () => {
  receiver = await startWebhookReceiver(SECRET);
  dir = mkdtempSync(join(tmpdir(), 'vod-ops-webhook-'));
});
afterEach(async () => {
  await Promise.all(deliverers.splice(0).map((d) => d.stop()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await receiver.close();
});

async function sqliteStore(): Promise<Store> {
  const store = createSqliteStore({ path: join(dir, 'vod-ops.db') });
  await store.migrate();
  stores.push(store);
  return store;
}

/** A deliverer to the receiver, as `serve` starts it, with its log lines. */
function deliver(
  store: Store,
  owner: string,
  timing: Partial<DeliveryTiming> = FAST,
  timeout = '2s',
  telemetry?: Pick<Telemetry, 'auditDelivery'>,
) {
  return deliverWith(store, owner, timing, timeout, telemetry);
}

/** The same, over any `AuditDeliveries`. */
function deliverWith(
  store: AuditDeliveries,
  owner: string,
  timing: Partial<DeliveryTiming> = FAST,
  timeout = '2s',
  telemetry?: Pick<Telemetry, 'auditDelivery'>,
) {
  const lines: string[] = [];
  const settings = loadAuditWebhookSettings({
    VOD_OPS_AUDIT_WEBHOOK_URL: receiver.url,
    VOD_OPS_AUDIT_WEBHOOK_SECRET: SECRET,
    VOD_OPS_AUDIT_WEBHOOK_TIMEOUT: timeout,
  });
  const deliverer = startAuditWebhook({
    settings,
    deliveries: store,
    owner,
    ...(telemetry ? { telemetry } : {}),
    logger: createLogger({ write: (line: string) => void lines.push(line) }, 'info'),
    timing,
  });
  if (deliverer === undefined) throw new Error('no deliverer started');
  deliverers.push(deliverer);
  return { deliverer, lines };
}

describe('the audit webhook deliverer', () => {
  it('sends the trail in seq order, in signed batches, and keeps the cursor for whoever delivers next', async () => {
    const store = await sqliteStore();
    await store.appendAudit([1, 2, 3, 4, 5].map((n) => entry(n)));
    const { deliverer } = deliver(store, 'replica-a');
    const events = await receiver.waitForEvents((e) => e.length === 5);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]).toEqual({
      seq: 1,
      at: '2026-11-24T09:00:01.000Z',
      type: 'direct_deletion',
      requestId: 'dr-test',
      videoId: 'video-1',
      actor: { source: 'cli', id: 'ops', displayName: 'Ops' },
      details: { n: 1 },
    });
    expect(receiver.deliveries.map((d) => d.batch.deliveryId)).toEqual(['seq-1-2', 'seq-3-4', 'seq-5-5']);
    const { headers } = receiver.deliveries[0]!;
    expect(headers['x-vod-ops-delivery']).toBe('seq-1-2');
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe(`vod-ops/${packageVersion()}`);
    expect(receiver.refused).toBe(0);
    // The cursor moves once the receiver's answer is back, just after it kept the events.
    await vi.waitFor(() => expect(storedCursor()).toBe(5), { timeout: 10_000 });
    await deliverer.stop();
    expect(await store.claimAuditDelivery(loadTarget(), 'replica-b', 60_000)).toEqual({
      lastSeq: 5,
      attempts: 0,
    });
  });

  it('sends the same batch again after a 500 or a dropped connection until it is taken, logging each failure safely', async () => {
    const store = await sqliteStore();
    receiver.answer(500);
    await store.appendAudit([entry(1), entry(2), entry(3)]);
    const { lines } = deliver(store, 'replica-a');
    await vi.waitFor(() => expect(receiver.failed).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    receiver.answer('drop');
    const failedBefore = receiver.failed;
    await vi.waitFor(() => expect(receiver.failed).toBeGreaterThanOrEqual(failedBefore + 2), {
      timeout: 10_000,
    });
    receiver.answer('ok');
    const events = await receiver.waitForEvents((e) => e.length === 3);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    // Every attempt before the first success carried the same batch.
    const firstSuccess = receiver.attempts.indexOf('seq-3-3');
    expect(new Set(receiver.attempts.slice(0, firstSuccess))).toEqual(new Set(['seq-1-2']));

    const failures = lines.filter((l) => l.includes('audit webhook delivery failed'));
    expect(failures.length).toBeGreaterThanOrEqual(receiver.failed - 1);
    expect(failures.some((l) => l.includes('"failure":"HTTP 500"'))).toBe(true);
    expect(failures.some((l) => !l.includes('HTTP 500'))).toBe(true);
    expect(lines.some((l) => l.includes('audit webhook delivered after failures'))).toBe(true);
    for (const line of lines) {
      expect(line).not.toContain(SECRET);
      expect(line).not.toContain('v1=');
      expect(line).not.toContain('/siem/hook');
    }
  });

  it('records a delivered batch even when its metric throws, so it is not sent again', async () => {
    const store = await sqliteStore();
    await store.appendAudit([entry(1), entry(2), entry(3)]);
    const broken = () => {
      throw new TypeError('Invalid value for counter');
    };
    deliver(store, 'replica-a', FAST, '2s', { auditDelivery: broken });
    await receiver.waitForEvents((e) => e.length === 3);
    await vi.waitFor(() => expect(storedCursor()).toBe(3), { timeout: 10_000 });
    expect(receiver.deliveries.flatMap((d) => d.batch.events.map((e) => e.seq))).toEqual([1, 2, 3]);
  });

  it('stops at once while the receiver keeps a request hanging, and gives its lease up', async () => {
    const store = await sqliteStore();
    receiver.answer('hang');
    await store.appendAudit([entry(1)]);
    // A minute's timeout: were the request not aborted, stopping would outlast the test's own time limit.
    const { deliverer } = deliver(store, 'replica-a', FAST, '60s');
    await vi.waitFor(() => expect(receiver.attempts).toHaveLength(1), { timeout: 10_000 });
    await deliverer.stop();
    expect(await store.claimAuditDelivery(loadTarget(), 'replica-b', 60_000)).toEqual({
      lastSeq: 0,
      attempts: 0,
    });
  });

  it('hands the lease over when its holder keeps failing, so a healthy replica delivers everything', async () => {
    const [a, b] = [await sqliteStore(), await sqliteStore()];
    await a.appendAudit([1, 2, 3, 4, 5].map((n) => entry(n)));
    const target = loadTarget();
    const replica = (store: Store, owner: string, clock: Clock) => {
      const lines: string[] = [];
      const deliverer = startAuditDeliverer({
        deliveries: store,
        target,
        secret: SECRET,
        sender: createFetchWebhookSender({ url: receiver.url, timeoutMs: 500 }),
        owner,
        clock,
        random: () => 0.5,
        logger: createLogger({ write: (line: string) => void lines.push(line) }, 'info'),
        timing: { ...FAST, leaseMs: 1000, batchTimeoutMs: 500 },
      });
      deliverers.push(deliverer);
      return lines;
    };
    // Replica A's wall clock is ten minutes behind: the receiver refuses every signature it makes (401).
    const skewed: Clock = { now: () => Date.now() - 10 * 60_000, monotonic: systemClock.monotonic };
    const linesA = replica(a, 'replica-a', skewed);
    await vi.waitFor(() => expect(receiver.refused).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
    replica(b, 'replica-b', systemClock);
    const events = await receiver.waitForEvents((e) => e.length === 5);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(linesA.filter((l) => l.includes('giving the lease up'))).toHaveLength(1);
  });

  it('delivers from one process of a store at a time; another goes on from the cursor when it stops', async () => {
    const [a, b] = [await sqliteStore(), await sqliteStore()];
    await a.appendAudit([entry(1), entry(2), entry(3)]);
    const first = deliver(a, 'replica-a');
    await receiver.waitForEvents((e) => e.length === 3);
    const second = deliver(b, 'replica-b');
    await b.appendAudit([entry(4)]);
    await receiver.waitForEvents((e) => e.length === 4);
    expect(second.lines.filter((l) => l.includes('this process delivers'))).toEqual([]);
    await vi.waitFor(() => expect(storedCursor()).toBe(4), { timeout: 10_000 });
    await first.deliverer.stop();
    await b.appendAudit([entry(5), entry(6)]);
    const events = await receiver.waitForEvents((e) => e.length === 6);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(second.lines.filter((l) => l.includes('this process delivers'))).toHaveLength(1);
    // A clean hand-over sends nothing twice.
    expect(receiver.deliveries.flatMap((d) => d.batch.events.map((e) => e.seq))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('the webhook sender over HTTP', () => {
  it('takes a 2xx without reading its body, even one that never ends', async () => {
    const endless = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(64 * 1024);
      const more = () => {
        while (res.write(chunk)) {}
      };
      res.on('drain', more);
      more();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = endless.address() as AddressInfo;
      // A minute's timeout: were the body read, the send would outlast the test's own time limit.
      const sender = createFetchWebhookSender({ url: `http://127.0.0.1:${port}/hook`, timeoutMs: 60_000 });
      const outcome = await sender.send({ body: '{}', headers: {} }, new AbortController().signal);
      expect(outcome).toEqual({ delivered: true, status: 200 });
    } finally {
      endless.closeAllConnections();
      await new Promise<void>((resolve) => endless.close(() => resolve()));
    }
  });
});

warnIfPostgresSkipped('The audit webhook tests on PostgreSQL');

describe.skipIf(TEST_DATABASE_URL === '')('the audit webhook deliverer on PostgreSQL', () => {
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await createTestSchema();
  });
  afterEach(async () => {
    await Promise.all(deliverers.splice(0).map((d) => d.stop()));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await schema.drop();
  });

  it('holds back an entry committed after a later one, and delivers it in its place, skipping nothing', async () => {
    const store = createPostgresStore({ connectionString: schema.connectionString });
    stores.push(store);
    await store.migrate();
    await store.appendAudit([entry(1)]);
    // A slow writer takes seq 2 and has not committed when a quick one commits seq 3.
    const slow = new pg.Client({ connectionString: schema.connectionString });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(
        `INSERT INTO audit_events (at, type, request_id, video_id, actor_source, actor_id, actor_name, details)
         VALUES (${entry(2).at}, 'direct_deletion', 'dr-test', 'video-2', 'cli', 'ops', 'Ops', '{"n":2}')`,
      );
      await store.appendAudit([entry(3)]);
      deliver(store, 'replica-a');
      await receiver.waitForEvents((e) => e.length === 1);
      // Seq 3 is committed and readable, but the deliverer waits for the writer that holds seq 2.
      const page = await store.readAuditAfter(1, 10);
      expect(page.entries.map((e) => e.seq)).toEqual([3]);
      expect(receiver.events().map((e) => e.seq)).toEqual([1]);
      await slow.query('COMMIT');
    } finally {
      await slow.end();
    }
    const events = await receiver.waitForEvents((e) => e.length === 3);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('holds back an entry whose writer took its transaction id after the one that committed a later entry', async () => {
    const store = createPostgresStore({ connectionString: schema.connectionString });
    stores.push(store);
    await store.migrate();
    await store.appendAudit([entry(1)]);
    const [quick, slow] = [
      new pg.Client({ connectionString: schema.connectionString }),
      new pg.Client({ connectionString: schema.connectionString }),
    ];
    await Promise.all([quick.connect(), slow.connect()]);
    const insert = (n: number) =>
      `INSERT INTO audit_events (at, type, request_id, video_id, actor_source, actor_id, actor_name, details)
       VALUES (${entry(n).at}, 'direct_deletion', 'dr-test', 'video-${n}', 'cli', 'ops', 'Ops', '{"n":${n}}')`;
    // The real store, with one interleaving forced just before a read: after the deliverer's own claim has
    // committed, the slow writer takes a transaction id above every completed one, then seq 2; the quick writer,
    // whose id is older, commits seq 3. The read's snapshot then has xmin = xmax = the slow writer's id.
    let armed = false;
    let readsAfter = 0;
    const interleaved: AuditDeliveries = {
      ...deliveriesOf(store),
      async readAuditAfter(afterSeq, limit) {
        if (armed) {
          armed = false;
          await slow.query('BEGIN');
          await slow.query('SELECT pg_current_xact_id()');
          await slow.query(insert(2));
          await quick.query(insert(3));
          await quick.query('COMMIT');
        }
        const page = await store.readAuditAfter(afterSeq, limit);
        readsAfter += 1;
        return page;
      },
    };
    try {
      await quick.query('BEGIN');
      await quick.query('SELECT pg_current_xact_id()');
      deliverWith(interleaved, 'replica-a', { ...FAST, settleMs: 50 });
      await receiver.waitForEvents((e) => e.length === 1);
      readsAfter = 0;
      armed = true;
      // Many reads, well past settleMs (a gap is looked at every 100 ms), while the slow writer is still open.
      await vi.waitFor(() => expect(readsAfter).toBeGreaterThanOrEqual(6), { timeout: 10_000 });
      expect(receiver.events().map((e) => e.seq)).toEqual([1]);
      await slow.query('COMMIT');
    } finally {
      await Promise.all([quick.end(), slow.end()]);
    }
    const events = await receiver.waitForEvents((e) => e.length === 3);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('stops within its bound while the store does not answer, leaving the lease to run out', async () => {
    const store = createPostgresStore({ connectionString: schema.connectionString });
    stores.push(store);
    await store.migrate();
    await store.appendAudit([entry(1)]);
    const { deliverer, lines } = deliver(store, 'replica-a', { ...FAST, stopWaitMs: 100 });
    await receiver.waitForEvents((e) => e.length === 1);
    // A transaction holding the cursor's row: every claim, and the release, waits on it for as long as it lasts.
    const blocker = new pg.Client({ connectionString: schema.connectionString });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT * FROM audit_deliveries FOR UPDATE');
      await vi.waitFor(
        async () => {
          // Within a transaction pg_stat_activity is read once and kept: read it afresh.
          await blocker.query('SELECT pg_stat_clear_snapshot()');
          const waiting = await blocker.query(
            `SELECT 1 FROM pg_stat_activity
             WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO audit_deliveries%'`,
          );
          expect(waiting.rowCount).toBeGreaterThan(0);
        },
        { timeout: 10_000 },
      );
      // Were the wait unbounded, stop() would wait for this transaction, which ends only after it.
      await deliverer.stop();
      expect(lines.some((l) => l.includes('its lease runs out by itself'))).toBe(true);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });

  it('passes a seq whose writer rolled back, once no writer that could fill it is left', async () => {
    const store = createPostgresStore({ connectionString: schema.connectionString });
    stores.push(store);
    await store.migrate();
    const writer = new pg.Client({ connectionString: schema.connectionString });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO audit_events (at, type, video_id, actor_source, actor_id, actor_name, details)
         VALUES (0, 'direct_deletion', 'rolled-back', 'cli', 'ops', 'Ops', '{}')`,
      );
      await store.appendAudit([entry(2)]);
      deliver(store, 'replica-a');
      await vi.waitFor(async () => {
        const rows = await store.readAuditAfter(0, 10);
        expect(rows.entries.map((e) => e.seq)).toEqual([2]);
      });
      await writer.query('ROLLBACK');
    } finally {
      await writer.end();
    }
    const events = await receiver.waitForEvents((e) => e.length === 1);
    expect(events.map((e) => [e.seq, e.videoId])).toEqual([[2, 'video-2']]);
  });
});

/** The cursor as stored, read on a connection of its own. */
function storedCursor(): number | undefined {
  const db = new Database(join(dir, 'vod-ops.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT last_seq FROM audit_deliveries').get() as { last_seq: number } | undefined;
    return row?.last_seq;
  } finally {
    db.close();
  }
}

function loadTarget(): string {
  const settings = loadAuditWebhookSettings({
    VOD_OPS_AUDIT_WEBHOOK_URL: receiver.url,
    VOD_OPS_AUDIT_WEBHOOK_SECRET: SECRET,
  });
  return settings!.target;
}

/** The store's `AuditDeliveries` methods, bound to it, to be wrapped one by one. */
function deliveriesOf(store: Store): AuditDeliveries {
  return {
    claimAuditDelivery: store.claimAuditDelivery.bind(store),
    advanceAuditDelivery: store.advanceAuditDelivery.bind(store),
    recordAuditDeliveryFailure: store.recordAuditDeliveryFailure.bind(store),
    releaseAuditDelivery: store.releaseAuditDelivery.bind(store),
    readAuditAfter: store.readAuditAfter.bind(store),
    auditWritersBound: store.auditWritersBound.bind(store),
    auditDeliveryLag: store.auditDeliveryLag.bind(store),
  };
}
