import type { AuditEntry } from '../requests/audit-entry.js';
import type { Vote } from '../requests/deletion-request.js';
import { type Principal, samePrincipal } from '../requests/principal.js';
import { type ApprovalPolicy, approvalsFor, type RiskReason } from '../requests/risk.js';
import type { Campaign, CampaignStatus, PlanState } from './campaign.js';
import { entry, step } from './campaign-step.js';
import type { PlanTotals } from './plan-totals.js';
import { emptyPlanTotals } from './plan-totals.js';
import type { SelectionRule } from './selection-rule.js';

/**
 * The planning part of a campaign's lifecycle, as pure functions:
 *
 *   planning ─page…→ planning ─complete→ pending (awaiting approval, its TTL running)
 *                                      └→ completed (nothing matched: nothing to approve)
 *   planning ─stop→ planning, unclaimed (a planner asked to stop; any process may resume it)
 *   planning | pending ─cancel→ cancelled      pending ─time→ expired
 *
 * Each returns the next campaign (one version on) with its audit entries, or a refusal a front end explains.
 * Approval and execution follow the same pattern (later states of `CAMPAIGN_STATUSES`).
 */
export type CampaignRefusal =
  | { kind: 'not_found' }
  | { kind: 'not_planning'; status: CampaignStatus }
  | { kind: 'planned_elsewhere'; owner: string; leaseUntil: number }
  | { kind: 'already_closed'; status: CampaignStatus; by?: Principal }
  | { kind: 'not_allowed_to_cancel' }
  /** A vote on a campaign no longer awaiting approval (a late or double click). */
  | { kind: 'already_decided'; status: CampaignStatus; by?: Principal }
  | { kind: 'expired'; expiresAt: number }
  | { kind: 'self_approval' }
  | { kind: 'not_approver' }
  | { kind: 'already_voted'; vote: Vote }
  /** Pause and resume are for the requester and approvers. */
  | { kind: 'not_allowed_to_control' }
  | { kind: 'not_running'; status: CampaignStatus }
  | { kind: 'not_paused'; status: CampaignStatus }
  /** The stored items no longer match the digest approved: nothing runs. */
  | { kind: 'items_changed'; approved: string; found: string };

export type CampaignStep =
  | { ok: true; next: Campaign; audit: AuditEntry[] }
  | { ok: false; refusal: CampaignRefusal };

/** Statuses from which nothing more happens. */
export const CLOSED_CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'completed',
  'rejected',
  'expired',
  'cancelled',
];

/** A new campaign, planning, claimed by `owner` until `now + leaseMs`. */
export function newCampaign(input: {
  id: string;
  rule: SelectionRule;
  region?: string;
  reason: string;
  requester: Principal;
  requiredApprovals: number;
  owner: string;
  leaseMs: number;
  now: number;
}): { campaign: Campaign; audit: AuditEntry[] } {
  const plan: PlanState = {
    totals: emptyPlanTotals(),
    items: 0,
    unreadable: { videos: 0, examples: [] },
    startedAt: input.now,
    owner: input.owner,
    leaseUntil: input.now + input.leaseMs,
    ...(input.rule.videoIds ? { videosDone: 0 } : {}),
  };
  const campaign: Campaign = {
    id: input.id,
    rule: input.rule,
    ...(input.region === undefined ? {} : { region: input.region }),
    reason: input.reason,
    requester: input.requester,
    createdAt: input.now,
    status: 'planning',
    version: 1,
    requiredApprovals: input.requiredApprovals,
    votes: [],
    plan,
  };
  return {
    campaign,
    audit: [
      entry(
        campaign,
        input.now,
        input.requester,
      )('campaign_created', {
        ...(input.region === undefined ? {} : { region: input.region }),
        reason: input.reason,
        rule: input.rule.videoIds
          ? { ...input.rule, videoIds: undefined, videoCount: input.rule.videoIds.length }
          : input.rule,
      }),
    ],
  };
}

/**
 * Takes over the plan of a campaign still planning whose planner stopped (its lease ran out), or renews this
 * planner's own claim.
 */
export function claimPlanning(
  campaign: Campaign,
  input: { owner: string; leaseMs: number; now: number },
): CampaignStep {
  if (campaign.status !== 'planning') {
    return { ok: false, refusal: { kind: 'not_planning', status: campaign.status } };
  }
  const { owner, leaseUntil } = campaign.plan;
  if (owner !== undefined && owner !== input.owner && leaseUntil !== undefined && leaseUntil > input.now) {
    return { ok: false, refusal: { kind: 'planned_elsewhere', owner, leaseUntil } };
  }
  const next = step(campaign, {
    plan: { ...campaign.plan, owner: input.owner, leaseUntil: input.now + input.leaseMs },
  });
  return { ok: true, next, audit: [] };
}

/** One more page of the walk: its totals and position, the planner's claim renewed. */
export function recordPlanPage(
  campaign: Campaign,
  page: {
    totals: PlanTotals;
    items: number;
    unreadable: PlanState['unreadable'];
    resumeFrom?: PlanState['resumeFrom'];
    videosDone?: number;
    leaseUntil: number;
  },
): Campaign {
  const { leaseUntil, ...progress } = page;
  return step(campaign, { plan: { ...campaign.plan, ...progress, leaseUntil } });
}

/**
 * The planner stops before the walk is over, as it was asked to: the campaign stays planning where it is, and
 * the planner's claim is given up, so that another process may resume the plan at once rather than after the
 * claim runs out.
 */
export function releasePlanning(campaign: Campaign): Campaign {
  return step(campaign, { plan: unclaimed(campaign.plan) });
}

/**
 * The walk is over: the items are frozen under their digest and the campaign awaits approval until `expiresAt`.
 * A plan that found nothing to delete is `completed` at once: there is nothing to approve.
 */
export function completePlan(
  campaign: Campaign,
  input: { digest: string; now: number; approvalTtlMs: number; by: Principal; policy?: ApprovalPolicy },
): CampaignStep {
  if (campaign.status !== 'planning') {
    return { ok: false, refusal: { kind: 'not_planning', status: campaign.status } };
  }
  const { resumeFrom: _resume, ...plan } = unclaimed(campaign.plan);
  const nothing = campaign.plan.items === 0;
  const risks = nothing || !input.policy ? [] : campaignRisks(campaign, input.policy);
  const next = step(campaign, {
    status: nothing ? 'completed' : 'pending',
    ...(nothing ? {} : { expiresAt: input.now + input.approvalTtlMs }),
    plan: { ...plan, digest: input.digest, finishedAt: input.now },
    ...(risks.length > 0 && input.policy
      ? { risks, requiredApprovals: Math.max(campaign.requiredApprovals, approvalsFor(input.policy, risks)) }
      : {}),
    ...(risks.includes('large_campaign') ? { largeAbove: input.policy?.largeCampaignBytes } : {}),
  });
  const { totals } = next.plan;
  return {
    ok: true,
    next,
    audit: [
      entry(
        campaign,
        input.now,
        input.by,
      )('campaign_planned', {
        items: next.plan.items,
        videosScanned: totals.videosScanned,
        videosMatched: totals.videosMatched,
        streams: totals.streams,
        bytes: totals.bytes,
        unreadable: next.plan.unreadable.videos,
        digest: input.digest,
        expiresAt: next.expiresAt,
        ...(risks.length > 0 ? { risks, requiredApprovals: next.requiredApprovals } : {}),
        ...(next.largeAbove === undefined ? {} : { largeAbove: next.largeAbove }),
      }),
    ],
  };
}

/** What makes a planned campaign high risk: its size over the policy's threshold, or a lifted last-playable guard. */
function campaignRisks(campaign: Campaign, policy: ApprovalPolicy): RiskReason[] {
  const risks: RiskReason[] = [];
  const { largeCampaignBytes } = policy;
  if (largeCampaignBytes !== undefined && campaign.plan.totals.bytes > largeCampaignBytes)
    risks.push('large_campaign');
  if (campaign.rule.guards.keepLastPlayable === false) risks.push('last_playable_unguarded');
  return risks;
}

/** Statuses a campaign may be cancelled from: before approval, and while approved work has not finished. */
export const CANCELLABLE_CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'planning',
  'pending',
  'approved',
  'running',
  'paused',
];

/**
 * The requester, or an approver, may cancel a campaign until it is finished: while it plans or awaits approval,
 * and while it runs or is paused (items not yet started then never run; items already running finish).
 */
export function cancelCampaign(
  campaign: Campaign,
  input: { by: Principal; isApprover: boolean; reason?: string; now: number },
): CampaignStep {
  if (!CANCELLABLE_CAMPAIGN_STATUSES.includes(campaign.status)) {
    return {
      ok: false,
      refusal: { kind: 'already_closed', status: campaign.status, by: campaign.decision?.by },
    };
  }
  if (!samePrincipal(input.by, campaign.requester) && !input.isApprover) {
    return { ok: false, refusal: { kind: 'not_allowed_to_cancel' } };
  }
  const plan = unclaimed(campaign.plan);
  const { paused: _paused, ...unpaused } = campaign;
  const next = step(unpaused, {
    status: 'cancelled',
    plan,
    ...(campaign.execution ? { execution: { ...campaign.execution, finishedAt: input.now } } : {}),
    // Once approved, the approval stays the decision on record; the cancellation is in the audit trail.
    ...(campaign.decision
      ? {}
      : {
          decision: {
            outcome: 'cancelled' as const,
            by: input.by,
            at: input.now,
            ...(input.reason ? { reason: input.reason } : {}),
          },
        }),
  });
  return {
    ok: true,
    next,
    audit: [
      entry(
        campaign,
        input.now,
        input.by,
      )('campaign_cancelled', { reason: input.reason, from: campaign.status }),
    ],
  };
}

/** A campaign awaiting approval past its expiry becomes `expired`; anything else is left alone. */
export function expireCampaign(
  campaign: Campaign,
  input: { now: number; by: Principal },
): { next: Campaign; audit: AuditEntry[] } | undefined {
  if (campaign.status !== 'pending' || campaign.expiresAt === undefined || input.now < campaign.expiresAt) {
    return undefined;
  }
  const next = step(campaign, { status: 'expired', decision: { outcome: 'expired', at: input.now } });
  return {
    next,
    audit: [entry(campaign, input.now, input.by)('campaign_expired', { expiresAt: campaign.expiresAt })],
  };
}

/** The plan without its planner's claim: once planning ends, nobody holds it. */
function unclaimed(plan: PlanState): PlanState {
  const { owner: _owner, leaseUntil: _lease, ...rest } = plan;
  return rest;
}
