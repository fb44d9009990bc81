import type { Clock } from '../clock.js';
import { errorSummary } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { AuditDeliveries } from '../store/audit-deliveries.js';
import { neverThrowing, type Telemetry } from '../telemetry.js';
import { deliverableEntries, type GapWatch } from './delivery-horizon.js';
import { type FailureRun, leaseLeavesTimeToSend, shouldHandOver } from './lease-rules.js';
import { type Backoff, DEFAULT_BACKOFF, retryDelay } from './retry-delay.js';
import { webhookBatch } from './webhook-document.js';
import { signatureHeaders } from './webhook-signature.js';

/** One signed POST: its body as signed, and the headers that go with it. */
export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
}

/** What became of one attempt: a 2xx, or what failed (a status, a timeout, a connection code; nothing secret). */
export type WebhookOutcome = { delivered: true; status: number } | { delivered: false; failure: string };

/** Sends one request to the receiver. A failure is an outcome, never a throw; `signal` aborts it at shutdown. */
export interface WebhookSender {
  send(request: WebhookRequest, signal: AbortSignal): Promise<WebhookOutcome>;
}

export interface DeliveryTiming {
  /** Entries per POST. */
  batchSize: number;
  /** How often the holder looks for new entries when it has sent them all. */
  pollMs: number;
  /** How long a claim lasts; renewed at every step and at least every third of it. */
  leaseMs: number;
  /** How long a gap in `seq` is watched at least before it is passed (see `deliverableEntries`). */
  settleMs: number;
  backoff: Backoff;
  /** The sender's own time limit: a send starts only while the lease outlasts it (see `leaseLeavesTimeToSend`). */
  sendTimeoutMs: number;
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

export const DEFAULT_DELIVERY_TIMING: DeliveryTiming = {
  batchSize: 100,
  pollMs: 1000,
  leaseMs: 30_000,
  settleMs: 2000,
  backoff: DEFAULT_BACKOFF,
  sendTimeoutMs: 10_000,
  handOverAfter: 3,
  stopWaitMs: 3000,
};

export interface AuditDelivererOptions {
  deliveries: AuditDeliveries;
  /** The cursor's name (`AuditWebhookSettings.target`). */
  target: string;
  secret: string;
  sender: WebhookSender;
  /** This process, in the lease. */
  owner: string;
  /** `now` signs (receivers compare it with their own wall clock); `monotonic` times waits. */
  clock: Clock;
  /** Jitter, in [0, 1). */
  random: () => number;
  logger: Logger;
  /** Told of every attempt's outcome. */
  telemetry?: Pick<Telemetry, 'auditDelivery'>;
  timing?: Partial<DeliveryTiming>;
}

export interface AuditDeliverer {
  /**
   * Stops at once (a request under way is aborted, to be sent again by whoever delivers next) and gives the lease
   * up; returns within `stopWaitMs` even when the store does not answer (the lease then runs out by itself).
   */
  stop(): Promise<void>;
}

/**
 * Sends the audit trail to a webhook, in `seq` order, a batch per POST, at least once: the cursor moves past a
 * batch only after the receiver answered 2xx; any other answer, a timeout or a dropped connection sends the same
 * batch again after a growing wait. Among every process sharing the store, only the one holding the target's lease
 * sends, and a new holder goes on from the cursor, so each entry reaches the receiver in order, possibly twice
 * (receivers dedupe by `seq`). Nothing here is on a deletion's path: it reads the trail the workflow wrote and
 * writes only its own row, so a receiver that is down delays its copy, never a deletion.
 */
export function startAuditDeliverer(options: AuditDelivererOptions): AuditDeliverer {
  const { deliveries, target, owner, clock, logger } = options;
  const timing = { ...DEFAULT_DELIVERY_TIMING, ...options.timing };
  // An observation that throws must not keep a delivered batch from being recorded.
  const telemetry = options.telemetry && neverThrowing(options.telemetry);
  const renewMs = Math.max(1, Math.floor(timing.leaseMs / 3));
  const controller = new AbortController();
  const { signal } = controller;

  /** The batch being sent, and the cursor it was read after: sent again, unchanged, until delivered. */
  let pending: { after: number; entries: AuditEntry[] } | undefined;
  let retryAt = 0;
  let watch: GapWatch | undefined;
  let holding = false;
  let failures: FailureRun | undefined;
  /** Monotonic ms until which this process stays out, after handing the lease over. */
  let restUntil = 0;

  /** One step of the loop; returns how long to wait before the next. */
  const step = async (): Promise<number> => {
    const claimedAt = clock.monotonic();
    if (claimedAt < restUntil) return restUntil - claimedAt;
    const cursor = await deliveries.claimAuditDelivery(target, owner, timing.leaseMs);
    if (cursor === undefined) {
      if (holding) logger.info('audit webhook: another process delivers now');
      holding = false;
      pending = undefined;
      failures = undefined;
      // Asked as often as the holder looks for entries, so a lease given up is taken over within a poll.
      return Math.min(timing.pollMs, renewMs);
    }
    if (!holding) logger.info({ lastSeq: cursor.lastSeq }, 'audit webhook: this process delivers');
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
      !leaseLeavesTimeToSend({ claimedAt, leaseMs: timing.leaseMs }, clock.monotonic(), timing.sendTimeoutMs)
    ) {
      logger.warn(
        'audit webhook: the store was too slow to leave the lease time for a send; claiming it again',
      );
      return 0;
    }
    const { deliveryId, body } = webhookBatch(batch.entries);
    const headers = {
      ...signatureHeaders(options.secret, Math.floor(clock.now() / 1000), body),
      'x-vod-ops-delivery': deliveryId,
    };
    const outcome = await options.sender.send({ body, headers }, signal);
    // Delivered as the process stops: recorded all the same, so the next holder does not send it again.
    if (signal.aborted && !outcome.delivered) return 0;
    telemetry?.auditDelivery({
      outcome: outcome.delivered ? 'delivered' : 'failed',
      events: batch.entries.length,
    });
    if (outcome.delivered) {
      const toSeq = batch.entries.at(-1)?.seq ?? cursor.lastSeq;
      const moved = await deliveries.advanceAuditDelivery(
        target,
        owner,
        { fromSeq: batch.after, toSeq },
        timing.leaseMs,
      );
      failures = undefined;
      pending = undefined;
      if (!moved) {
        logger.warn(
          { deliveryId },
          'audit webhook: delivered, but the lease was lost meanwhile; the next holder may send it again',
        );
        return 0;
      }
      if (cursor.attempts > 0) {
        logger.info(
          { deliveryId, failedAttempts: cursor.attempts },
          'audit webhook delivered after failures',
        );
      }
      return 0;
    }
    const failedAt = clock.monotonic();
    failures = { count: (failures?.count ?? 0) + 1, since: failures?.since ?? failedAt };
    const attempts =
      (await deliveries.recordAuditDeliveryFailure(target, owner, outcome.failure, timing.leaseMs)) ??
      cursor.attempts + 1;
    if (shouldHandOver(failures, failedAt, timing.leaseMs, timing.handOverAfter)) {
      logger.warn(
        { failuresInRow: failures.count, failure: outcome.failure },
        'audit webhook: this process keeps failing; giving the lease up to another for a lease period',
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
      { deliveryId, failure: outcome.failure, attempts, retryInMs: Math.round(delay) },
      'audit webhook delivery failed; the same batch will be sent again',
    );
    return Math.min(delay, renewMs);
  };

  const running = (async () => {
    while (!signal.aborted) {
      let wait: number;
      try {
        wait = await step();
      } catch (error) {
        logger.error({ err: errorSummary(error) }, 'audit webhook: the store failed; trying again');
        wait = renewMs;
      }
      await pause(wait, signal);
    }
    if (holding) {
      await deliveries.releaseAuditDelivery(target, owner).catch((error: unknown) => {
        logger.warn({ err: errorSummary(error) }, 'audit webhook: could not give the lease up; it runs out');
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
          'audit webhook: the store did not answer in time as this process stops; its lease runs out by itself',
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
