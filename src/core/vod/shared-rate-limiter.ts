import { errorSummary } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Limiter } from './rate-limiter.js';

/**
 * Where a shared limiter reserves its slots: the store's rate ledger (see `RateLedger`). `reserve` answers when the
 * slot comes, on the `monotonic` clock the limiter is given.
 */
export interface SlotReservations {
  reserve(key: string, spanMs: number): Promise<number>;
}

export interface SharedRateLimiterOptions {
  ledger: SlotReservations;
  /** The budget: one action at one endpoint, e.g. `DeleteStream@vod.cn-shanghai.aliyuncs.com`. */
  key: string;
  qps: number;
  /** This process's own limiter, used while the ledger cannot be reached. */
  fallback: Limiter;
  logger: Logger;
  /** The monotonic clock the ledger's slots are given on (`performance.now()`). */
  monotonic: () => number;
  sleep: (ms: number) => Promise<void>;
}

const WARN_EVERY_MS = 60_000;
/** How many slots a call may miss (its process too busy to start on time) before it starts anyway. */
const MAX_RESERVATIONS = 3;

/**
 * A limiter whose budget every process using the same store shares: each call reserves the next slot of the budget
 * in the store (calls waiting together in one round trip), waits for it, then starts. Calls of all processes leave evenly spaced at `qps`
 * per second, in the order their reservations reached the database, so two replicas together stay under the
 * account's limit instead of each using all of it. A process alone keeps its speed: a slot is `1000 / qps` ms after
 * the one before, wherever it was reserved.
 *
 * A call whose process was too busy to start it within half a spacing of its slot gives the slot up and reserves the
 * next, rather than start on top of the call after it: the budget stays evenly spaced when event loops stall.
 *
 * When the ledger cannot be reached, calls are paced by this process alone (the fallback), and a warning says so
 * once a minute: a call is never refused for want of a slot, since Alibaba's flow control still answers (and the
 * call policy retries) what goes over the account's limit.
 */
export function createSharedRateLimiter(options: SharedRateLimiterOptions): Limiter {
  const spacingMs = 1000 / options.qps;
  const maxBatch = Math.max(1, Math.floor(options.qps));
  let lastWarning = Number.NEGATIVE_INFINITY;
  let waiting: Array<{ resolve: (startAt: number) => void; reject: (error: unknown) => void }> = [];
  let reserving = false;

  /**
   * One reservation in flight at a time: callers that arrive meanwhile wait for the next, which reserves a slot
   * for each of them at once (consecutive slots, one round trip). A burst of calls costs a few writes instead of
   * one each, and at most a second of the budget is taken in one go, so a process that dies holding a batch
   * wastes at most that.
   */
  const reserveWaiting = (): void => {
    if (reserving || waiting.length === 0) return;
    reserving = true;
    const batch = waiting.slice(0, maxBatch);
    waiting = waiting.slice(batch.length);
    // A ledger that throws at once rejects the batch like one that rejects: nobody waits for ever.
    Promise.resolve()
      .then(() => options.ledger.reserve(options.key, spacingMs * batch.length))
      .then(
        (first) => {
          for (const [i, caller] of batch.entries()) caller.resolve(first + i * spacingMs);
        },
        (error: unknown) => {
          for (const caller of batch) caller.reject(error);
        },
      )
      .finally(() => {
        reserving = false;
        reserveWaiting();
      });
  };
  const nextSlot = () =>
    new Promise<number>((resolve, reject) => {
      waiting.push({ resolve, reject });
      reserveWaiting();
    });

  /** Waits for a slot; a slot missed by more than half a spacing (this process was busy) is given up for the next. */
  const awaitSlot = async (): Promise<void> => {
    for (let tries = 0; tries < MAX_RESERVATIONS; tries++) {
      const startAt = await nextSlot();
      const waitMs = startAt - options.monotonic();
      // Never early: a timer may fire up to a millisecond before a fractional delay.
      if (waitMs > 0) await options.sleep(Math.ceil(waitMs));
      if (options.monotonic() - startAt <= spacingMs / 2) return;
    }
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      await awaitSlot();
    } catch (error) {
      const now = options.monotonic();
      if (now - lastWarning >= WARN_EVERY_MS) {
        lastWarning = now;
        options.logger.warn(
          { budget: options.key, err: errorSummary(error) },
          'the shared rate budget cannot be reached: this process paces its VOD calls by itself meanwhile',
        );
      }
      return options.fallback(fn);
    }
    return fn();
  };
}
