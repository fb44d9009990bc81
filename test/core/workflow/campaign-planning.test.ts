import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newCampaignId } from '../../../src/core/campaigns/campaign.js';
import { parseSelectionRule } from '../../../src/core/campaigns/selection-rule.js';
import { itemsFor, selectStreams } from '../../../src/core/campaigns/stream-selection.js';
import { createLogger } from '../../../src/core/logger.js';
import { createAllowlistApprovers } from '../../../src/core/requests/approvers.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import { createSqliteStore } from '../../../src/core/store/sqlite-store.js';
import type { Store } from '../../../src/core/store/store.js';
import { GetPlayInfoBody, toStreams } from '../../../src/core/vod/alibaba-responses.js';
import { parseVideoId } from '../../../src/core/vod/input-rules.js';
import { createCampaignPlanning, itemsDigest } from '../../../src/core/workflow/campaign-planning.js';
import { createCampaignWorkflow } from '../../../src/core/workflow/campaign-workflow.js';
import { startSweeper } from '../../../src/core/workflow/sweeper.js';
import {
  createLibraryCatalogue,
  DEMO_VIDEO_IDS,
  type EmulatorStream,
  type VodEmulatorOptions,
} from '../../../src/sandbox/index.js';
import { FAST_RETRY, startVodFixture, type VodFixture } from '../../helpers/vod-fixture.js';

const rita: Principal = { source: 'cli', id: 'rita', displayName: 'rita' };
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
/** These tests are about the walk, not the pacing (tested on its own): every call goes at once. */
const unpaced =
  () =>
  <T>(fn: () => Promise<T>) =>
    fn();

describe('planning a clean-up campaign over the library', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });

  async function setUp(
    catalogue?: VodEmulatorOptions['catalogue'],
    emulator: Partial<VodEmulatorOptions> = {},
  ) {
    const fixture: VodFixture = await startVodFixture({
      emulator: { ...(catalogue === undefined ? {} : { catalogue }), ...emulator },
      limiterFor: unpaced,
    });
    const store: Store = createSqliteStore({ path: ':memory:' });
    await store.migrate();
    open.push(fixture, store);
    let now = T0;
    const planning = (
      instanceId: string,
      policy: { highRiskApprovals?: number; largeCampaignBytes?: number } = {},
    ) =>
      createCampaignPlanning({
        vod: fixture.regions,
        store,
        clock: { now: () => now, monotonic: () => now },
        logger: createLogger({ write: () => {} }),
        newCampaignId: () => newCampaignId(randomBytes),
        instanceId,
        settings: { approvalTtlMs: 72 * 3_600_000, requiredApprovals: 1, ...policy },
      });
    const workflow = (instanceId: string) =>
      createCampaignWorkflow({
        vod: fixture.regions,
        store,
        trail: store,
        approvers: createAllowlistApprovers(['U0APPROVER'], ['slack', 'cli']),
        clock: { now: () => now, monotonic: () => now },
        logger: createLogger({ write: () => {} }),
        newCampaignId: () => newCampaignId(randomBytes),
        instanceId,
        settings: { approvalTtlMs: 72 * 3_600_000, requiredApprovals: 1 },
        execution: { concurrency: 4, itemLeaseMs: 60_000 },
      });
    return { fixture, store, planning, workflow, advance: (ms: number) => (now += ms) };
  }

  it('selects exactly what the rule says on the demo library, guards included', async () => {
    const { store, planning } = await setUp();
    const rule = parseSelectionRule({ streams: { definitions: ['SD'] } }, T0);
    const campaign = await planning('host:1').plan({ rule, reason: 'drop SD renditions', requester: rita });
    expect(campaign.status).toBe('pending');
    expect(campaign.expiresAt).toBe(T0 + 72 * 3_600_000);
    // Normal videos only (the blocked one is not listed): the keynote, the podcast, the teaser, the raw upload.
    expect(campaign.plan.totals).toMatchObject({
      videosScanned: 4,
      videosMatched: 1,
      streams: 1,
      bytes: 189_917_554,
      byDefinition: { SD: { streams: 1, bytes: 189_917_554 } },
      // The teaser's only stream is SD: it stays, as the video's last playable stream.
      held: { last_playable: { streams: 1, bytes: 3_672_117 }, keep_definition: { streams: 0, bytes: 0 } },
    });
    const items = await store.listItems(campaign.id);
    expect(items).toMatchObject([
      {
        seq: 1,
        videoId: DEMO_VIDEO_IDS.keynote,
        jobIds: ['6dedefbfa26d4a3258e58d5fa289f8f3'],
        status: 'pending',
      },
    ]);
    expect(campaign.plan.digest).toBe(await itemsDigest(store, campaign.id, campaign.region));
    expect(campaign.region).toBe('cn-shanghai');
    expect(await store.listAudit({ requestId: campaign.id })).toMatchObject([
      { type: 'campaign_created', actor: rita },
      { type: 'campaign_planned', details: { items: 1, streams: 1, bytes: 189_917_554 } },
    ]);
  });

  it('needs the high-risk approvals for a campaign over the large size, or one without the last-playable guard', async () => {
    const { store, planning } = await setUp();
    const policy = { highRiskApprovals: 2, largeCampaignBytes: 100_000_000 };
    const sd = parseSelectionRule({ streams: { definitions: ['SD'] } }, T0);
    const large = await planning('host:1', policy).plan({ rule: sd, reason: 'drop SD', requester: rita });
    expect(large).toMatchObject({ requiredApprovals: 2, risks: ['large_campaign'], largeAbove: 100_000_000 });
    expect((await store.listAudit({ requestId: large.id })).at(-1)?.details).toMatchObject({
      risks: ['large_campaign'],
      requiredApprovals: 2,
    });

    const small = await planning('host:1', { ...policy, largeCampaignBytes: 1e12 }).plan({
      rule: sd,
      reason: 'drop SD',
      requester: rita,
    });
    expect(small.requiredApprovals).toBe(1);
    expect(small.risks).toBeUndefined();

    const unguarded = parseSelectionRule(
      { streams: { definitions: ['SD'] }, guards: { keepLastPlayable: false } },
      T0,
    );
    const risky = await planning('host:1', { highRiskApprovals: 2 }).plan({
      rule: unguarded,
      reason: 'drop SD everywhere',
      requester: rita,
    });
    expect(risky).toMatchObject({ requiredApprovals: 2, risks: ['last_playable_unguarded'] });
  });

  it('walks a library past one page and past 5,000 videos, each Normal video once, with scroll tokens', async () => {
    const library = createLibraryCatalogue({ videos: 5_300, seed: 'planning-walk' });
    const { fixture, store, planning } = await setUp(library);
    const rule = parseSelectionRule({ streams: { status: ['Invisible'] } }, T0);
    const campaign = await planning('host:1').plan({ rule, reason: 'stale re-transcodes', requester: rita });

    const normal = library.heads.map((_, i) => library.videoAt(i)).filter((v) => v.status === 'Normal');
    const expected = normal.flatMap((video) => {
      const streams = toStreams(
        GetPlayInfoBody.parse({ RequestId: 'x', PlayInfoList: { PlayInfo: playInfos(video.streams) } }),
      );
      return itemsFor(parseVideoId(video.videoId), selectStreams(rule, streams).selected).map((item) => ({
        videoId: item.videoId,
        jobIds: item.jobIds,
      }));
    });
    expect(campaign.plan.totals.videosScanned).toBe(normal.length);
    expect(normal.length).toBeGreaterThan(5_000);
    const items = await store.listItems(campaign.id, { limit: 5000 });
    expect(items.map((i) => ({ videoId: i.videoId, jobIds: i.jobIds })).sort(byVideo)).toEqual(
      [...expected].sort(byVideo),
    );
    expect(items.map((i) => i.seq)).toEqual(items.map((_, i) => i + 1));
    const searches = fixture.emulator.callsTo('SearchMedia');
    expect(searches.length).toBeGreaterThan(50);
    expect(searches.every((call) => call.status === 200)).toBe(true);
  });

  it('resumes an interrupted plan where it stopped, after its planner’s claim ran out, with no item twice', async () => {
    const library = createLibraryCatalogue({ videos: 1_200, seed: 'planning-resume' });
    const { fixture, store, planning, advance } = await setUp(library);
    const rule = parseSelectionRule({ streams: { status: ['Invisible'] } }, T0);
    let pages = 0;
    // After three pages Alibaba fails the next search, every attempt of it: the plan stops, its items so far stored.
    const stopped = planning('host:1').plan({ rule, reason: 'stale re-transcodes', requester: rita }, () => {
      if (++pages === 3) {
        fixture.emulator.injectFault({
          action: 'SearchMedia',
          kind: 'InternalError',
          times: FAST_RETRY.maxAttempts,
        });
      }
    });
    const error = await stopped.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    const [interrupted] = await store.listCampaigns({ statuses: ['planning'] });
    expect(error).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      message: expect.stringContaining(`Campaign ${interrupted?.id} stopped planning`),
      detail: { campaignId: interrupted?.id },
    });
    expect(interrupted?.plan.resumeFrom).toBeDefined();
    const before = await store.listItems(interrupted!.id, { limit: 5000 });
    expect(before.length).toBeGreaterThan(0);

    // Another process may not take it over while the first one's claim stands.
    const other = planning('host:2');
    expect(await other.resume(interrupted!.id)).toMatchObject({
      ok: false,
      refusal: { kind: 'planned_elsewhere', owner: 'host:1' },
    });
    advance(3 * 60_000);
    const resumed = await other.resume(interrupted!.id);
    expect(resumed.ok).toBe(true);

    const fresh = await planning('host:3').preview(rule);
    const items = await store.listItems(interrupted!.id, { limit: 5000 });
    expect(items).toHaveLength(fresh.items);
    expect(new Set(items.map((i) => i.jobIds.join(','))).size).toBe(items.length);
    expect(items.slice(0, before.length)).toEqual(before);
    if (resumed.ok) {
      expect(resumed.campaign.status).toBe('pending');
      expect(resumed.campaign.plan.totals).toEqual(fresh.totals);
    }
  });

  it('stops between pages when asked, still planning and unclaimed, so that another process resumes it at once', async () => {
    const library = createLibraryCatalogue({ videos: 600, seed: 'planning-stop' });
    const { store, planning } = await setUp(library);
    const rule = parseSelectionRule({ streams: { status: ['Invisible'] } }, T0);
    const stop = new AbortController();
    const seen: Array<string | undefined> = [];
    const stopped = await planning('host:1').plan(
      { rule, reason: 'stale re-transcodes', requester: rita },
      (progress) => {
        seen.push(progress.campaignId);
        if (seen.length === 2) stop.abort();
      },
      stop.signal,
    );
    expect(seen).toEqual([stopped.id, stopped.id]);
    expect(stopped.status).toBe('planning');
    expect(stopped.plan.owner).toBeUndefined();
    expect(stopped.plan.leaseUntil).toBeUndefined();
    expect(await store.getCampaign(stopped.id)).toEqual(stopped);
    const before = await store.listItems(stopped.id, { limit: 5000 });
    expect(before.length).toBe(stopped.plan.items);

    // No claim to wait out: another process takes the plan over at once, and ends where a plan never stopped would.
    const resumed = await planning('host:2').resume(stopped.id);
    const fresh = await planning('host:3').preview(rule);
    expect(stopped.plan.totals.videosScanned).toBeLessThan(fresh.totals.videosScanned);
    expect(resumed).toMatchObject({ ok: true, campaign: { status: 'pending' } });
    if (resumed.ok) expect(resumed.campaign.plan.totals).toEqual(fresh.totals);
    expect(await store.listItems(stopped.id, { limit: 5000 })).toHaveLength(fresh.items);
  });

  it('stops a preview between pages when asked, rejecting with the reason it was given', async () => {
    const library = createLibraryCatalogue({ videos: 300, seed: 'preview-stop' });
    const { fixture, planning } = await setUp(library);
    const rule = parseSelectionRule({ streams: { status: ['Invisible'] } }, T0);
    const stop = new AbortController();
    const previewed = planning('host:1').preview(rule, () => stop.abort('enough'), stop.signal);
    await expect(previewed).rejects.toBe('enough');
    // One page of SearchMedia, not the whole library.
    expect(fixture.emulator.callsTo('SearchMedia')).toHaveLength(1);
  });

  it('goes on from the last video walked when a scroll token expires mid-walk, with no video twice', async () => {
    const library = createLibraryCatalogue({ videos: 900, seed: 'planning-expiry' });
    let emulatorNow = Date.now();
    const { fixture, store, planning } = await setUp(library, {
      now: () => emulatorNow,
      scrollTokenTtlMs: 60_000,
    });
    const rule = parseSelectionRule({ streams: { status: ['Invisible'] } }, T0);
    let pages = 0;
    const campaign = await planning('host:1').plan(
      { rule, reason: 'stale re-transcodes', requester: rita },
      () => {
        // Two minutes pass on Alibaba's side between the third page and the fourth: the token is stale.
        if (++pages === 3) emulatorNow += 120_000;
      },
    );
    const expired = fixture.emulator
      .callsTo('SearchMedia')
      .filter((c) => c.code === 'InvalidScrollToken.Expired');
    expect(expired).toHaveLength(1);
    const fresh = await planning('host:2').preview(rule);
    expect(campaign.plan.totals).toEqual(fresh.totals);
    const items = await store.listItems(campaign.id, { limit: 5000 });
    expect(items).toHaveLength(fresh.items);
    expect(new Set(items.map((i) => i.videoId + i.jobIds.join(','))).size).toBe(items.length);
  });

  it('expires a campaign nobody decided once its time to approve is over, in the sweeper’s pass', async () => {
    const { store, workflow, advance } = await setUp();
    const campaigns = workflow('host:1');
    const rule = parseSelectionRule({ streams: { status: ['Invisible'] } }, T0);
    const campaign = await campaigns.plan({ rule, reason: 'stale re-transcodes', requester: rita });
    advance(72 * 3_600_000 - 1);
    expect(await campaigns.expireDue()).toBe(0);
    advance(1);
    const sweeper = startSweeper(
      { expireDue: async () => 0, remindDue: async () => 0, resumeExecutions: async () => 0 },
      {
        intervalMs: 3_600_000,
        logger: createLogger({ write: () => {} }),
        campaigns,
      },
    );
    await sweeper.stop();
    expect(await store.getCampaign(campaign.id)).toMatchObject({
      status: 'expired',
      decision: { outcome: 'expired' },
    });
    expect((await store.listAudit({ requestId: campaign.id })).map((e) => e.type)).toEqual([
      'campaign_created',
      'campaign_planned',
      'campaign_expired',
    ]);
    expect(await campaigns.cancel(campaign.id, { by: rita })).toMatchObject({
      ok: false,
      refusal: { kind: 'already_closed', status: 'expired' },
    });
  });

  it('plans an explicit list of videos, saying which could not be read', async () => {
    const { store, planning } = await setUp();
    const rule = parseSelectionRule(
      {
        streams: { status: ['Invisible'] },
        videoIds: [DEMO_VIDEO_IDS.keynote, DEMO_VIDEO_IDS.blocked, 'ffffffffffffffffffffffffffffffff'],
      },
      T0,
    );
    const campaign = await planning('host:1').plan({ rule, reason: 'stale re-transcodes', requester: rita });
    expect(campaign.plan.totals).toMatchObject({ videosScanned: 1, videosMatched: 1, streams: 1 });
    expect(campaign.plan.unreadable.videos).toBe(2);
    expect(campaign.plan.unreadable.examples.map((e) => e.videoId)).toEqual([
      DEMO_VIDEO_IDS.blocked,
      'ffffffffffffffffffffffffffffffff',
    ]);
    expect(await store.listItems(campaign.id)).toMatchObject([
      { videoId: DEMO_VIDEO_IDS.keynote, jobIds: ['dfb7def03fe74233558bb253bb58650a'] },
    ]);
  });
});

function byVideo(a: { videoId: string; jobIds: string[] }, b: { videoId: string; jobIds: string[] }) {
  const left = `${a.videoId}:${a.jobIds.join(',')}`;
  const right = `${b.videoId}:${b.jobIds.join(',')}`;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A stream as GetPlayInfo lists it, for computing the expected answer from the catalogue itself. */
function playInfos(streams: readonly EmulatorStream[]) {
  return streams.map((s) => ({
    JobId: String(s.jobId),
    Definition: String(s.definition),
    Format: String(s.format),
    StreamType: String(s.streamType),
    Status: String(s.status),
    Size: Number(s.size),
    CreationTime: String(s.creationTime),
    Bitrate: String(s.bitrate),
    Duration: String(s.duration),
    Width: Number(s.width),
    Height: Number(s.height),
    Fps: String(s.fps),
    Encrypt: Number(s.encrypt),
  }));
}
