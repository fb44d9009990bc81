import {
  type AuditFollower,
  DEFAULT_FOLLOW_TIMING,
  type FollowTiming,
  startAuditFollower,
} from '../audit-trail/audit-follower.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AuditDeliveries } from '../store/audit-deliveries.js';
import { neverThrowing, type Telemetry } from '../telemetry.js';
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

/** How the deliverer paces itself: the follower's timing, `batchTimeoutMs` being the sender's own time limit. */
export type DeliveryTiming = FollowTiming;

export const DEFAULT_DELIVERY_TIMING: DeliveryTiming = DEFAULT_FOLLOW_TIMING;

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

/**
 * Stops at once (a request under way is aborted, to be sent again by whoever delivers next) and gives the lease up;
 * returns within `stopWaitMs` even when the store does not answer (the lease then runs out by itself).
 */
export type AuditDeliverer = AuditFollower;

/**
 * Sends the audit trail to a webhook, in `seq` order, a batch per POST, at least once (the audit follower's
 * guarantees): the cursor moves past a batch only after the receiver answered 2xx; any other answer, a timeout or a
 * dropped connection sends the same batch again after a growing wait. Only the holder of the target's lease sends,
 * so each entry reaches the receiver in order, possibly twice (receivers dedupe by `seq`). A receiver that is down
 * delays its copy, never a deletion.
 */
export function startAuditDeliverer(options: AuditDelivererOptions): AuditDeliverer {
  const { clock, logger } = options;
  // An observation that throws must not keep a delivered batch from being recorded.
  const telemetry = options.telemetry && neverThrowing(options.telemetry);
  return startAuditFollower({
    deliveries: options.deliveries,
    target: options.target,
    name: 'audit webhook',
    owner: options.owner,
    clock,
    random: options.random,
    logger,
    ...(options.timing ? { timing: options.timing } : {}),
    onOutcome: (outcome, events) =>
      telemetry?.auditDelivery({ outcome: outcome.handled ? 'delivered' : 'failed', events }),
    consumer: {
      async handle(entries, signal) {
        const { deliveryId, body } = webhookBatch(entries);
        const headers = {
          ...signatureHeaders(options.secret, Math.floor(clock.now() / 1000), body),
          'x-vod-ops-delivery': deliveryId,
        };
        const outcome = await options.sender.send({ body, headers }, signal);
        return outcome.delivered ? { handled: true } : { handled: false, failure: outcome.failure };
      },
    },
  });
}
