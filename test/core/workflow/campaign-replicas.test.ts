import { afterEach, describe, expect, it } from 'vitest';
import type { Campaign, CampaignItem } from '../../../src/core/campaigns/campaign.js';
import type { AuditEntry } from '../../../src/core/requests/audit-entry.js';
import {
  createBulkCatalogue,
  type EmulatorCall,
  startVodEmulator,
  type VodEmulator,
} from '../../../src/sandbox/index.js';
import {
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
  warnIfPostgresSkipped,
} from '../../helpers/pg-schema.js';
import { TEST_KEY } from '../../helpers/vod-fixture.js';
import { startWorker, type WorkerProcess } from '../../helpers/worker-process.js';

/** Each replica signs with its own AccessKey, so the emulator's log says which one sent every call. */
const KEY_A = TEST_KEY;
const KEY_B = { accessKeyId: 'LTAItestkey0002', accessKeySecret: 'test-secret-Bq4pW7' };
const alice = { source: 'slack' as const, id: 'U0ALICE', displayName: 'alice' };
const approver = { source: 'slack' as const, id: 'U0APPROVER00', displayName: 'approver' };
/** Enough items that two replicas sharing 48 DeleteStream/s take about six seconds. */
const VIDEOS = 300;
/** Each video has LD, SD and HD mp4; the rule deletes LD and SD, and every video keeps its HD stream. */
const RULE = { streams: { definitions: ['LD', 'SD'] } };
/** Every answer held this long, so that a replica always has DeleteStream calls in flight. */
const LATENCY_MS = 150;

warnIfPostgresSkipped('Campaign execution across replicas');

let emulator: VodEmulator | undefined;
let schema: TestSchema | undefined;
const workers: WorkerProcess[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill()));
  await emulator?.close();
  await schema?.drop();
  emulator = undefined;
  schema = undefined;
});

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!TEST_DATABASE_URL)('a campaign executed by two replicas on one PostgreSQL store', () => {
  it('finishes after one replica is killed mid-campaign, every approved stream deleted exactly once', async () => {
    const catalogue = createBulkCatalogue({ videos: VIDEOS, streamsPerVideo: 3, seed: 'replicas' });
    const vod = await startVodEmulator({ credentials: [KEY_A, KEY_B], catalogue });
    emulator = vod;
    schema = await createTestSchema();
    const env = (key: typeof KEY_A): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
      ALIBABA_CLOUD_ACCESS_KEY_ID: key.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.accessKeySecret,
      VOD_ENDPOINT: vod.endpoint,
      VOD_OPS_APPROVERS: approver.id,
      VOD_OPS_LOG_LEVEL: 'warn',
      DATABASE_URL: schema?.connectionString,
      // An item's claim lasts 2 × 4 s, just over the longest its two calls can take (1 attempt of 2 s each),
      // so the killed replica's items come back within seconds.
      VOD_OPS_EXECUTION_LEASE_MS: '4000',
      VOD_TIMEOUT_MS: '2000',
      VOD_MAX_ATTEMPTS: '1',
    });
    const [doomed, survivor] = await Promise.all([startWorker(env(KEY_A)), startWorker(env(KEY_B))]);
    workers.push(doomed, survivor);
    const sentBy = (call: EmulatorCall, key: typeof KEY_A) => call.accessKeyId === key.accessKeyId;
    const items = () => survivor.send<CampaignItem[]>({ cmd: 'campaign-items', id: campaign.id });

    const campaign = await doomed.send<Campaign>({ cmd: 'plan-campaign', rule: RULE, requester: alice });
    expect(campaign).toMatchObject({ status: 'pending', plan: { items: VIDEOS } });
    vod.setLatency(LATENCY_MS);
    // The survivor's approval starts the run there at once; the doomed replica's sweeper joins within 100 ms.
    expect(await survivor.send({ cmd: 'vote-campaign', id: campaign.id, approver })).toEqual({
      ok: true,
      status: 'approved',
    });

    await waitFor(async () => {
      const settledByDoomed = (await items()).filter((i) => i.outcome?.by === doomed.instanceId);
      return settledByDoomed.length >= 10 ? true : undefined;
    }, 'the doomed replica to settle some items');
    // Killed while one of its DeleteStream calls is in flight, well before its answer: the emulator has deleted
    // the streams, and the replica never hears it. Checked and killed in one turn of the event loop, so the
    // emulator (in this process) cannot answer in between.
    await waitFor(async () => {
      const inFlight = vod
        .callsTo('DeleteStream')
        .some((c) => sentBy(c, KEY_A) && c.status === 0 && Date.now() - c.receivedAt < LATENCY_MS / 2);
      if (!inFlight) return undefined;
      void doomed.kill();
      return true;
    }, 'a DeleteStream of the doomed replica in flight');
    await doomed.kill();
    // What it held when it died: its leases have seconds left, so nothing has taken these over yet.
    const held = (await items()).filter((i) => i.status === 'running' && i.owner === doomed.instanceId);
    expect(held.length).toBeGreaterThan(0);

    const done = await waitFor(async () => {
      const current = await survivor.send<Campaign>({ cmd: 'campaign', id: campaign.id });
      return current.status === 'completed' ? current : undefined;
    }, 'the campaign to complete');
    expect(done.execution?.finishedAt).toBeDefined();
    const final = await items();
    const trail = await survivor.send<AuditEntry[]>({ cmd: 'campaign-audit', id: campaign.id });

    // "Deleted exactly once": for every approved item, exactly one DeleteStream naming its video reached the
    // emulator, with exactly the item's job IDs, and none was refused (no NotFound from a second attempt, no
    // error at all); its answer is 200, or was never sent (status 0) because the replica that sent it was killed.
    // No other DeleteStream reached the emulator, and every video keeps exactly the stream nobody approved.
    const deletes = vod.callsTo('DeleteStream');
    expect(deletes).toHaveLength(VIDEOS);
    expect(deletes.filter((c) => c.code !== undefined)).toEqual([]);
    const callFor = new Map(deletes.map((c) => [c.params.VideoId, c]));
    expect(callFor.size).toBe(VIDEOS);
    for (const item of final) {
      const call = callFor.get(item.videoId);
      expect(call?.params.JobIds).toBe(item.jobIds.join(','));
      expect(call?.status === 200 || (call?.status === 0 && sentBy(call, KEY_A))).toBe(true);
    }
    for (const video of catalogue) {
      expect(vod.video(video.videoId)?.streams).toEqual([video.streams[2]]);
    }

    expect(final.every((i) => i.status === 'deleted')).toBe(true);
    expect(final.filter((i) => i.claims > 1).map((i) => i.seq)).toEqual(held.map((i) => i.seq));
    // Its items, claimed again by the survivor once their leases ran out.
    const heldSeqs = new Set(held.map((i) => i.seq));
    for (const item of final.filter((i) => heldSeqs.has(i.seq))) {
      expect(item).toMatchObject({ claims: 2, outcome: { by: survivor.instanceId } });
      const call = callFor.get(item.videoId);
      if (call && sentBy(call, KEY_A)) {
        // Deleted by the replica that died, never recorded by it: found gone, and not sent again.
        expect(item.outcome).toMatchObject({ alreadyDeleted: true });
        expect(item.outcome?.requestId).toBeUndefined();
      } else {
        expect(item.outcome).toMatchObject({ requestId: call?.requestId });
        expect(item.outcome?.alreadyDeleted).toBeUndefined();
      }
    }
    const lost = final.filter((i) => i.outcome?.alreadyDeleted);
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((i) => heldSeqs.has(i.seq))).toBe(true);
    // Every other item carries the RequestId of the one call that deleted it, from the replica that sent it.
    for (const item of final.filter((i) => !i.outcome?.alreadyDeleted)) {
      const call = callFor.get(item.videoId);
      expect(item.outcome?.requestId).toBe(call?.requestId);
      const sender = call && sentBy(call, KEY_A) ? doomed : survivor;
      expect(item.outcome?.by).toBe(sender.instanceId);
    }
    // Both replicas did part of the work.
    expect(final.filter((i) => i.outcome?.by === doomed.instanceId).length).toBeGreaterThanOrEqual(10);
    expect(final.filter((i) => i.outcome?.by === survivor.instanceId).length).toBeGreaterThan(held.length);

    // The trail: one settled entry per item (any superseded one flagged as such), and one start and one end.
    const settled = trail.filter((e) => e.type.startsWith('item_'));
    expect(settled.filter((e) => e.details.superseded !== true).map((e) => e.details.seq)).toEqual(
      expect.arrayContaining(final.map((i) => i.seq)),
    );
    const current = settled.filter((e) => e.details.superseded !== true);
    expect(current).toHaveLength(VIDEOS);
    expect(current.every((e) => e.type === 'item_deleted')).toBe(true);
    expect(trail.filter((e) => e.type === 'campaign_started')).toHaveLength(1);
    expect(trail.filter((e) => e.type === 'campaign_completed')).toMatchObject([
      { details: { deleted: VIDEOS, skipped: 0, failed: 0 } },
    ]);
    expect(trail.at(-1)?.type).toBe('campaign_completed');
  }, 90_000);
});
