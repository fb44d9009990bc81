import type { Principal } from './principal.js';

/** One append-only audit record: who did what, when, to which request or video. */
export interface AuditEntry {
  /** Assigned by the store, increasing. */
  seq?: number;
  at: number;
  type: AuditEventType;
  actor: Principal;
  requestId?: string;
  videoId: string;
  details: Record<string, unknown>;
}

export type AuditEventType =
  | 'created'
  | 'vote'
  | 'approved'
  | 'rejected'
  | 'executing'
  | 'succeeded'
  | 'failed'
  | 'expired'
  | 'cancelled'
  /** A deletion made directly, without a request: see `DirectDeletion`. */
  | 'direct_deletion';
