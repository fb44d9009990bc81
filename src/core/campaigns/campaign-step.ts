import { type AuditEntry, auditDetails } from '../requests/audit-entry.js';
import type { Principal } from '../requests/principal.js';
import type { Campaign } from './campaign.js';

/** The campaign with `changes`, one version on: every stored change is a compare-and-set on `version`. */
export function step(campaign: Campaign, changes: Partial<Campaign>): Campaign {
  return { ...campaign, ...changes, version: campaign.version + 1 };
}

/** A campaign's audit entries carry its id where a request's would, and no single video unless given. */
export function entry(campaign: Pick<Campaign, 'id'>, at: number, actor: Principal, videoId = '') {
  return (type: AuditEntry['type'], details: Record<string, unknown>): AuditEntry => ({
    at,
    type,
    actor,
    requestId: campaign.id,
    videoId,
    details: auditDetails(details),
  });
}
