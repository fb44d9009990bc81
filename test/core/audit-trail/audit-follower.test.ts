import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type AuditConsumer,
  type AuditFollower,
  startAuditFollower,
} from '../../../src/core/audit-trail/audit-follower.js';
import { systemClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import type { AuditEntry } from '../../../src/core/requests/audit-entry.js';
import { createSqliteStore } from '../../../src/core/store/sqlite-store.js';
import type { Store } from '../../../src/core/store/store.js';

const entry = (n: number): AuditEntry => ({
  at: Date.UTC(2026, 11, 4, 9, 0, n),
  type: 'direct_deletion',
  actor: { source: 'cli', id: 'ops', displayName: 'Ops' },
  videoId: `video-${n}`,
  details: { n },
});

const stores: Store[] = [];
const followers: AuditFollower[] = [];
afterEach(async () => {
  await Promise.all(followers.splice(0).map((f) => f.stop()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function trailOf(count: number): Promise<Store> {
  const store = createSqliteStore({
    path: join(mkdtempSync(join(tmpdir(), 'vod-ops-follow-')), 'vod-ops.db'),
  });
  await store.migrate();
  stores.push(store);
  await store.appendAudit(Array.from({ length: count }, (_, i) => entry(i + 1)));
  return store;
}

function follow(store: Store, owner: string, consumer: AuditConsumer, leaseMs = 3000): void {
  followers.push(
    startAuditFollower({
      deliveries: store,
      target: 'test-target',
      name: 'test follower',
      consumer,
      owner,
      clock: systemClock,
      random: () => 0,
      logger: createLogger({ write: () => undefined }, 'silent'),
      timing: {
        batchSize: 10,
        pollMs: 10,
        leaseMs,
        batchTimeoutMs: 50,
        settleMs: 0,
        backoff: { baseMs: 5, capMs: 20 },
      },
    }),
  );
}

describe('the audit follower', () => {
  it('moves past the entries a failed batch handled, and hands over only the rest again', async () => {
    const store = await trailOf(4);
    const batches: number[][] = [];
    let failed = false;
    follow(store, 'a', {
      async handle(entries) {
        batches.push(entries.map((e) => e.seq ?? 0));
        if (!failed) {
          failed = true;
          return { handled: false, failure: 'third entry failed', handledThrough: entries[1]?.seq ?? 0 };
        }
        return { handled: true };
      },
    });
    await vi.waitFor(() => expect(batches).toHaveLength(2));
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [3, 4],
    ]);
  });

  it('keeps its lease while a batch outlasts it, so no other process handles the same entries', async () => {
    const store = await trailOf(2);
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    follow(
      store,
      'a',
      {
        async handle() {
          seen.push('a');
          await slow;
          return { handled: true };
        },
      },
      300,
    );
    await vi.waitFor(() => expect(seen).toEqual(['a']));
    follow(
      store,
      'b',
      {
        async handle() {
          seen.push('b');
          return { handled: true };
        },
      },
      300,
    );
    // Three leases go by while the first batch runs: the lease is renewed, so b never gets it.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    release();
    await vi.waitFor(async () => expect(await store.auditDeliveryLag('test-target')).toBe(0));
    expect(seen).toEqual(['a']);
  });
});
