/**
 * Work under way in this process that changes VOD or records what it did: executions and direct deletions.
 * Shutdown waits for it (`idle()`), so a store is never closed under a deletion that still has to be recorded.
 */
export interface InFlight {
  /** Tracks `work` until it settles, and returns it. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves when everything tracked, including what is tracked meanwhile, has settled. */
  idle(): Promise<void>;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      running.add(work);
      void work.then(
        () => running.delete(work),
        () => running.delete(work),
      );
      return work;
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
