import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { newCampaignId } from '../../../src/core/campaigns/campaign.js';
import { parseSelectionRule } from '../../../src/core/campaigns/selection-rule.js';
import { createLogger } from '../../../src/core/logger.js';
import { createAllowlistApprovers } from '../../../src/core/requests/approvers.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import { createSqliteStore } from '../../../src/core/store/sqlite-store.js';
import type { Store } from '../../../src/core/store/store.js';
import { noTelemetry } from '../../../src/core/telemetry.js';
import { itemsDigest } from '../../../src/core/workflow/campaign-planning.js';
import {
  type CampaignWorkflow,
  createCampaignWorkflow,
} from '../../../src/core/workflow/campaign-workflow.js';
import { createBulkCatalogue, type EmulatorVideo } from '../../../src/sandbox/index.js';
import { startVodFixture, type VodFixture } from '../../helpers/vod-fixture.js';

const rita: Principal = { source: 'cli', id: 'rita', displayName: 'rita' };
const approver: Principal = { source: 'slack', id: 'U0APPROVER', displayName: 'approver' };
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
/** Each video has LD, SD and HD mp4; the rule deletes LD and SD, so every video keeps its HD stream. */
const RULE = { streams: { definitions: ['LD', 'SD'] } };
/** These tests are about execution, not pacing (tested on its own): every call goes at once. */
const unpaced =
  () =>
  <T>(fn: () => Promise<T>) =>
    fn();

describe('executing a clean-up campaign in one process', () => {
  const open: Array<{ close(): Promise<void> | void }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  async function setUp(options: { videos: number; store?: Store; concurrency?: number }) {
    const catalogue = createBulkCatalogue({ videos: options.videos, streamsPerVideo: 3, seed: 'exec' });
    const fixture: VodFixture = await startVodFixture({ emulator: { catalogue }, limiterFor: unpaced });
    const store = options.store ?? createSqliteStore({ path: ':memory:' });
    await store.migrate();
    open.push(fixture, store);
    /** What telemetry was told of settled items, in order. */
    const itemOutcomes: string[] = [];
    const campaigns: CampaignWorkflow = createCampaignWorkflow({
      vod: fixture.regions,
      store,
      trail: store,
      approvers: createAllowlistApprovers([approver.id], ['slack', 'cli']),
      clock: { now: () => T0, monotonic: () => T0 },
      logger: createLogger({ write: () => {} }),
      newCampaignId: () => newCampaignId(randomBytes),
      instanceId: 'host:1',
      settings: { approvalTtlMs: 72 * 3_600_000, requiredApprovals: 1 },
      execution: { concurrency: options.concurrency ?? 4, itemLeaseMs: 60_000 },
      telemetry: { ...noTelemetry, campaignItem: ({ outcome }) => itemOutcomes.push(outcome) },
    });
    const campaign = await campaigns.plan({
      rule: parseSelectionRule(RULE, T0),
      reason: 'drop LD and SD',
      requester: rita,
    });
    expect(campaign.plan.items).toBe(options.videos);
    const { emulator } = fixture;
    /** DeleteStream calls that reached the emulator, by video. */
    const deletesOf = (videoId: string) =>
      emulator.callsTo('DeleteStream').filter((call) => call.params.VideoId === videoId);
    const jobsLeft = (videoId: string) => emulator.video(videoId)?.streams.map((s) => s.definition);
    return { catalogue, fixture, emulator, store, campaigns, campaign, deletesOf, jobsLeft, itemOutcomes };
  }

  /** The video as Alibaba holds it now, changed by someone else (the console, another tool). */
  function changeVideo(fixture: VodFixture, video: EmulatorVideo, keep: (definition: string) => boolean) {
    fixture.emulator.addVideos([{ ...video, streams: video.streams.filter((s) => keep(s.definition)) }]);
  }

  it('skips a video changed since approval, deleting none of its streams, and deletes the rest', async () => {
    const { catalogue, fixture, store, campaigns, campaign, deletesOf, jobsLeft, itemOutcomes } = await setUp(
      {
        videos: 8,
      },
    );
    const [, gone, guarded] = catalogue;
    expect(await campaigns.vote(campaign.id, approver, 'approve')).toMatchObject({ ok: true });
    // Approved, and its run started in this process, but no item has read its video yet: the emulator answers on
    // a later turn of the event loop. One video lost its SD stream since; another its HD, the stream kept.
    changeVideo(fixture, gone!, (d) => d !== 'SD');
    changeVideo(fixture, guarded!, (d) => d !== 'HD');
    await campaigns.idle();

    expect(await campaigns.get(campaign.id)).toMatchObject({ status: 'completed' });
    const items = await campaigns.items(campaign.id);
    const byVideo = new Map(items.map((item) => [item.videoId, item]));
    expect(byVideo.get(gone!.videoId as never)).toMatchObject({
      status: 'skipped',
      outcome: {
        reason: `Stream ${gone!.streams[1]!.jobId} no longer exists: the video changed since the plan, so this item was skipped.`,
      },
    });
    expect(byVideo.get(guarded!.videoId as never)).toMatchObject({
      status: 'skipped',
      outcome: { reason: expect.stringContaining('would leave the video no playable stream') },
    });
    // Not half-deleted: neither changed video saw a DeleteStream, and each keeps what it had.
    expect(deletesOf(gone!.videoId)).toEqual([]);
    expect(deletesOf(guarded!.videoId)).toEqual([]);
    expect(jobsLeft(gone!.videoId)).toEqual(['LD', 'HD']);
    expect(jobsLeft(guarded!.videoId)).toEqual(['LD', 'SD']);
    for (const video of catalogue.filter((v) => v !== gone && v !== guarded)) {
      const [call] = deletesOf(video.videoId);
      expect(deletesOf(video.videoId)).toHaveLength(1);
      expect(call?.params.JobIds?.split(',').sort()).toEqual(
        video.streams
          .slice(0, 2)
          .map((s) => s.jobId)
          .sort(),
      );
      expect(byVideo.get(video.videoId as never)).toMatchObject({
        status: 'deleted',
        claims: 1,
        outcome: { requestId: call?.requestId },
      });
      expect(jobsLeft(video.videoId)).toEqual(['HD']);
    }
    expect(await campaigns.counts(campaign.id)).toMatchObject({
      deleted: { items: 6 },
      skipped: { items: 2 },
      failed: { items: 0 },
    });
    // Each settled item told once, for the operator's vodops_campaign_items_total.
    expect([...itemOutcomes].sort()).toEqual([...Array(6).fill('deleted'), 'skipped', 'skipped']);
    const trail = await store.listAudit({ requestId: campaign.id });
    expect(trail.filter((e) => e.type === 'item_skipped').map((e) => e.videoId)).toEqual(
      expect.arrayContaining([gone!.videoId, guarded!.videoId]),
    );
    expect(trail.at(-1)).toMatchObject({
      type: 'campaign_completed',
      details: { deleted: 6, skipped: 2, failed: 0 },
    });
  });

  it('refuses to start when the items no longer hash to the digest the plan recorded, deleting nothing', async () => {
    // A file, so that a second connection can do what the product never does: bypass the triggers that freeze items.
    const dir = mkdtempSync(join(tmpdir(), 'vod-ops-exec-'));
    open.push({ close: () => rmSync(dir, { recursive: true, force: true }) });
    const path = join(dir, 'vod-ops.db');
    const { catalogue, emulator, campaigns, campaign } = await setUp({
      videos: 4,
      store: createSqliteStore({ path }),
    });
    const approvedDigest = campaign.plan.digest ?? '';
    // Someone with the database owner's rights widens item 1 to the video's HD stream too (the one the guard
    // kept), and rewrites the campaign row's digest to match, so that the row alone would not tell.
    const raw = new Database(path);
    open.push({
      close: () => {
        raw.close();
      },
    });
    const first = catalogue[0]!;
    raw.exec('DROP TRIGGER campaign_items_frozen');
    raw
      .prepare('UPDATE campaign_items SET job_ids = ? WHERE campaign_id = ? AND seq = 1')
      .run(first.streams.map((s) => s.jobId).join(','), campaign.id);
    const store = createSqliteStore({ path });
    open.push(store);
    const tampered = await itemsDigest(store, campaign.id, campaign.region);
    raw
      .prepare(`UPDATE campaigns SET data = json_set(data, '$.plan.digest', ?) WHERE id = ?`)
      .run(tampered, campaign.id);
    expect((await campaigns.get(campaign.id))?.plan.digest).toBe(tampered);

    expect(await campaigns.vote(campaign.id, approver, 'approve')).toMatchObject({ ok: true });
    await campaigns.idle();

    // The approving process's start was refused, and the campaign closed so that no sweep tries again.
    expect(await campaigns.get(campaign.id)).toMatchObject({ status: 'cancelled' });
    expect(await campaigns.start(campaign.id)).toEqual({
      ok: false,
      refusal: { kind: 'not_running', status: 'cancelled' },
    });
    expect(emulator.callsTo('DeleteStream')).toEqual([]);
    expect(emulator.video(first.videoId)?.streams).toHaveLength(3);
    expect((await campaigns.items(campaign.id)).every((item) => item.status === 'pending')).toBe(true);
    const trail = await campaigns.audit(campaign.id);
    expect(trail.map((e) => e.type)).toEqual([
      'campaign_created',
      'campaign_planned',
      'campaign_vote',
      'campaign_approved',
      'campaign_cancelled',
    ]);
    expect(String(trail.at(-1)?.details.reason)).toContain(
      `no longer match what was approved (digest ${approvedDigest.slice(0, 12)}…, found ${tampered.slice(0, 12)}…)`,
    );
  });

  it('refuses to start when the campaign row lost the region that was approved, deleting nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vod-ops-exec-'));
    open.push({ close: () => rmSync(dir, { recursive: true, force: true }) });
    const path = join(dir, 'vod-ops.db');
    const { emulator, campaigns, campaign } = await setUp({ videos: 2, store: createSqliteStore({ path }) });
    expect(campaign.region).toBe('cn-shanghai');
    // The same items sent to another region would delete other videos' streams, so the digest covers the region.
    // Here the row loses its region (so it would run in the home region): the digest no longer matches.
    const raw = new Database(path);
    open.push({
      close: () => {
        raw.close();
      },
    });
    raw.prepare(`UPDATE campaigns SET data = json_remove(data, '$.region') WHERE id = ?`).run(campaign.id);
    expect((await campaigns.get(campaign.id))?.region).toBeUndefined();

    expect(await campaigns.vote(campaign.id, approver, 'approve')).toMatchObject({ ok: true });
    await campaigns.idle();
    expect(await campaigns.get(campaign.id)).toMatchObject({ status: 'cancelled' });
    expect(emulator.callsTo('DeleteStream')).toEqual([]);
  });

  it('gives back an item paused before its DeleteStream as never tried, so a change meanwhile skips it', async () => {
    const { fixture, emulator, campaigns, campaign, catalogue, deletesOf } = await setUp({
      videos: 3,
      concurrency: 1,
    });
    const [first] = catalogue;
    // The first item's read of its video is held until the campaign is paused: the item is then given back.
    emulator.injectFault({ action: 'GetPlayInfo', kind: 'stall', delayMs: 300 });
    expect(await campaigns.vote(campaign.id, approver, 'approve')).toMatchObject({ ok: true });
    while (emulator.callsTo('GetPlayInfo').every((call) => call.fault !== 'stall')) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await campaigns.pause(campaign.id, { by: rita })).toMatchObject({ ok: true });
    await campaigns.idle();
    expect((await campaigns.items(campaign.id))[0]).toMatchObject({ status: 'pending', claims: 0 });
    expect(emulator.callsTo('DeleteStream')).toEqual([]);

    // While it is paused, someone deletes that video's LD and SD streams elsewhere.
    changeVideo(fixture, first!, (d) => d === 'HD');
    await campaigns.resumeRun(campaign.id, { by: rita });
    await campaigns.idle();
    const [item, ...rest] = await campaigns.items(campaign.id);
    // Not "deleted by an earlier attempt whose process stopped": vod-ops never sent that DeleteStream.
    expect(item).toMatchObject({
      status: 'skipped',
      claims: 1,
      outcome: { reason: expect.stringContaining('no longer exist') },
    });
    expect(item?.outcome?.alreadyDeleted).toBeUndefined();
    expect(deletesOf(first!.videoId)).toEqual([]);
    expect(rest.map((i) => [i.status, i.claims])).toEqual([
      ['deleted', 1],
      ['deleted', 1],
    ]);
  });

  it('stops starting items once paused, lets those running finish, and finishes all of them once resumed', async () => {
    const { emulator, campaigns, campaign, deletesOf, jobsLeft, catalogue } = await setUp({
      videos: 30,
      concurrency: 2,
    });
    // Slow enough answers that the pause lands while items are in flight.
    emulator.setLatency(20);
    let settled = 0;
    let paused: Promise<unknown> | undefined;
    campaigns.subscribe((event) => {
      if (event.kind === 'item' && ++settled === 5) paused = campaigns.pause(campaign.id, { by: rita });
    });
    expect(await campaigns.vote(campaign.id, approver, 'approve')).toMatchObject({ ok: true });
    await campaigns.idle();
    expect(await paused).toMatchObject({ ok: true, campaign: { status: 'paused' } });

    const counts = await campaigns.counts(campaign.id);
    expect(counts.running.items).toBe(0);
    // The fifth settled item paused it; at most the other one in flight (concurrency 2) settled after it.
    expect(counts.deleted.items).toBeGreaterThanOrEqual(5);
    expect(counts.deleted.items).toBeLessThanOrEqual(6);
    expect(counts.pending.items).toBe(30 - counts.deleted.items);
    const pending = await campaigns.items(campaign.id, { statuses: ['pending'] });
    for (const item of pending) {
      expect(deletesOf(item.videoId)).toEqual([]);
      expect(jobsLeft(item.videoId)).toEqual(['LD', 'SD', 'HD']);
    }
    expect(emulator.callsTo('DeleteStream')).toHaveLength(counts.deleted.items);

    expect(await campaigns.resumeRun(campaign.id, { by: rita })).toMatchObject({
      ok: true,
      campaign: { status: 'running' },
    });
    await campaigns.idle();
    expect(await campaigns.get(campaign.id)).toMatchObject({ status: 'completed' });
    expect(await campaigns.counts(campaign.id)).toMatchObject({
      deleted: { items: 30 },
      pending: { items: 0 },
    });
    for (const video of catalogue) {
      expect(deletesOf(video.videoId)).toHaveLength(1);
      expect(jobsLeft(video.videoId)).toEqual(['HD']);
    }
    expect((await campaigns.audit(campaign.id)).map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'campaign_started',
        'campaign_paused',
        'campaign_resumed',
        'campaign_completed',
      ]),
    );
  });

  it('stops claiming when its process shuts down: only the items in flight finish, the rest wait for a run', async () => {
    const { emulator, campaigns, campaign } = await setUp({ videos: 12, concurrency: 2 });
    // Every read of a video takes a while, so the run is still going when the process stops.
    for (let i = 0; i < 12; i++) emulator.injectFault({ action: 'GetPlayInfo', kind: 'stall', delayMs: 50 });
    expect(await campaigns.vote(campaign.id, approver, 'approve')).toMatchObject({ ok: true });
    campaigns.stopRuns();
    await campaigns.idle();

    const counts = await campaigns.counts(campaign.id);
    expect(counts.running.items).toBe(0);
    expect(counts.deleted.items).toBeLessThanOrEqual(2);
    expect(counts.pending.items).toBeGreaterThanOrEqual(10);
    expect(await campaigns.get(campaign.id)).toMatchObject({ status: 'running' });
    // A stopped process starts no run either; another process (or this one's next start) goes on.
    expect(await campaigns.runDue()).toBe(0);
  });
});
