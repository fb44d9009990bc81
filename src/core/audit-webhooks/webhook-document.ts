import type { AuditEntry, AuditEventType } from '../requests/audit-entry.js';

/** One audit entry as a webhook sends it: the trail's own fields, its time in ISO 8601. */
export interface WebhookEvent {
  /** The entry's place in the trail: increasing, unique. Receivers dedupe by it (delivery is at least once). */
  seq: number;
  at: string;
  type: AuditEventType;
  requestId?: string;
  videoId: string;
  actor: { source: string; id: string; displayName: string; clientName?: string };
  details: Record<string, unknown>;
}

/** What one POST carries. */
export interface WebhookBatch {
  /**
   * `seq-<first>-<last>`: the same id always names the same events, whichever process sends them; but another id
   * may repeat some (a new holder cuts its batches afresh), so receivers dedupe by `seq`, not by this.
   */
  deliveryId: string;
  events: WebhookEvent[];
}

/** The batch of `entries` (read from the store, so each has its `seq`), and its body as sent and signed. */
export function webhookBatch(entries: readonly AuditEntry[]): { deliveryId: string; body: string } {
  const events = entries.map(webhookEvent);
  const first = events[0]?.seq;
  const last = events.at(-1)?.seq;
  if (first === undefined || last === undefined) throw new RangeError('a webhook batch needs an entry');
  const batch: WebhookBatch = { deliveryId: `seq-${first}-${last}`, events };
  return { deliveryId: batch.deliveryId, body: JSON.stringify(batch) };
}

export function webhookEvent(entry: AuditEntry): WebhookEvent {
  if (entry.seq === undefined) throw new RangeError('an audit entry is sent once stored, with its seq');
  const { source, id, displayName, clientName } = entry.actor;
  return {
    seq: entry.seq,
    at: new Date(entry.at).toISOString(),
    type: entry.type,
    ...(entry.requestId === undefined ? {} : { requestId: entry.requestId }),
    videoId: entry.videoId,
    actor: { source, id, displayName, ...(clientName === undefined ? {} : { clientName }) },
    details: entry.details,
  };
}
