import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, retryDelay } from '../../../src/core/audit-trail/retry-delay.js';
import { webhookBatch } from '../../../src/core/audit-webhooks/webhook-document.js';
import { signatureHeaders } from '../../../src/core/audit-webhooks/webhook-signature.js';
import type { AuditEntry } from '../../../src/core/requests/audit-entry.js';

const entries: AuditEntry[] = [
  {
    seq: 41,
    at: Date.UTC(2026, 10, 24, 9, 0, 0),
    type: 'created',
    actor: { source: 'mcp', id: 'ops-token', displayName: 'Ops token', clientName: 'claude-code' },
    requestId: 'dr-1',
    videoId: 'video-1',
    details: { reason: 'stale' },
  },
  {
    seq: 42,
    at: Date.UTC(2026, 10, 24, 9, 0, 1),
    type: 'direct_deletion',
    actor: { source: 'cli', id: 'ops', displayName: 'Ops' },
    videoId: 'video-2',
    details: {},
  },
];

describe('the webhook document', () => {
  it('carries the entries in order with ISO times, under an id naming its first and last seq', () => {
    const { deliveryId, body } = webhookBatch(entries);
    expect(deliveryId).toBe('seq-41-42');
    expect(JSON.parse(body)).toEqual({
      deliveryId: 'seq-41-42',
      events: [
        {
          seq: 41,
          at: '2026-11-24T09:00:00.000Z',
          type: 'created',
          requestId: 'dr-1',
          videoId: 'video-1',
          actor: { source: 'mcp', id: 'ops-token', displayName: 'Ops token', clientName: 'claude-code' },
          details: { reason: 'stale' },
        },
        {
          seq: 42,
          at: '2026-11-24T09:00:01.000Z',
          type: 'direct_deletion',
          videoId: 'video-2',
          actor: { source: 'cli', id: 'ops', displayName: 'Ops' },
          details: {},
        },
      ],
    });
  });

  it('signs the body as sent with HMAC-SHA256 over "v1:" + timestamp + ":" + body', () => {
    const body = '{"deliveryId":"seq-1-1","events":[]}';
    const headers = signatureHeaders('k'.repeat(32), 1_764_000_000, body);
    const expected = createHmac('sha256', 'k'.repeat(32)).update(`v1:1764000000:${body}`).digest('hex');
    expect(headers).toEqual({ 'x-vod-ops-timestamp': '1764000000', 'x-vod-ops-signature': `v1=${expected}` });
    expect(signatureHeaders('k'.repeat(32), 1_764_000_000, `${body} `)['x-vod-ops-signature']).not.toBe(
      headers['x-vod-ops-signature'],
    );
  });
});

describe('the wait before a delivery is sent again', () => {
  it.each([
    [1, 500, 1000],
    [2, 1000, 2000],
    [3, 2000, 4000],
    [9, 128_000, 256_000],
    [10, 150_000, 300_000],
    [500, 150_000, 300_000],
  ])('after %i failures lies between %i and %i ms', (attempts, low, high) => {
    expect(retryDelay(attempts, DEFAULT_BACKOFF, () => 0)).toBe(low);
    expect(retryDelay(attempts, DEFAULT_BACKOFF, () => 0.999_999)).toBeCloseTo(high, -1);
  });
});
