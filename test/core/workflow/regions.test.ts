import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRINCIPAL_SOURCES } from '../../../src/app/runtime.js';
import type { Clock } from '../../../src/core/clock.js';
import { createAllowlistApprovers } from '../../../src/core/requests/approvers.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import { createSqliteStore } from '../../../src/core/store/sqlite-store.js';
import { parseJobIds } from '../../../src/core/vod/input-rules.js';
import type { VodApi } from '../../../src/core/vod/vod-api.js';
import { createVodRegions, singleRegion, type VodRegions } from '../../../src/core/vod/vod-regions.js';
import { createDeletionWorkflow } from '../../../src/core/workflow/deletion-workflow.js';
import { APPROVED_GRACE_MS } from '../../../src/core/workflow/execution.js';
import { createDemoCatalogue } from '../../../src/sandbox/index.js';
import { DEMO } from '../../helpers/demo.js';
import { startVodFixture, type VodFixture } from '../../helpers/vod-fixture.js';

const alice: Principal = { source: 'slack', id: 'U0ALICE', displayName: 'alice' };
const bob: Principal = { source: 'slack', id: 'U0BOB', displayName: 'bob' };

// Shanghai holds the keynote, Singapore the teaser. Two processes share one store: one serves both regions, the
// other Shanghai alone (a replica configured for less).
let shanghai: VodFixture;
let singapore: VodFixture;
let time: number;
const clock: Clock = { now: () => time, monotonic: () => performance.now() };
const store = () => createSqliteStore({ path: ':memory:' });
let shared: ReturnType<typeof store>;

beforeEach(async () => {
  const demo = createDemoCatalogue();
  const only = (...ids: string[]) => demo.filter((v) => ids.includes(v.videoId));
  shanghai = await startVodFixture({ emulator: { catalogue: only(DEMO.keynote) } });
  singapore = await startVodFixture({ emulator: { catalogue: only(DEMO.teaser) } });
  shared = store();
  await shared.migrate();
  time = Date.UTC(2026, 11, 4, 9, 0, 0);
});
afterEach(async () => {
  await shared.close();
  await shanghai.close();
  await singapore.close();
});

function workflow(vod: VodRegions<VodApi>, instanceId: string) {
  return createDeletionWorkflow({
    store: shared,
    vod,
    approvers: createAllowlistApprovers([bob.id], PRINCIPAL_SOURCES),
    policy: { requiredApprovals: 1, ttlMs: 3_600_000, leaseMs: 60_000 },
    clock,
    newId: () => `dr-regions${instanceId}`,
    logger: shanghai.logger,
    instanceId,
  });
}

describe('requests in several regions', () => {
  it('are run only by a process that serves their region', async () => {
    const both = workflow(
      createVodRegions([
        ['cn-shanghai', shanghai.vod],
        ['ap-southeast-1', singapore.vod],
      ]),
      'both',
    );
    const shanghaiOnly = workflow(singleRegion('cn-shanghai', shanghai.vod), 'sh');
    const { request } = await both.requestDeletion({
      videoId: DEMO.teaser,
      jobIds: parseJobIds([DEMO.teaserOnly]),
      reason: 'retired teaser',
      requester: alice,
    });
    expect(request.region).toBe('ap-southeast-1');

    // Approved in the process that serves Shanghai alone: it runs nothing, and its sweeper leaves it too.
    const voted = await shanghaiOnly.vote(request.id, bob, 'approve');
    expect(voted.ok).toBe(true);
    await shanghaiOnly.idle();
    time += APPROVED_GRACE_MS;
    expect(await shanghaiOnly.resumeExecutions()).toBe(0);
    expect((await shared.get(request.id))?.status).toBe('approved');
    expect(singapore.emulator.callsTo('DeleteStream')).toHaveLength(0);

    // The process that serves Singapore runs it there.
    expect(await both.resumeExecutions()).toBe(1);
    await both.idle();
    expect((await shared.get(request.id))?.status).toBe('succeeded');
    expect(singapore.emulator.callsTo('DeleteStream').map((c) => c.params.VideoId)).toEqual([DEMO.teaser]);
    expect(shanghai.emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('takes the region named without looking it up', async () => {
    const both = workflow(
      createVodRegions([
        ['cn-shanghai', shanghai.vod],
        ['ap-southeast-1', singapore.vod],
      ]),
      'both',
    );
    const { request } = await both.requestDeletion({
      videoId: DEMO.keynote,
      jobIds: parseJobIds([DEMO.keynoteLd]),
      region: 'cn-shanghai',
      reason: 'stale',
      requester: alice,
    });
    expect(request.region).toBe('cn-shanghai');
    expect(singapore.emulator.calls).toHaveLength(0);
  });
});
