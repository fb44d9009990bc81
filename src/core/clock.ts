import { performance } from 'node:perf_hooks';

/** Where time comes from. Injected everywhere so tests never sleep; `systemClock` is wired in at composition. */
export interface Clock {
  /** Milliseconds since the epoch: for timestamps people read. */
  now(): number;
  /** Milliseconds on a monotonic, sub-millisecond clock: for durations and pacing, immune to clock steps. */
  monotonic(): number;
}

export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
