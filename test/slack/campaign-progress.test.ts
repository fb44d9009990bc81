import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, CampaignStatus } from '../../src/core/campaigns/campaign.js';
import { createLogger } from '../../src/core/logger.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import type { Store } from '../../src/core/store/store.js';
import type { CampaignMessages } from '../../src/slack/campaign-messages.js';
import { type CampaignProgressPass, startCampaignProgress } from '../../src/slack/campaign-progress.js';
import { aCampaign as planned } from '../core/store/campaign-fixtures.js';

/** The interval: so long that the pass's own timer never fires during a test, which passes with tick(). */
const EVERY = 10_000_000;
const T0 = Date.UTC(2026, 11, 4, 9, 0, 0);

let store: Store;
let now: number;
let stored: Campaign[];
const passes: CampaignProgressPass[] = [];

beforeEach(async () => {
  store = createSqliteStore({ path: ':memory:' });
  await store.migrate();
  now = T0;
  stored = [];
});
afterEach(async () => {
  for (const pass of passes.splice(0)) await pass.stop();
  await store.close();
});

/** A campaign in `status`, posted for approval, with what the pass reads of it: its id, status and version. */
function aCampaign(id: string, status: CampaignStatus, version = 1): Campaign {
  return {
    ...planned(T0),
    id,
    status,
    version,
    announcement: { claimedAt: T0, ref: { channel: 'C0', ts: id } },
  };
}

/** One replica's pass on the shared store (its once-ledger), recording what it would update. */
function replica() {
  const refreshed: string[] = [];
  const messages: CampaignMessages = {
    refresh: async (id) => {
      refreshed.push(`progress:${id}`);
    },
    refreshOnce: async (campaign) => {
      const key = `slack:campaign-shown:${campaign.id}:v${campaign.version}`;
      if (await store.rememberOnce(key, now + EVERY, now)) refreshed.push(`shown:${campaign.id}`);
    },
  };
  const pass = startCampaignProgress({
    campaigns: {
      list: async (filter) => stored.filter((c) => filter?.statuses?.includes(c.status) ?? true),
      get: async (id) => stored.find((c) => c.id === id),
    },
    messages,
    ledger: store,
    clock: { now: () => now, monotonic: () => now },
    everyMs: EVERY,
    logger: createLogger({ write: () => {} }),
  });
  passes.push(pass);
  return { refreshed, tick: pass.tick };
}

function replicas() {
  const [a, b] = [replica(), replica()];
  return { a, b, all: () => [...a.refreshed, ...b.refreshed].sort() };
}

describe('the progress pass', () => {
  it('lets one replica update a running campaign each interval, whichever passes first', async () => {
    stored = [aCampaign('cp-a', 'running')];
    const { a, b, all } = replicas();
    for (let i = 0; i < 3; i++) {
      await a.tick();
      await b.tick();
    }
    expect(all()).toEqual(['progress:cp-a']);
  });

  it('updates again in the next interval, and skips campaigns that are not running or have no message', async () => {
    stored = [
      aCampaign('cp-a', 'running'),
      aCampaign('cp-b', 'approved'),
      { ...aCampaign('cp-c', 'running'), announcement: { claimedAt: T0 } },
    ];
    const { a, b, all } = replicas();
    await a.tick();
    now += EVERY;
    await b.tick();
    await a.tick();
    expect(all()).toEqual(['progress:cp-a', 'progress:cp-a']);
  });

  it('shows each campaign less often when more than four run, so progress never floods Slack', async () => {
    stored = Array.from({ length: 8 }, (_, i) => aCampaign(`cp-${i}`, 'running'));
    const { a, all } = replicas();
    now = Math.ceil(now / (2 * EVERY)) * 2 * EVERY;
    await a.tick();
    expect(all()).toHaveLength(8);
    now += EVERY;
    await a.tick();
    expect(all()).toHaveLength(8);
    now += EVERY;
    await a.tick();
    expect(all()).toHaveLength(16);
  });

  it('shows a campaign that stopped running once more, by one replica', async () => {
    stored = [aCampaign('cp-a', 'running')];
    const { a, b, all } = replicas();
    await a.tick();
    await b.tick();
    stored = [aCampaign('cp-a', 'paused', 2)];
    await a.tick();
    await b.tick();
    await a.tick();
    expect(all()).toEqual(['progress:cp-a', 'shown:cp-a']);
  });
});
