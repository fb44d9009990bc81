import { castVote, type VoteInput } from '../requests/votes.js';
import type { Campaign } from './campaign.js';
import type { CampaignStep } from './campaign-lifecycle.js';
import { entry, step } from './campaign-step.js';

/**
 * One approval for a whole campaign, under the policy of deletion requests (`castVote`): authorised approvers
 * who are not the requester, `requiredApprovals` distinct approvals, one rejection decides, and nothing after the
 * TTL.
 *
 *   pending ─vote (quorum)→ approved      pending ─reject→ rejected      (a vote past expiresAt is refused)
 *
 * What is approved is the plan as frozen by `completePlan`: its items and their digest.
 */
export function voteOnCampaign(campaign: Campaign, input: VoteInput): CampaignStep {
  if (campaign.status !== 'pending') {
    if (campaign.status === 'expired' && campaign.expiresAt !== undefined) {
      return { ok: false, refusal: { kind: 'expired', expiresAt: campaign.expiresAt } };
    }
    const by = campaign.decision?.by;
    return {
      ok: false,
      refusal: { kind: 'already_decided', status: campaign.status, ...(by ? { by } : {}) },
    };
  }
  if (campaign.expiresAt !== undefined && input.now >= campaign.expiresAt) {
    return { ok: false, refusal: { kind: 'expired', expiresAt: campaign.expiresAt } };
  }
  const cast = castVote(campaign, input);
  if (!cast.ok) return { ok: false, refusal: cast.refusal };
  const { vote, votes, approvals } = cast;
  const base = entry(campaign, input.now, input.approver);
  const voteEntry = base('campaign_vote', {
    decision: vote.decision,
    reason: vote.reason,
    approvals,
    required: campaign.requiredApprovals,
  });
  if (cast.outcome === 'rejected') {
    const next = step(campaign, {
      status: 'rejected',
      votes,
      decision: {
        outcome: 'rejected',
        by: input.approver,
        at: input.now,
        ...(vote.reason ? { reason: vote.reason } : {}),
      },
    });
    return { ok: true, next, audit: [voteEntry, base('campaign_rejected', { reason: vote.reason })] };
  }
  if (cast.outcome === 'approved') {
    const next = step(campaign, {
      status: 'approved',
      votes,
      decision: { outcome: 'approved', by: input.approver, at: input.now },
    });
    return {
      ok: true,
      next,
      audit: [voteEntry, base('campaign_approved', { approvals, digest: campaign.plan.digest })],
    };
  }
  return { ok: true, next: step(campaign, { votes }), audit: [voteEntry] };
}
