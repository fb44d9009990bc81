import type { Clock } from '../clock.js';
import { errorSummary } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { AuditDeliveries } from '../store/audit-deliveries.js';
import { deliverableEntries, type GapWatch } from './delivery-horizon.js';
import { type FailureRun, leaseLeavesTimeToSend, shouldHandOver } from './lease-rules.js';
import { type Backoff, DEFAULT_BACKOFF, retryDelay } from './retry-delay.js';

/**
 * What became of one batch: handled (the cursor moves past it), or what failed (nothing secret), with the last
 * entry handled before the failure, if any, which the cursor moves past so that it is not handled again.
 */
export type BatchOutcome = { handled: true } | { handled: false; failure: string; handledThrough?: number };

/**
 * What a follower does with the trail: one batch at a time, in `seq` order. A failure is an outcome, never a
 * throw (a throw counts as a failure all the same); `signal` aborts the batch at shutdown or when the lease is
 * lost, and the consumer should then stop and report what it handled (`handledThrough`).
 */
export interface AuditConsumer {
  handle(entries: AuditEntry[], signal: AbortSignal): Promise<BatchOutcome>;
}

export interface FollowTiming {
  /** Entries per batch. */
  batchSize: number;
  /** How often the holder looks for new entries when it has handled them all. */
  pollMs: number;
  /** How long a claim lasts; renewed at every step and at least every third of it. */
  leaseMs: number;
  /** How long a gap in `seq` is watched at least before it is passed (see `deliverableEntries`). */
  settleMs: number;
  backoff: Backoff;
  /** The longest a batch may take: one starts only while the lease outlasts it (see `leaseLeavesTimeToSend`). */
  batchTimeoutMs: number;
  /**
   * Failures in a row (spanning a lease, too) after which the holder gives the lease up and stays out for a lease,
   * so another replica tries (see `shouldHandOver`).
   */
  handOverAfter: number;
  /**
   * How long `stop()` waits for the loop to end (a store call under way, then the release): a store that does not
   * answer must not hang shutdown, and a lease not given up runs out by itself.
   */
  stopWaitMs: number;
}

const GAP_POLL_MS = 100;

export const DEFAULT_FOLLOW_TIMING: FollowTiming = {
  batchSize: 100,
  pollMs: 1000,
  leaseMs: 30_000,
  settleMs: 2000,
  backoff: DEFAULT_BACKOFF,
  batchTimeoutMs: 10_000,
  handOverAfter: 3,
  stopWaitMs: 3000,
};

export interface AuditFollowerOptions {
  deliveries: AuditDeliveries;
  /** The cursor's name in the store: one per follower kind, shared by every replica. */
  target: string;
  /** What the log lines call it: `audit webhook`, `slack notifications`. */
  name: string;
  consumer: AuditConsumer;
  /** This process, in the lease. */
  owner: string;
  /** `monotonic` times waits. */
  clock: Clock;
  /** Jitter, in [0, 1). */
  random: () => number;
  logger: Logger;
  /** Told of every batch's outcome. */
  onOutcome?: (outcome: BatchOutcome, entries: number) => void;
  timing?: Partial<FollowTiming>;
}

export interface AuditFollower {
  /**
   * Stops at once (a batch under way is aborted, to be handled again by whoever follows next) and gives the lease
   * up; returns within `stopWaitMs` even when the store does not answer (the lease then runs out by itself).
   */
  stop(): Promise<void>;
}

/**
 * Follows the audit trail in `seq` order, a batch at a time, at least once: the cursor moves past a batch only
 * after the consumer handled it; a failure hands the same batch over again after a growing wait. Among every
 * process sharing the store, only the one holding the target's lease follows, and a new holder goes on from the
 * cursor, so each entry is handled in order, possibly twice (after a crash between handling and recording). Nothing
 * here is on a deletion's path: it reads the trail the workflow wrote and writes only its own cursor.
 *
 * Written here rather than taken from a queue library: the queue is the audit trail itself, already durable and
 * ordered, and what is particular (PostgreSQL's out-of-order commits, a lease on the database's clock) is in the
 * rules beside it, each a few lines with its own tests.
 */
export function startAuditFollower(options: AuditFollowerOptions): AuditFollower {
  const { deliveries, target, owner, clock, logger, name } = options;
  const timing = { ...DEFAULT_FOLLOW_TIMING, ...options.timing };
  const renewMs = Math.max(1, Math.floor(timing.leaseMs / 3));
  const controller = new AbortController();
  const { signal } = controller;
  const observe = (outcome: BatchOutcome, entries: number) => {
    try {
      options.onOutcome?.(outcome, entries);
    } catch (error) {
      // An observation that throws must not keep a handled batch from being recorded.
      logger.warn({ err: errorSummary(error) }, `${name}: an observer failed`);
    }
  };

  /** The batch being handled, and the cursor it was read after: handed over again, unchanged, until handled. */
  let pending: { after: number; entries: AuditEntry[] } | undefined;
  let retryAt = 0;
  let watch: GapWatch | undefined;
  let holding = false;
  let failures: FailureRun | undefined;
  /** Monotonic ms until which this process stays out, after handing the lease over. */
  let restUntil = 0;

  /**
   * Hands a batch over while renewing the lease every third of it, so a long batch (many messages to send) is not
   * taken over midway by another process, which would handle it twice. The batch's signal aborts when the lease is
   * lost or the process stops: the consumer ends early and says how far it got.
   */
  const handle = async (entries: AuditEntry[]): Promise<BatchOutcome> => {
    const batch = new AbortController();
    const stopped = () => batch.abort();
    signal.addEventListener('abort', stopped, { once: true });
    const renewing = setInterval(() => {
      deliveries.claimAuditDelivery(target, owner, timing.leaseMs).then(
        (cursor) => {
          if (cursor === undefined) batch.abort();
        },
        () => batch.abort(),
      );
    }, renewMs);
    try {
      return await options.consumer.handle(entries, batch.signal);
    } catch (error) {
      return { handled: false, failure: String(errorSummary(error).code) };
    } finally {
      clearInterval(renewing);
      signal.removeEventListener('abort', stopped);
    }
  };

  /** One step of the loop; returns how long to wait before the next. */
  const step = async (): Promise<number> => {
    const claimedAt = clock.monotonic();
    if (claimedAt < restUntil) return restUntil - claimedAt;
    const cursor = await deliveries.claimAuditDelivery(target, owner, timing.leaseMs);
    if (cursor === undefined) {
      if (holding) logger.info(`${name}: another process delivers now`);
      holding = false;
      pending = undefined;
      failures = undefined;
      // Asked as often as the holder looks for entries, so a lease given up is taken over within a poll.
      return Math.min(timing.pollMs, renewMs);
    }
    if (!holding) logger.info({ lastSeq: cursor.lastSeq }, `${name}: this process delivers`);
    holding = true;
    if (pending !== undefined && pending.after !== cursor.lastSeq) pending = undefined;
    const now = clock.monotonic();
    if (pending !== undefined && now < retryAt) return Math.min(retryAt - now, renewMs);
    if (pending === undefined) {
      const page = await deliveries.readAuditAfter(cursor.lastSeq, timing.batchSize);
      const horizon = deliverableEntries(cursor.lastSeq, page, watch, now, timing.settleMs);
      if (horizon.gap === undefined) watch = undefined;
      else if (watch?.seq !== horizon.gap) {
        // Asked after the read that found the gap, so every writer that could fill it holds a smaller id.
        const bound = await deliveries.auditWritersBound();
        watch = bound === undefined ? undefined : { seq: horizon.gap, seenAt: clock.monotonic(), bound };
      }
      // A gap is looked at again soon: it usually fills within milliseconds, as its transaction commits.
      if (horizon.entries.length === 0)
        return horizon.gap === undefined ? timing.pollMs : Math.min(timing.pollMs, GAP_POLL_MS);
      pending = { after: cursor.lastSeq, entries: horizon.entries };
    }
    const batch = pending;
    if (
      !leaseLeavesTimeToSend({ claimedAt, leaseMs: timing.leaseMs }, clock.monotonic(), timing.batchTimeoutMs)
    ) {
      logger.warn(`${name}: the store was too slow to leave the lease time for a batch; claiming it again`);
      return 0;
    }
    const first = batch.entries[0]?.seq;
    const last = batch.entries.at(-1)?.seq ?? cursor.lastSeq;
    const fields = { fromSeq: first, toSeq: last };
    const outcome = await handle(batch.entries);
    // Handled as the process stops: recorded all the same, so the next holder does not handle it again.
    if (signal.aborted && !outcome.handled) return 0;
    observe(outcome, batch.entries.length);
    if (outcome.handled) {
      const moved = await deliveries.advanceAuditDelivery(
        target,
        owner,
        { fromSeq: batch.after, toSeq: last },
        timing.leaseMs,
      );
      failures = undefined;
      pending = undefined;
      if (!moved) {
        logger.warn(
          fields,
          `${name}: delivered, but the lease was lost meanwhile; the next holder may deliver it again`,
        );
        return 0;
      }
      if (cursor.attempts > 0) {
        logger.info({ ...fields, failedAttempts: cursor.attempts }, `${name} delivered after failures`);
      }
      return 0;
    }
    if (outcome.handledThrough !== undefined && outcome.handledThrough > batch.after) {
      const toSeq = Math.min(outcome.handledThrough, last);
      if (
        await deliveries.advanceAuditDelivery(target, owner, { fromSeq: batch.after, toSeq }, timing.leaseMs)
      ) {
        batch.entries = batch.entries.filter((e) => (e.seq ?? 0) > toSeq);
        batch.after = toSeq;
      } else {
        pending = undefined;
      }
    }
    const failedAt = clock.monotonic();
    failures = { count: (failures?.count ?? 0) + 1, since: failures?.since ?? failedAt };
    const attempts =
      (await deliveries.recordAuditDeliveryFailure(target, owner, outcome.failure, timing.leaseMs)) ??
      cursor.attempts + 1;
    if (shouldHandOver(failures, failedAt, timing.leaseMs, timing.handOverAfter)) {
      logger.warn(
        { failuresInRow: failures.count, failure: outcome.failure },
        `${name}: this process keeps failing; giving the lease up to another for a lease period`,
      );
      await deliveries.releaseAuditDelivery(target, owner);
      holding = false;
      pending = undefined;
      failures = undefined;
      restUntil = failedAt + timing.leaseMs;
      return timing.leaseMs;
    }
    const delay = retryDelay(attempts, timing.backoff, options.random);
    retryAt = clock.monotonic() + delay;
    logger.warn(
      { ...fields, failure: outcome.failure, attempts, retryInMs: Math.round(delay) },
      `${name} delivery failed; the same batch will be sent again`,
    );
    return Math.min(delay, renewMs);
  };

  const running = (async () => {
    while (!signal.aborted) {
      let wait: number;
      try {
        wait = await step();
      } catch (error) {
        logger.error({ err: errorSummary(error) }, `${name}: the store failed; trying again`);
        wait = renewMs;
      }
      await pause(wait, signal);
    }
    if (holding) {
      await deliveries.releaseAuditDelivery(target, owner).catch((error: unknown) => {
        logger.warn({ err: errorSummary(error) }, `${name}: could not give the lease up; it runs out`);
      });
    }
  })();

  return {
    async stop() {
      controller.abort();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const ended = await Promise.race([
        running.then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), timing.stopWaitMs);
        }),
      ]);
      clearTimeout(timer);
      if (!ended) {
        logger.warn(
          { waitedMs: timing.stopWaitMs },
          `${name}: the store did not answer in time as this process stops; its lease runs out by itself`,
        );
      }
    },
  };
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
