/** How long to wait before sending a failed delivery again: doubling from `baseMs` up to `capMs`. */
export interface Backoff {
  baseMs: number;
  capMs: number;
}

/** 1 s, 2 s, 4 s… up to 5 minutes: a receiver down for an hour is asked a dozen times an hour, not thousands. */
export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, capMs: 5 * 60_000 };

/**
 * The wait after the `attempts`-th failure in a row: the doubling step, of which a random half (`random()` in
 * [0, 1)) is jitter, so replicas and receivers recovering together are not met by a synchronised burst, and the
 * wait never drops under half the step.
 */
export function retryDelay(attempts: number, backoff: Backoff, random: () => number): number {
  const exponent = Math.min(Math.max(attempts, 1) - 1, 30);
  const step = Math.min(backoff.capMs, backoff.baseMs * 2 ** exponent);
  return step / 2 + (step / 2) * random();
}
