/** Runs `fn` under the limiter: a function that delays calls to keep under a rate. */
export type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * Spaces calls evenly at `qps` per second, first come first served, on a grid of slots `1000/qps` ms apart on a
 * monotonic clock. A call never starts before its slot; when timers fire late it may start up to half a slot
 * after it, and a call later than that (a blocked event loop) re-anchors the grid at its own start instead of
 * letting the backlog out as a burst. So any one-second window holds at most `qps` + 1 calls, and the rate is
 * still `qps` exactly: a burst reaches Alibaba's per-second flow control as an even stream. A call that is
 * already due runs at once, with no timer.
 *
 * Written here rather than taken from p-throttle: p-throttle computes delays from `Date.now()` (whole
 * milliseconds), so it held calls that were already due (7% of calls spaced at the production rate), and
 * replays a late backlog back to back.
 */
export function createRateLimiter(qps: number, monotonic: () => number): Limiter {
  const spacing = 1000 / qps;
  const queue: Array<() => void> = [];
  let nextSlot = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;

  const claimSlot = (now: number) => {
    nextSlot = (now - nextSlot > spacing / 2 ? now : nextSlot) + spacing;
  };

  const pump = () => {
    timer = undefined;
    while (queue.length > 0) {
      const now = monotonic();
      if (now < nextSlot) {
        timer = setTimeout(pump, Math.ceil(nextSlot - now));
        return;
      }
      claimSlot(now);
      queue.shift()?.();
    }
  };

  return <T>(fn: () => Promise<T>): Promise<T> => {
    const now = monotonic();
    if (queue.length === 0 && now >= nextSlot) {
      claimSlot(now);
      return fn();
    }
    return new Promise<T>((resolve, reject) => {
      queue.push(() => {
        fn().then(resolve, reject);
      });
      if (timer === undefined) pump();
    });
  };
}
