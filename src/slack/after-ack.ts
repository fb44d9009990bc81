/**
 * Keeps acknowledgements first under load. Slack gives 3 s to acknowledge; a listener's work after `ack()`
 * (store reads, building and signing VOD calls) runs on the same event loop as the next commands' acks. In a
 * burst, that work would make later acks wait behind earlier commands' work. So work after an ack waits
 * until acks have stopped arriving for `quietMs` (at most `maxWaitMs`), then the waiting jobs are let go one
 * per event-loop turn, so an ack arriving meanwhile is still answered between them.
 */
export interface AfterAck {
  /** Call right after `ack()`: resolves when this listener may do its slow work. */
  wait(): Promise<void>;
}

export function createAfterAck(options: {
  quietMs: number;
  maxWaitMs: number;
  monotonic: () => number;
}): AfterAck {
  const waiting: Array<{ since: number; go: () => void }> = [];
  let lastAck = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let releasing = false;

  const releaseOne = () => {
    const next = waiting.shift();
    next?.go();
    if (waiting.length > 0) setImmediate(releaseOne);
    else releasing = false;
  };

  const check = () => {
    timer = undefined;
    if (waiting.length === 0 || releasing) return;
    const now = options.monotonic();
    const oldest = waiting[0]?.since ?? now;
    if (now - lastAck >= options.quietMs || now - oldest >= options.maxWaitMs) {
      releasing = true;
      releaseOne();
    } else {
      timer = setTimeout(check, options.quietMs);
    }
  };

  return {
    wait() {
      const now = options.monotonic();
      lastAck = now;
      return new Promise<void>((go) => {
        waiting.push({ since: now, go });
        if (timer === undefined) timer = setTimeout(check, options.quietMs);
      });
    },
  };
}
