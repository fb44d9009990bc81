import type { Vote } from './deletion-request.js';
import { type Principal, samePrincipal } from './principal.js';

/** What is voted on: a deletion request, or a clean-up campaign. Both follow the same approval policy. */
export interface Ballot {
  requester: Principal;
  votes: readonly Vote[];
  /** Distinct approvals needed, fixed when the ballot was created. */
  requiredApprovals: number;
  /** When the ballot was escalated (a request's escalation): from then on escalation approvers may vote. */
  escalatedAt?: number;
}

export interface VoteInput {
  approver: Principal;
  decision: 'approve' | 'reject';
  reason?: string;
  /** Whether `approver` is an authorised approver, as the approver directory says. */
  isApprover: boolean;
  /** Whether `approver` is in the escalation group: such a vote counts once the ballot is escalated. */
  isEscalationApprover?: boolean;
  now: number;
}

export type VoteRefusal =
  | { kind: 'self_approval' }
  | { kind: 'not_approver' }
  | { kind: 'already_voted'; vote: Vote };

export type CastVote =
  | {
      ok: true;
      vote: Vote;
      votes: Vote[];
      approvals: number;
      /** `approved` when this vote completes the quorum, `rejected` on any rejection, `open` otherwise. */
      outcome: 'approved' | 'rejected' | 'open';
    }
  | { ok: false; refusal: VoteRefusal };

/**
 * The approval policy shared by requests and campaigns, once the ballot is open: an authorised approver who is
 * not the requester votes once (an escalation approver too, once the ballot is escalated); one rejection decides,
 * and `requiredApprovals` distinct approvals approve.
 */
export function castVote(ballot: Ballot, input: VoteInput): CastVote {
  // The same id from another source is refused too: allowlist entries without a source match any source, so
  // "alice" from one front end and "alice" from another could otherwise approve each other's requests.
  if (input.approver.id === ballot.requester.id) return { ok: false, refusal: { kind: 'self_approval' } };
  const mayVote =
    input.isApprover || (input.isEscalationApprover === true && ballot.escalatedAt !== undefined);
  if (!mayVote) return { ok: false, refusal: { kind: 'not_approver' } };
  const previous = ballot.votes.find((v) => samePrincipal(v.approver, input.approver));
  if (previous) return { ok: false, refusal: { kind: 'already_voted', vote: previous } };
  const vote: Vote = {
    approver: input.approver,
    decision: input.decision,
    at: input.now,
    ...(input.reason ? { reason: input.reason } : {}),
  };
  const votes = [...ballot.votes, vote];
  const approvals = votes.filter((v) => v.decision === 'approve').length;
  const outcome =
    input.decision === 'reject' ? 'rejected' : approvals >= ballot.requiredApprovals ? 'approved' : 'open';
  return { ok: true, vote, votes, approvals, outcome };
}
