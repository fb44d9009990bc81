import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { createLogger } from '../../../src/core/logger.js';
import { createSqliteStore } from '../../../src/core/store/sqlite-store.js';
import { createRateLimiter } from '../../../src/core/vod/rate-limiter.js';
import { createSharedRateLimiter } from '../../../src/core/vod/shared-rate-limiter.js';

function harness() {
  const store = createSqliteStore({ path: ':memory:' });
  const lines: Array<{ msg: string; budget?: string }> = [];
  let offset = 0;
  const limiter = createSharedRateLimiter({
    ledger: store,
    key: 'DeleteStream@vod.test',
    qps: 50,
    fallback: createRateLimiter(1000, () => performance.now()),
    logger: createLogger({ write: (line: string) => lines.push(JSON.parse(line)) }),
    monotonic: () => performance.now() + offset,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  return { store, lines, limiter, advance: (ms: number) => (offset += ms) };
}

it('starts calls one slot apart, in the order they were reserved', async () => {
  const { store, limiter } = harness();
  await store.migrate();
  const t0 = performance.now();
  const started: number[] = [];
  await Promise.all(Array.from({ length: 5 }, () => limiter(async () => started.push(performance.now()))));
  expectNoneBeforeItsSlot(started, t0);
  await store.close();
});

it('paces calls by itself while the ledger cannot be reached, saying so once a minute', async () => {
  const { store, lines, limiter, advance } = harness();
  await store.migrate();
  await store.close();
  const results = await Promise.all([1, 2, 3].map((n) => limiter(async () => n)));
  expect(results).toEqual([1, 2, 3]);
  const warnings = () => lines.filter((l) => /shared rate budget cannot be reached/.test(l.msg));
  expect(warnings()).toHaveLength(1);
  expect(warnings()[0]).toMatchObject({ budget: 'DeleteStream@vod.test' });
  advance(60_000);
  await limiter(async () => 4);
  expect(warnings()).toHaveLength(2);
});

it('reserves the slots of calls waiting together in one round trip, still one slot apart', async () => {
  const { store, limiter } = harness();
  await store.migrate();
  const reservations: number[] = [];
  const counting = createSharedRateLimiter({
    ledger: {
      reserve: (key, spanMs) => {
        reservations.push(spanMs);
        return store.reserve(key, spanMs);
      },
    },
    key: 'GetPlayInfo@vod.test',
    qps: 50,
    fallback: limiter,
    logger: createLogger({ write: () => {} }),
    monotonic: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  const t0 = performance.now();
  const started: number[] = [];
  await Promise.all(Array.from({ length: 30 }, () => counting(async () => started.push(performance.now()))));
  // The first call reserves alone; the 29 that arrived while it did reserve together.
  expect(reservations.length).toBeLessThanOrEqual(3);
  expect(reservations.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30 * 20);
  expectNoneBeforeItsSlot(started, t0);
  await store.close();
});

/**
 * 50 per second from an idle budget: the n-th call (from 0) has the slot n × 20 ms after the first, and starts at
 * its slot, or later when its timer is late. Two starts may be closer than 20 ms when the first of them was late;
 * the slots never are. Allowed early: 5 ms (the store's clock is to the millisecond, and a timer fires by the event
 * loop's time, read at the start of its turn). And the calls are spread over their slots, not let out together.
 */
function expectNoneBeforeItsSlot(started: readonly number[], t0: number): void {
  const early = started.filter((t, n) => t - t0 < n * 20 - 5);
  expect(early).toEqual([]);
  const spread = (started.at(-1) ?? 0) - (started[0] ?? 0);
  expect(spread).toBeGreaterThanOrEqual((started.length - 1) * 20 * 0.75);
}
