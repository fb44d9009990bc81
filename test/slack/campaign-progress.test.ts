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

/** Two replicas, once their first pass (at start) is over; what it did is forgotten unless `keepStart`. */
async function replicas(keepStart = false) {
  const [a, b] = [replica(), replica()];
  await a.tick();
  await b.tick();
  if (!keepStart) {
    a.refreshed.length = 0;
    b.refreshed.length = 0;
  }
  const both = async () => {
    await a.tick();
    await b.tick();
  };
  return { a, b, both, all: () => [...a.refreshed, ...b.refreshed].sort() };
}

describe('the progress pass', () => {
  it('lets one replica update a running campaign each interval, whichever passes first', async () => {
    stored = [aCampaign('cp-a', 'running')];
    const { both, all } = await replicas();
    await both();
    await both();
    expect(all()).toEqual([]);
    now += EVERY;
    await both();
    expect(all()).toEqual([]);
    now += EVERY / 8; // updates are an interval and an eighth apart
    await both();
    await both();
    expect(all()).toEqual(['progress:cp-a']);
  });

  it('paces updates from the last one, whichever replica sent it, the first an interval after the start', async () => {
    const started = {
      ...aCampaign('cp-a', 'running'),
      execution: { startedAt: now + EVERY / 2, digest: 'd' },
    };
    stored = [started];
    const { both, all } = await replicas();
    now += EVERY; // half an interval after the start, which showed it running: nothing yet
    await both();
    expect(all()).toEqual([]);
    now += EVERY / 2; // a whole interval after the start
    await both();
    expect(all()).toEqual(['progress:cp-a']);
    now += EVERY; // an interval after the last update: not yet, updates are more than an interval apart
    await both();
    expect(all()).toEqual(['progress:cp-a']);
    now += EVERY / 4;
    await both();
    expect(all()).toEqual(['progress:cp-a', 'progress:cp-a']);
  });

  it('skips campaigns that are not running or have no message', async () => {
    stored = [
      aCampaign('cp-a', 'running'),
      aCampaign('cp-b', 'approved'),
      { ...aCampaign('cp-c', 'running'), announcement: { claimedAt: T0 } },
    ];
    const { both, all } = await replicas();
    now += EVERY + EVERY / 8;
    await both();
    expect(all()).toEqual(['progress:cp-a']);
  });

  it('shows each campaign less often when more than four run, so progress never floods Slack', async () => {
    stored = Array.from({ length: 8 }, (_, i) => aCampaign(`cp-${i}`, 'running'));
    now = Math.ceil(now / (2 * EVERY)) * 2 * EVERY;
    const { a, all } = await replicas();
    now += EVERY;
    await a.tick();
    expect(all()).toEqual([]);
    now += EVERY + EVERY / 4; // two intervals and their eighth
    await a.tick();
    expect(all()).toHaveLength(8);
  });

  it('offers, at start, every campaign past approval to be shown once, by one replica', async () => {
    stored = [
      aCampaign('cp-p', 'pending'),
      aCampaign('cp-r', 'running'),
      aCampaign('cp-c', 'cancelled'),
      aCampaign('cp-d', 'completed'),
    ];
    const { all } = await replicas(true);
    expect(all()).toEqual(['progress:cp-r', 'shown:cp-c', 'shown:cp-d', 'shown:cp-r']);
  });

  it.each<[CampaignStatus, CampaignStatus]>([
    ['pending', 'cancelled'],
    ['paused', 'cancelled'],
    ['paused', 'running'],
    ['running', 'paused'],
    ['running', 'completed'],
  ])('follows a campaign changed elsewhere (the CLI, say) from %s to %s, once', async (from, to) => {
    stored = [aCampaign('cp-a', from), aCampaign('cp-b', 'pending')];
    const { both, all } = await replicas();
    stored = [aCampaign('cp-a', to, 2), aCampaign('cp-b', 'pending')];
    await both();
    await both();
    // Running again, it shows its progress too.
    expect(all()).toEqual([...(to === 'running' ? ['progress:cp-a'] : []), 'shown:cp-a']);
  });
});
