import {
  type AuditDeliverer,
  DEFAULT_DELIVERY_TIMING,
  type DeliveryTiming,
  startAuditDeliverer,
  type WebhookOutcome,
  type WebhookSender,
} from '../core/audit-webhooks/audit-deliverer.js';
import type { AuditWebhookSettings } from '../core/audit-webhooks/webhook-settings.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AuditDeliveries } from '../core/store/audit-deliveries.js';
import type { Telemetry } from '../core/telemetry.js';
import { packageVersion } from './version.js';

/**
 * The webhook sender over HTTP: Node's fetch, one POST per batch, given up after `timeoutMs`. Redirects are not
 * followed (a signed trail goes only where it was configured to; a 3xx is a failure, retried). The answer's body
 * is never read (cancelled, so an endless or huge one costs nothing). What failed is said by status or code, never with the URL (it may carry a token).
 * @see https://nodejs.org/api/globals.html#fetch
 */
export function createFetchWebhookSender(options: { url: string; timeoutMs: number }): WebhookSender {
  const userAgent = `vod-ops/${packageVersion()}`;
  return {
    async send(request, signal): Promise<WebhookOutcome> {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'user-agent': userAgent,
          },
          body: request.body,
          redirect: 'manual',
          signal: AbortSignal.any([signal, timeout]),
        });
        // Never read: a receiver's answer could be endless, and only its status counts.
        await response.body?.cancel().catch(() => undefined);
        return response.status >= 200 && response.status < 300
          ? { delivered: true, status: response.status }
          : { delivered: false, failure: `HTTP ${response.status}` };
      } catch (error) {
        if (timeout.aborted) return { delivered: false, failure: `timeout after ${options.timeoutMs} ms` };
        if (signal.aborted) return { delivered: false, failure: 'stopped' };
        return { delivered: false, failure: failureCode(error) };
      }
    },
  };
}

/**
 * Starts the audit webhook's deliverer in this serving process, when one is configured. The lease outlives three
 * timeouts, so a holder still waiting on the receiver is never taken over mid-request (two senders would be
 * out of order).
 */
export function startAuditWebhook(options: {
  settings: AuditWebhookSettings | undefined;
  deliveries: AuditDeliveries;
  owner: string;
  logger: Logger;
  telemetry?: Pick<Telemetry, 'auditDelivery'>;
  timing?: Partial<DeliveryTiming>;
}): AuditDeliverer | undefined {
  const { settings } = options;
  if (settings === undefined) return undefined;
  const leaseMs = Math.max(
    options.timing?.leaseMs ?? DEFAULT_DELIVERY_TIMING.leaseMs,
    3 * settings.timeoutMs,
  );
  return startAuditDeliverer({
    deliveries: options.deliveries,
    target: settings.target,
    secret: settings.secret,
    sender: createFetchWebhookSender({ url: settings.url, timeoutMs: settings.timeoutMs }),
    owner: options.owner,
    clock: systemClock,
    random: Math.random,
    logger: options.logger.child({ component: 'audit-webhook' }),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    timing: { ...options.timing, leaseMs, batchTimeoutMs: settings.timeoutMs },
  });
}

/** `ECONNREFUSED`, `UND_ERR_SOCKET`…: undici puts the system's code on the error's cause. */
function failureCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown failure';
}
