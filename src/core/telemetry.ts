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
}

/** Observes nothing: for one-shot commands and tests that do not look. */
export const noTelemetry: Telemetry = {
  vodCall: () => {},
  vodThrottled: () => {},
  rateWait: () => {},
  requestDecided: () => {},
  requestExecuted: () => {},
  campaignItem: () => {},
};
