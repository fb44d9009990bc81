/** Alibaba's per-API flow control, reproduced as a sliding window over accepted requests. */
export interface FlowControl {
  /**
   * Decides whether a request for `action` arriving at `nowMs` is accepted: at most `qps` requests of one action are
   * accepted in any 1000 ms window. A refused request is not counted, so a client that backs off recovers as soon
   * as the window slides.
   */
  admit(action: string, nowMs: number): boolean;
  /** Sets or (with `undefined`) removes the limit of one action. */
  setLimit(action: string, qps: number | undefined): void;
}

const FLOW_CONTROL_WINDOW_MS = 1000;

/** Creates the flow control; actions without a limit are always admitted. */
export function createFlowControl(limits: Readonly<Record<string, number | undefined>> = {}): FlowControl {
  const windows = new Map<string, { qps: number; accepted: number[] }>();

  const setLimit = (action: string, qps: number | undefined): void => {
    if (qps === undefined) {
      windows.delete(action);
      return;
    }
    if (!Number.isInteger(qps) || qps < 0)
      throw new RangeError(`qps limit must be a whole number >= 0, got ${qps}`);
    windows.set(action, { qps, accepted: windows.get(action)?.accepted ?? [] });
  };
  for (const [action, qps] of Object.entries(limits)) setLimit(action, qps);

  return {
    admit(action, nowMs) {
      const window = windows.get(action);
      if (window === undefined) return true;
      const { accepted } = window;
      let expired = 0;
      while (expired < accepted.length && (accepted[expired] ?? 0) <= nowMs - FLOW_CONTROL_WINDOW_MS)
        expired++;
      if (expired > 0) accepted.splice(0, expired);
      if (accepted.length >= window.qps) return false;
      accepted.push(nowMs);
      return true;
    },
    setLimit,
  };
}
