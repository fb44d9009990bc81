import type { Principal } from './principal.js';

/** One append-only audit record: who did what, when, to which request or video. */
export interface AuditEntry {
  /** Assigned by the store, increasing. */
  seq?: number;
  at: number;
  type: AuditEventType;
  actor: Principal;
  /** The deletion request's id (`dr-…`), or a campaign's (`cp-…`). */
  requestId?: string;
  /** Empty for an entry about a whole campaign. */
  videoId: string;
  details: Record<string, unknown>;
}

/** What happens to a deletion request, in the order it can happen. */
export const REQUEST_EVENT_TYPES = [
  'created',
  'vote',
  /** A pending request re-announced to its approvers: `details.kind` is `interval` or `before_expiry`. */
  'reminded',
  /** A pending request handed to the escalation approvers too, who may vote on it from then on. */
  'escalated',
  'approved',
  'rejected',
  'executing',
  'succeeded',
  'failed',
  'expired',
  'cancelled',
] as const;
export type RequestEventType = (typeof REQUEST_EVENT_TYPES)[number];

/** What happens to a clean-up campaign (its id in `requestId`, no single video). */
export const CAMPAIGN_EVENT_TYPES = [
  'campaign_created',
  'campaign_planned',
  'campaign_vote',
  'campaign_approved',
  'campaign_rejected',
  'campaign_started',
  'campaign_paused',
  'campaign_resumed',
  'campaign_completed',
  'campaign_cancelled',
  'campaign_expired',
  /** One item's outcome: its video in `videoId`, Alibaba's RequestId in `details.requestId`. */
  'item_deleted',
  'item_skipped',
  'item_failed',
] as const;
export type CampaignEventType = (typeof CAMPAIGN_EVENT_TYPES)[number];

export type AuditEventType =
  | RequestEventType
  /** A deletion made directly, without a request: see `DirectDeletion`. */
  | 'direct_deletion'
  | CampaignEventType;

/** An entry's details without the keys whose value is undefined (JSON would drop them anyway, unevenly). */
export function auditDetails(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
}

export function isCampaignEvent(type: AuditEventType): type is CampaignEventType {
  return (CAMPAIGN_EVENT_TYPES as readonly string[]).includes(type);
}

export function isRequestEvent(type: AuditEventType): type is RequestEventType {
  return (REQUEST_EVENT_TYPES as readonly string[]).includes(type);
}
