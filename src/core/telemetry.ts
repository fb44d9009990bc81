/**
 * What core tells about its own work, for the operator's metrics: VOD calls, throttling, waits for the rate
 * budget, and how long deletion requests wait for a decision and for their execution. Named observations, not a
 * metrics library: core never imports one, and the composition root decides where they go (Prometheus in
 * `vod-ops serve`, nowhere in one-shot commands). Every label value handed over is from a bounded vocabulary
 * (actions, outcomes, Alibaba's codes, regions), never an id.
 *
 * An observation must never throw nor block: it is called on the path of the work it describes.
 */
export interface Telemetry {
  /** One VOD call, all its attempts included, as the caller saw it end. */
  vodCall(call: {
    region: string;
    action: string;
    /** `ok`, or the kind of the final failure (`rejected`, `throttled`, `timeout`…). */
    outcome: string;
    /** Alibaba's error code, or `none` when Alibaba gave none (a success, a timeout). */
    code: string;
    seconds: number;
  }): void;
  /** One attempt that Alibaba's flow control refused. */
  vodThrottled(attempt: { region: string; action: string }): void;
  /** How long one attempt waited for its slot in the rate budget before it was sent. */
  rateWait(wait: { region: string; action: string; seconds: number }): void;
  /** A pending deletion request was decided (`approved`, `rejected`, `expired`, `cancelled`): since it was made. */
  requestDecided(decision: { outcome: string; seconds: number }): void;
  /** An approved request's execution recorded its outcome (`succeeded` or `failed`): since its approval. */
  requestExecuted(execution: { outcome: string; seconds: number }): void;
  /** A campaign's item settled: `deleted`, `skipped` or `failed`. */
  campaignItem(item: { outcome: string }): void;
  /** One attempt to send a batch of the audit trail to its webhook: `delivered` (a 2xx) or `failed`. */
  auditDelivery(attempt: { outcome: 'delivered' | 'failed'; events: number }): void;
}

/**
 * `telemetry` with every method made unable to throw: what an observation cannot record is dropped, never
 * passed on to the work it describes (a DeleteStream that succeeded must not read as failed because a metric
 * could not be written). Core guards what it is given; adapters should not throw in the first place.
 */
export function neverThrowing<T extends object>(telemetry: T): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(telemetry)) {
    guarded[name] =
      typeof method === 'function'
        ? (...args: unknown[]) => {
            try {
              method.apply(telemetry, args);
            } catch {
              // Dropped: see above.
            }
          }
        : method;
  }
  return guarded as T;
}

/** Observes nothing: for one-shot commands and tests that do not look. */
export const noTelemetry: Telemetry = {
  vodCall: () => {},
  vodThrottled: () => {},
  rateWait: () => {},
  requestDecided: () => {},
  requestExecuted: () => {},
  campaignItem: () => {},
  auditDelivery: () => {},
};
