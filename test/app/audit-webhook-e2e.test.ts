import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import { webhookEvent } from '../../src/core/audit-webhooks/webhook-document.js';
import type { Clock } from '../../src/core/clock.js';
import { createPostgresStore } from '../../src/core/store/postgres-store.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import type { Store } from '../../src/core/store/store.js';
import { startVodEmulator, type VodEmulator } from '../../src/sandbox/index.js';
import { ACTION_APPROVE } from '../../src/slack/blocks.js';
import { DEMO } from '../helpers/demo.js';
import { approvalMessageTs, type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { parseSamples, sampleValue } from '../helpers/metrics-text.js';
import {
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
  warnIfPostgresSkipped,
} from '../helpers/pg-schema.js';
import { promtool } from '../helpers/promtool.js';
import { blockActionPayload, postInteraction, postSlashCommand } from '../helpers/slack-request.js';
import {
  SIGNING_SECRET,
  startSlackServer,
  stubAlibabaCredentials,
  tempDbPath,
} from '../helpers/slack-server.js';
import { TEST_KEY } from '../helpers/vod-fixture.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const WEBHOOK_SECRET = 'audit-webhook-secret-for-tests-0123456789';
const CHANNEL = 'C0APPROVALS';
const REQUESTER = 'U0ALICE';
const APPROVER = 'U0BOB';

stubAlibabaCredentials();

let emulator: VodEmulator;
let slack: FakeSlack;
let receiver: WebhookReceiver;
let servers: RunningServer[] = [];
let dbPath: string;
let schema: TestSchema | undefined;
const clock: Clock = { now: () => Date.UTC(2026, 10, 24, 9, 0, 0), monotonic: () => performance.now() };
let responses = 0;

beforeEach(async () => {
  emulator = await startVodEmulator({ credentials: [TEST_KEY] });
  slack = await startFakeSlack();
  receiver = await startWebhookReceiver(WEBHOOK_SECRET);
  dbPath = tempDbPath('webhook-e2e');
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  await schema?.drop();
  schema = undefined;
  await receiver.close();
  await slack.close();
  await emulator.close();
});

/** `vod-ops serve` on the test's store, sending the audit trail to the receiver, retrying within milliseconds. */
async function serve(): Promise<RunningServer> {
  const server = await startSlackServer({
    emulator,
    slack,
    dbPath,
    approvers: [APPROVER],
    env: {
      ...(schema ? { DATABASE_URL: schema.connectionString } : {}),
      VOD_OPS_LOG_LEVEL: 'silent',
      VOD_OPS_AUDIT_WEBHOOK_URL: receiver.url,
      VOD_OPS_AUDIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      VOD_OPS_AUDIT_WEBHOOK_TIMEOUT: '2s',
    },
    clock,
    auditDelivery: { pollMs: 20, settleMs: 0, backoff: { baseMs: 10, capMs: 40 } },
  });
  servers.push(server);
  return server;
}

/** Asks `server` for a deletion in Slack, and has an approver approve it through `approveAt`; returns its id. */
async function deleteThroughSlack(server: RunningServer, jobs: string, approveAt = server): Promise<string> {
  const responseId = `cmd-${++responses}`;
  const ack = await postSlashCommand(server.url, SIGNING_SECRET, {
    text: `delete-stream ${DEMO.keynote} ${jobs} stale renditions`,
    user_id: REQUESTER,
    user_name: 'alice',
    channel_id: CHANNEL,
    response_url: slack.responseUrl(responseId),
  });
  expect(ack.status).toBe(200);
  const posted = await slack.waitForResponse((r) => r.id === responseId);
  const requestId = /Request (dr-[\w-]+) is posted/.exec(String(posted.body.text))?.[1];
  if (requestId === undefined) throw new Error(`no request: ${String(posted.body.text)}`);
  await vi.waitFor(() => approvalMessageTs(slack, requestId), { timeout: 5000 });
  const click = await postInteraction(
    approveAt.url,
    SIGNING_SECRET,
    blockActionPayload({
      userId: APPROVER,
      requestId,
      actionId: ACTION_APPROVE,
      channel: CHANNEL,
      messageTs: approvalMessageTs(slack, requestId),
      responseUrl: slack.responseUrl(`click-${++responses}`),
    }),
  );
  expect(click.status).toBe(200);
  return requestId;
}

/** The store's trail (of one request, or all of it), as a webhook sends it. */
async function storedTrail(requestId?: string) {
  const store: Store = schema
    ? createPostgresStore({ connectionString: schema.connectionString })
    : createSqliteStore({ path: dbPath, checkpoints: false });
  try {
    return (await store.listAudit(requestId === undefined ? {} : { requestId })).map(webhookEvent);
  } finally {
    await store.close();
  }
}

async function succeeded(requestId: string): Promise<void> {
  await vi.waitFor(
    async () => expect((await storedTrail(requestId)).map((e) => e.type)).toContain('succeeded'),
    { timeout: 10_000, interval: 20 },
  );
}

warnIfPostgresSkipped('The audit webhook end-to-end tests on PostgreSQL');

const STORES: ReadonlyArray<readonly [string, boolean]> = [
  ['SQLite', false],
  ...(TEST_DATABASE_URL === '' ? [] : [['PostgreSQL', true] as const]),
];

describe.each(STORES)('audit webhooks from vod-ops serve on %s', (_kind, postgres) => {
  beforeEach(async () => {
    if (postgres) schema = await createTestSchema();
  });

  it('delivers a request’s trail to the receiver, signed, in order, exactly as the store holds it', async () => {
    const server = await serve();
    const requestId = await deleteThroughSlack(server, `${DEMO.keynoteLd},${DEMO.keynoteSd}`);
    await succeeded(requestId);
    const trail = await storedTrail(requestId);
    expect(trail.map((e) => e.type)).toEqual(['created', 'vote', 'approved', 'executing', 'succeeded']);

    const events = await receiver.waitForEvents((e) => e.some((x) => x.type === 'succeeded'));
    expect(events.filter((e) => e.requestId === requestId)).toEqual(trail);
    expect(receiver.refused).toBe(0);
    for (const delivery of receiver.deliveries) {
      expect(delivery.headers['x-vod-ops-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
      expect(delivery.headers['x-vod-ops-delivery']).toBe(delivery.batch.deliveryId);
    }

    // The signature covers the body: the same headers on a body one byte longer are refused.
    const first = receiver.deliveries[0]!;
    const tampered = await fetch(receiver.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-vod-ops-timestamp': String(first.headers['x-vod-ops-timestamp']),
        'x-vod-ops-signature': String(first.headers['x-vod-ops-signature']),
      },
      body: first.rawBody.replace('"seq":', '"seq": '),
    });
    expect(tampered.status).toBe(401);
    expect(receiver.refused).toBe(1);
  });

  it('retries while the receiver fails, without holding the deletion back, and loses nothing once it recovers', async () => {
    receiver.answer(500);
    const server = await serve();
    const requestId = await deleteThroughSlack(server, `${DEMO.keynoteLd},${DEMO.keynoteSd}`);
    // The deletion went through while every delivery failed.
    await succeeded(requestId);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
    expect(receiver.deliveries).toHaveLength(0);
    await vi.waitFor(() => expect(receiver.failed).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    receiver.answer('drop');
    const failed = receiver.failed;
    await vi.waitFor(() => expect(receiver.failed).toBeGreaterThanOrEqual(failed + 2), { timeout: 10_000 });
    receiver.answer('ok');

    const trail = await storedTrail();
    const events = await receiver.waitForEvents((e) => e.length >= trail.length);
    expect(events).toEqual(trail);
    expect(events.filter((e) => e.requestId === requestId).map((e) => e.type)).toEqual([
      'created',
      'vote',
      'approved',
      'executing',
      'succeeded',
    ]);

    // Prometheus sees the failures, the deliveries, and no lag once the cursor is past the last entry.
    await vi.waitFor(
      async () => {
        const body = await (await fetch(`${server.url}/metrics`)).text();
        const samples = parseSamples(body);
        expect(sampleValue(samples, 'vodops_audit_webhook_lag_entries')).toBe(0);
        expect(
          sampleValue(samples, 'vodops_audit_webhook_deliveries_total', { outcome: 'failed' }),
        ).toBeGreaterThanOrEqual(4);
        expect(
          sampleValue(samples, 'vodops_audit_webhook_deliveries_total', { outcome: 'delivered' }),
        ).toBeGreaterThanOrEqual(1);
        expect(sampleValue(samples, 'vodops_audit_webhook_events_delivered_total')).toBeGreaterThanOrEqual(
          trail.length,
        );
      },
      { timeout: 10_000, interval: 50 },
    );
    const body = await (await fetch(`${server.url}/metrics`)).text();
    expect(promtool(['check', 'metrics'], body)).toEqual({ code: 0, output: '' });
  });

  it('from two replicas of one store, delivers every entry, never out of order, through a replica stopping', async () => {
    const [a, b] = [await serve(), await serve()];
    const first = await deleteThroughSlack(a, `${DEMO.keynoteLd},${DEMO.keynoteSd}`, b);
    await succeeded(first);
    await receiver.waitForEvents((e) => e.some((x) => x.requestId === first && x.type === 'succeeded'));
    await a.close();
    servers = servers.filter((s) => s !== a);
    const second = await deleteThroughSlack(b, DEMO.keynoteStaleHd);
    await succeeded(second);

    const trail = await storedTrail();
    const events = await receiver.waitForEvents((e) => e.length >= trail.length);
    expect(events).toEqual(trail);
    // Duplicates are allowed (at least once), disorder is not: every delivery, and the arrivals, go up by seq.
    const arrivals = receiver.deliveries.flatMap((d) => d.batch.events.map((e) => e.seq));
    const firstArrivals = arrivals.filter((seq, i) => arrivals.indexOf(seq) === i);
    expect(firstArrivals).toEqual([...firstArrivals].sort((x, y) => x - y));
    for (const delivery of receiver.deliveries) {
      const seqs = delivery.batch.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
  });
});
