import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { createAfterAck } from '../../src/slack/after-ack.js';

const monotonic = () => performance.now();

describe('createAfterAck', () => {
  it('lets work start once acknowledgements have stopped arriving, in arrival order', async () => {
    const afterAck = createAfterAck({ quietMs: 5, maxWaitMs: 1000, monotonic });
    const order: number[] = [];
    const jobs = [0, 1, 2].map((i) => afterAck.wait().then(() => order.push(i)));
    await Promise.all(jobs);
    expect(order).toEqual([0, 1, 2]);
  });

  it('holds work while acknowledgements keep arriving', async () => {
    const afterAck = createAfterAck({ quietMs: 20, maxWaitMs: 5000, monotonic });
    let started = false;
    const first = afterAck.wait().then(() => {
      started = true;
    });
    // Another ack every 5 ms for 60 ms: never a 20 ms quiet gap.
    for (let i = 0; i < 12; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(started).toBe(false);
      void afterAck.wait();
    }
    await first;
    expect(started).toBe(true);
  });

  it('never holds work longer than maxWaitMs, however busy', async () => {
    const afterAck = createAfterAck({ quietMs: 50, maxWaitMs: 30, monotonic });
    const t0 = monotonic();
    const first = afterAck.wait();
    const keepBusy = setInterval(() => void afterAck.wait(), 5);
    await first;
    clearInterval(keepBusy);
    expect(monotonic() - t0).toBeLessThan(1000);
  });
});
