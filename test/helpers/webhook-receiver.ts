import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import type { WebhookBatch, WebhookEvent } from '../../src/core/audit-webhooks/webhook-document.js';

/**
 * A SIEM's webhook endpoint on 127.0.0.1, written the way docs/operations.md tells a receiver to: it verifies each
 * POST's signature over the raw body in constant time and refuses one more than 5 minutes old, answering 401; it
 * records what it accepted. It can be told to fail (answer 500, or drop the connection) to show retries.
 */
export interface WebhookReceiver {
  url: string;
  /** Every verified delivery, in the order they arrived (retries and duplicates included). */
  readonly deliveries: readonly ReceivedDelivery[];
  /** Requests refused for a bad or stale signature. */
  readonly refused: number;
  /** Requests it failed on purpose. */
  readonly failed: number;
  /** The `X-Vod-Ops-Delivery` of every request, answered or not, in the order they arrived. */
  readonly attempts: readonly string[];
  /**
   * How it answers from now on: `ok` (204), an HTTP status, `drop` (the connection is destroyed), or `hang` (never).
   */
  answer(mode: Mode): void;
  /** Every event accepted, each once (the first arrival of its seq), in the order they arrived. */
  events(): WebhookEvent[];
  /** Waits until `condition` holds of the events (deduped), checking as deliveries arrive. */
  waitForEvents(condition: (events: WebhookEvent[]) => boolean): Promise<WebhookEvent[]>;
  close(): Promise<void>;
}

type Mode = 'ok' | number | 'drop' | 'hang';

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  rawBody: string;
  batch: WebhookBatch;
}

/** Verifies a delivery as a receiver does; returns why it is refused, or undefined. */
export function verifyDelivery(
  secret: string,
  headers: IncomingHttpHeaders,
  rawBody: string,
): string | undefined {
  const timestamp = String(headers['x-vod-ops-timestamp'] ?? '');
  const signature = String(headers['x-vod-ops-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return 'stale';
  const expected = `v1=${createHmac('sha256', secret).update(`v1:${timestamp}:${rawBody}`).digest('hex')}`;
  const ok =
    signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
  return ok ? undefined : 'bad signature';
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  let mode: Mode = 'ok';
  let refused = 0;
  let failed = 0;
  const attempts: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      attempts.push(String(req.headers['x-vod-ops-delivery']));
      if (mode === 'hang') return;
      if (mode === 'drop') {
        failed++;
        req.socket.destroy();
        return;
      }
      if (typeof mode === 'number') {
        failed++;
        res.writeHead(mode).end();
        return;
      }
      const rawBody = Buffer.concat(chunks).toString('utf8');
      if (verifyDelivery(secret, req.headers, rawBody) !== undefined) {
        refused++;
        res.writeHead(401).end();
        return;
      }
      deliveries.push({ headers: req.headers, rawBody, batch: JSON.parse(rawBody) as WebhookBatch });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const events = (): WebhookEvent[] => {
    const seen = new Set<number>();
    return deliveries
      .flatMap((d) => d.batch.events)
      .filter((e) => {
        if (seen.has(e.seq)) return false;
        seen.add(e.seq);
        return true;
      });
  };
  return {
    url: `http://127.0.0.1:${port}/siem/hook`,
    deliveries,
    attempts,
    get refused() {
      return refused;
    },
    get failed() {
      return failed;
    },
    answer(next) {
      mode = next;
    },
    events,
    async waitForEvents(condition) {
      await vi.waitFor(
        () => {
          if (!condition(events())) throw new Error(`not yet: ${events().length} events received`);
        },
        { timeout: 10_000, interval: 20 },
      );
      return events();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
