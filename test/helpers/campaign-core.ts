import { assembleCore, createVodAdapter, PRINCIPAL_SOURCES } from '../../src/app/runtime.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { createAllowlistApprovers } from '../../src/core/requests/approvers.js';
import type { Principal } from '../../src/core/requests/principal.js';
import { openStore } from '../../src/core/store/open-store.js';
import type { VodApi } from '../../src/core/vod/vod-api.js';
import { loadVodConfig } from '../../src/core/vod/vod-config.js';
import { singleRegion } from '../../src/core/vod/vod-regions.js';
import type { CampaignWorkflow } from '../../src/core/workflow/campaign-workflow.js';
import { TEST_KEY } from './vod-fixture.js';

export const APPROVER: Principal = { source: 'slack', id: 'U0APPROVER', displayName: 'Ana Approver' };
export const OTHER_REQUESTER: Principal = {
  source: 'slack',
  id: 'U0REQUESTER',
  displayName: 'Rob Requester',
};

/**
 * The campaigns of the store a CLI child uses, opened in the test process: what a Slack replica does (an
 * approver's click, a campaign requested from Slack), which the CLI cannot. It runs no item itself (concurrency 0):
 * a deciding vote starts the campaign, as a replica's click does, and leaves every item to the CLI under test.
 * Without `endpoint` it cannot call VOD at all.
 */
export async function openCampaignCore(
  dbPath: string,
  options: { endpoint?: string; clock?: Clock } = {},
): Promise<{ campaigns: CampaignWorkflow; close(): Promise<void> }> {
  const store = await openStore({ kind: 'sqlite', path: dbPath });
  const logger = createLogger({ write() {} }, 'silent');
  const vod: VodApi = options.endpoint
    ? createVodAdapter({
        config: loadVodConfig({ VOD_ENDPOINT: options.endpoint }),
        credentials: { type: 'access-key', ...TEST_KEY },
        logger,
      })
    : new Proxy({} as VodApi, {
        get: () => () => Promise.reject(new Error('this test process calls no VOD')),
      });
  const { campaigns } = assembleCore({
    store,
    vod: singleRegion('cn-shanghai', vod),
    approvers: createAllowlistApprovers([APPROVER.id], PRINCIPAL_SOURCES),
    settings: { requiredApprovals: 1, ttlMs: 3_600_000, leaseMs: 60_000, campaignConcurrency: 0 },
    clock: options.clock ?? systemClock,
    logger,
    instanceId: 'test-replica',
  });
  return {
    campaigns,
    async close() {
      await campaigns.idle();
      await store.close();
    },
  };
}

/** An approver approves campaign `id` in "Slack": it starts, and its items wait for a runner. */
export async function approveCampaign(dbPath: string, id: string): Promise<void> {
  const core = await openCampaignCore(dbPath);
  try {
    const result = await core.campaigns.vote(id, APPROVER, 'approve');
    if (!result.ok) throw new Error(`approval refused: ${result.refusal.kind}`);
  } finally {
    await core.close();
  }
}
