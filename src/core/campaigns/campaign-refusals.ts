import type { AppErrorCode } from '../errors.js';
import type { Principal } from '../requests/principal.js';
import { type CampaignRefusal, CLOSED_CAMPAIGN_STATUSES } from './campaign-lifecycle.js';

/**
 * A refusal of a campaign action as one sentence a person (or a model) reads, with the error code a front end
 * reports it under. Plain text with ids and statuses only: front ends escape it for their own markup.
 */
export function campaignRefusalText(
  id: string,
  refusal: CampaignRefusal,
): { code: AppErrorCode; message: string } {
  switch (refusal.kind) {
    case 'not_found':
      return { code: 'NOT_FOUND', message: `No campaign ${id}: check the id with \`vod-ops cleanup list\`.` };
    case 'not_planning':
      return {
        code: 'CONFLICT',
        message: `Campaign ${id} is ${refusal.status}: ${
          CLOSED_CAMPAIGN_STATUSES.includes(refusal.status) ? 'it is closed' : 'its plan is complete'
        }, so there is no plan to resume.`,
      };
    case 'planned_elsewhere':
      return {
        code: 'CONFLICT',
        message: `Campaign ${id} is being planned by ${refusal.owner} until ${iso(refusal.leaseUntil)}: resume it after that, if that process stopped.`,
      };
    case 'already_closed':
      return { code: 'CONFLICT', message: `Campaign ${id} is already ${refusal.status}${by(refusal.by)}.` };
    case 'already_decided':
      return {
        code: 'CONFLICT',
        message: `Campaign ${id} is no longer awaiting approval: it is ${refusal.status}${by(refusal.by)}.`,
      };
    case 'expired':
      return {
        code: 'CONFLICT',
        message: `Campaign ${id} expired at ${iso(refusal.expiresAt)} without approval: plan it again to ask again.`,
      };
    case 'self_approval':
      return {
        code: 'FORBIDDEN',
        message: `You requested campaign ${id}: another approver must decide on it.`,
      };
    case 'not_approver':
      return { code: 'FORBIDDEN', message: `Only an authorised approver may decide on campaign ${id}.` };
    case 'already_voted':
      return {
        code: 'CONFLICT',
        message: `You already ${refusal.vote.decision === 'approve' ? 'approved' : 'rejected'} campaign ${id}.`,
      };
    case 'not_allowed_to_cancel':
      return { code: 'FORBIDDEN', message: `Only the campaign's requester or an approver may cancel ${id}.` };
    case 'not_allowed_to_control':
      return {
        code: 'FORBIDDEN',
        message: `Only the campaign's requester or an approver may pause or resume ${id}.`,
      };
    case 'not_running':
      return {
        code: 'CONFLICT',
        message: `Campaign ${id} is ${refusal.status}: only an approved or running campaign can be paused or run.`,
      };
    case 'not_paused':
      return {
        code: 'CONFLICT',
        message: `Campaign ${id} is ${refusal.status}, not paused: there is nothing to resume.`,
      };
    case 'items_changed':
      return {
        code: 'CONFLICT',
        message: `Campaign ${id}'s items no longer match what was approved (digest ${refusal.approved.slice(0, 12)}…, found ${refusal.found.slice(0, 12)}…): nothing was run. Plan it again.`,
      };
  }
}

function by(principal: Principal | undefined): string {
  return principal ? ` (by ${principal.displayName})` : '';
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
