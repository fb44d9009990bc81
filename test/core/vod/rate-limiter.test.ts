import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../src/core/vod/rate-limiter.js';

const monotonic = () => performance.now();

describe('createRateLimiter', () => {
  it('runs a call that is due at once, without waiting for a timer', async () => {
    const limit = createRateLimiter(10, monotonic);
    let started = false;
    const done = limit(async () => {
      started = true;
    });
    expect(started).toBe(true);
    await done;
  });

  it('starts a burst first come first served, never more than qps + 1 in any one-second window', async () => {
    const qps = 200; // 5 ms apart, so the test takes about 0.3 s
    const limit = createRateLimiter(qps, monotonic);
    const starts: Array<{ id: number; at: number }> = [];
    await Promise.all(
      Array.from({ length: 60 }, (_, id) =>
        limit(async () => {
          starts.push({ id, at: monotonic() });
        }),
      ),
    );
    expect(starts.map((s) => s.id)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // The one-second rule scaled to this rate: any 10 slots (50 ms) hold at most 11 starts.
    for (let i = 0; i + 11 < starts.length; i++) {
      expect(starts[i + 11]!.at - starts[i]!.at).toBeGreaterThanOrEqual(50);
    }
  });

  it('passes a call’s failure to its caller and keeps serving the queue', async () => {
    const limit = createRateLimiter(500, monotonic);
    const results = await Promise.allSettled([
      limit(async () => 1),
      limit(async () => {
        throw new Error('boom');
      }),
      limit(async () => 3),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
