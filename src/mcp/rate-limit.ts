import type { RequestRateLimit } from './deps.js';

const HOUR_MS = 3_600_000;

/**
 * A sliding one-hour window per principal, held in this process: an assistant stuck in a loop cannot flood
 * approvers with deletion requests. Several processes each apply it to the calls they serve.
 */
export function createRequestRateLimit(perHour: number, now: () => number): RequestRateLimit {
  const calls = new Map<string, number[]>();
  return {
    take(principal) {
      const at = now();
      const recent = (calls.get(principal) ?? []).filter((t) => at - t < HOUR_MS);
      if (recent.length >= perHour) {
        calls.set(principal, recent);
        return { ok: false, retryAfterMs: HOUR_MS - (at - (recent[0] ?? at)) };
      }
      recent.push(at);
      calls.set(principal, recent);
      return { ok: true };
    },
    refund(principal) {
      calls.get(principal)?.pop();
    },
  };
}
