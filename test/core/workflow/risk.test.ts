import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRINCIPAL_SOURCES } from '../../../src/app/runtime.js';
import type { Clock } from '../../../src/core/clock.js';
import { createAllowlistApprovers } from '../../../src/core/requests/approvers.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import { createSqliteStore } from '../../../src/core/store/sqlite-store.js';
import { parseJobIds } from '../../../src/core/vod/input-rules.js';
import { createDeletionWorkflow } from '../../../src/core/workflow/deletion-workflow.js';
import { DEMO } from '../../helpers/demo.js';
import { startVodFixture, type VodFixture } from '../../helpers/vod-fixture.js';

const alice: Principal = { source: 'slack', id: 'U0ALICE', displayName: 'alice' };
// The keynote's playable streams: LD, SD, HD mp4 and HD m3u8 (its stale HD re-transcode does not play).
const HD_MP4 = '51ef1886f2c041cc16a961eeffde8045';
const HD_M3U8 = '06f3e173d8714d17189fbcec590a36f2';

let vod: VodFixture;
let store: ReturnType<typeof createSqliteStore>;
let ids = 0;
const clock: Clock = { now: () => Date.UTC(2026, 11, 4, 9), monotonic: () => performance.now() };

beforeEach(async () => {
  vod = await startVodFixture();
  store = createSqliteStore({ path: ':memory:' });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  await vod.close();
});

const workflow = () =>
  createDeletionWorkflow({
    store,
    vod: vod.regions,
    approvers: createAllowlistApprovers(['U0BOB', 'U0CAROL'], PRINCIPAL_SOURCES),
    policy: { requiredApprovals: 1, highRiskApprovals: 2, ttlMs: 3_600_000, leaseMs: 60_000 },
    clock,
    newId: () => `dr-risk${String(++ids).padStart(8, '0')}`,
    logger: vod.logger,
    instanceId: 'risk-test',
  });

const ask = (jobIds: string[]) =>
  workflow().requestDeletion({
    videoId: DEMO.keynote,
    jobIds: parseJobIds(jobIds),
    reason: 'r',
    requester: alice,
  });

describe('the high-risk number of approvals', () => {
  it('applies to a request that, with the video’s other open requests, leaves no playable stream', async () => {
    const first = await ask([DEMO.keynoteLd, DEMO.keynoteSd, HD_MP4]);
    expect(first.request).toMatchObject({ requiredApprovals: 1 });
    expect(first.request.risks).toBeUndefined();

    // Alone it would leave three playable streams; with the first request open, none.
    const second = await ask([HD_M3U8]);
    expect(second.request).toMatchObject({
      requiredApprovals: 2,
      risks: ['no_playable_stream_left_with_others'],
    });
  });

  it('does not count requests that are closed', async () => {
    const first = await ask([DEMO.keynoteLd, DEMO.keynoteSd, HD_MP4]);
    expect((await workflow().cancel(first.request.id, alice)).ok).toBe(true);
    const second = await ask([HD_M3U8]);
    expect(second.request.requiredApprovals).toBe(1);
  });

  it('applies to a request that leaves no playable stream by itself', async () => {
    const all = await ask([DEMO.keynoteLd, DEMO.keynoteSd, HD_MP4, HD_M3U8]);
    expect(all.request).toMatchObject({ requiredApprovals: 2, risks: ['no_playable_stream_left'] });
  });
});
