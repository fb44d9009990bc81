import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRINCIPAL_SOURCES } from '../../../src/app/runtime.js';
import { newCampaignId } from '../../../src/core/campaigns/campaign.js';
import { parseSelectionRule } from '../../../src/core/campaigns/selection-rule.js';
import type { Clock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { createAllowlistApprovers } from '../../../src/core/requests/approvers.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import { createSqliteStore } from '../../../src/core/store/sqlite-store.js';
import { parseJobIds } from '../../../src/core/vod/input-rules.js';
import type { VodApi } from '../../../src/core/vod/vod-api.js';
import { createVodRegions, singleRegion, type VodRegions } from '../../../src/core/vod/vod-regions.js';
import { createCampaignWorkflow } from '../../../src/core/workflow/campaign-workflow.js';
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

describe('records made before vod-ops recorded regions', () => {
  it('belong to VOD_REGION, whatever the region order or --region of the process that meets them', async () => {
    const both = workflow(
      createVodRegions(
        [
          ['ap-southeast-1', singapore.vod],
          ['cn-shanghai', shanghai.vod],
        ],
        { legacyRegion: 'cn-shanghai' },
      ),
      'both',
    );
    const made = await both.requestDeletion({
      videoId: DEMO.keynote,
      jobIds: parseJobIds([DEMO.keynoteLd]),
      reason: 'stale',
      requester: alice,
    });
    // As an older vod-ops stored it: no region.
    const { region: _region, ...old } = made.request;
    const legacy = { ...old, id: 'dr-regionsold0001', dedupeKey: `${old.dedupeKey}:old` };
    expect(await shared.insert(legacy, [])).toMatchObject({ inserted: true });

    // A replica started with --region ap-southeast-1 (its home is that region) leaves it alone.
    const singaporeOnly = workflow(
      createVodRegions([['ap-southeast-1', singapore.vod]], { legacyRegion: 'cn-shanghai' }),
      'sg',
    );
    expect((await singaporeOnly.vote(legacy.id, bob, 'approve')).ok).toBe(true);
    await singaporeOnly.idle();
    time += APPROVED_GRACE_MS;
    expect(await singaporeOnly.resumeExecutions()).toBe(0);
    expect(singapore.emulator.callsTo('DeleteStream')).toHaveLength(0);

    // One that serves Shanghai runs it there, though its first region is Singapore.
    await both.resumeExecutions();
    await both.idle();
    expect((await shared.get(legacy.id))?.status).toBe('succeeded');
    expect(shanghai.emulator.callsTo('DeleteStream').map((c) => c.params.VideoId)).toEqual([DEMO.keynote]);
    expect(singapore.emulator.callsTo('DeleteStream')).toHaveLength(0);
  });
});

describe('campaigns in several regions', () => {
  const approver: Principal = { source: 'slack', id: 'U0BOB', displayName: 'bob' };
  const campaignsOn = (vod: VodRegions<VodApi>, instanceId: string) =>
    createCampaignWorkflow({
      vod,
      store: shared,
      trail: shared,
      approvers: createAllowlistApprovers([approver.id], PRINCIPAL_SOURCES),
      clock,
      logger: createLogger({ write: () => {} }),
      newCampaignId: () => newCampaignId(randomBytes),
      instanceId,
      settings: { approvalTtlMs: 3_600_000, requiredApprovals: 1 },
      execution: { concurrency: 2, itemLeaseMs: 60_000 },
    });

  it('walk and delete in their own region, and are never started by a process that does not serve it', async () => {
    const both = campaignsOn(
      createVodRegions([
        ['cn-shanghai', shanghai.vod],
        ['ap-southeast-1', singapore.vod],
      ]),
      'both',
    );
    const campaign = await both.plan({
      rule: parseSelectionRule(
        { streams: { status: ['Normal'] }, guards: { keepLastPlayable: false } },
        time,
      ),
      region: 'ap-southeast-1',
      reason: 'retire the teaser',
      requester: alice,
    });
    expect(campaign).toMatchObject({ status: 'pending', region: 'ap-southeast-1' });
    expect(singapore.emulator.callsTo('SearchMedia').length).toBeGreaterThan(0);
    expect(shanghai.emulator.calls).toHaveLength(0);

    // Approved through a process that serves Shanghai alone: it neither starts nor claims it.
    const shanghaiOnly = campaignsOn(singleRegion('cn-shanghai', shanghai.vod), 'sh');
    await expect(shanghaiOnly.start(campaign.id)).rejects.toThrow(/does not serve region "ap-southeast-1"/);
    expect((await shanghaiOnly.vote(campaign.id, approver, 'approve')).ok).toBe(true);
    await shanghaiOnly.idle();
    expect(await shanghaiOnly.runDue()).toBe(0);
    expect((await shared.getCampaign(campaign.id))?.status).toBe('approved');

    // The process that serves Singapore runs it there.
    expect(await both.runDue()).toBe(1);
    await both.idle();
    expect((await shared.getCampaign(campaign.id))?.status).toBe('completed');
    expect(singapore.emulator.callsTo('DeleteStream').map((c) => c.params.VideoId)).toEqual([DEMO.teaser]);
    expect(shanghai.emulator.callsTo('DeleteStream')).toHaveLength(0);
  });
});
