import { type AuditEntry, auditDetails } from './audit-entry.js';
import type { DeletionRequest, Execution, RequestStatus, Vote } from './deletion-request.js';
import { type Principal, samePrincipal } from './principal.js';
import { castVote, type VoteInput } from './votes.js';

/**
 * The lifecycle of a deletion request as a pure state machine:
 *
 *   pending ─approve (quorum)→ approved ─claim→ executing ─finish→ succeeded | failed
 *   pending ─reject→ rejected      pending ─time→ expired      pending ─cancel→ cancelled
 *
 * Each function returns either the next request with its audit entries, or a refusal the front end can
 * explain. Nothing here does I/O; the workflow stores transitions with a compare-and-set on `version`.
 */
export type Refusal =
  /** The request is past its pending phase: a late or double click. `decidedBy` says who settled it. */
  | { kind: 'already_decided'; status: RequestStatus; decidedBy?: Principal }
  | { kind: 'expired'; expiresAt: number }
  | { kind: 'cancelled'; by?: Principal }
  | { kind: 'self_approval' }
  | { kind: 'not_approver' }
  | { kind: 'already_voted'; vote: Vote }
  | { kind: 'not_allowed_to_cancel' };

export interface Transition {
  next: DeletionRequest;
  audit: AuditEntry[];
}

export type Decided = { ok: true; transition: Transition } | { ok: false; refusal: Refusal };

export type { VoteInput } from './votes.js';

/** Why a pending-phase action cannot apply, or undefined when the request is open. */
function closedRefusal(request: DeletionRequest, now: number): Refusal | undefined {
  switch (request.status) {
    case 'pending':
      return now >= request.expiresAt ? { kind: 'expired', expiresAt: request.expiresAt } : undefined;
    case 'expired':
      return { kind: 'expired', expiresAt: request.expiresAt };
    case 'cancelled':
      return { kind: 'cancelled', by: request.decision?.by };
    default:
      return { kind: 'already_decided', status: request.status, decidedBy: request.decision?.by };
  }
}

export function applyVote(request: DeletionRequest, input: VoteInput): Decided {
  const closed = closedRefusal(request, input.now);
  if (closed) return { ok: false, refusal: closed };
  const cast = castVote(request, input);
  if (!cast.ok) return { ok: false, refusal: cast.refusal };
  const { vote, votes, approvals } = cast;
  const base = entry(request, input.now, input.approver);
  const voteEntry = base('vote', {
    decision: vote.decision,
    reason: vote.reason,
    approvals,
    required: request.requiredApprovals,
  });
  if (cast.outcome === 'rejected') {
    const next = step(request, {
      status: 'rejected',
      votes,
      decision: {
        outcome: 'rejected',
        by: input.approver,
        at: input.now,
        ...(input.reason ? { reason: input.reason } : {}),
      },
    });
    return { ok: true, transition: { next, audit: [voteEntry, base('rejected', { reason: input.reason })] } };
  }
  if (cast.outcome === 'approved') {
    const next = step(request, {
      status: 'approved',
      votes,
      decision: { outcome: 'approved', by: input.approver, at: input.now },
    });
    return { ok: true, transition: { next, audit: [voteEntry, base('approved', { approvals })] } };
  }
  return { ok: true, transition: { next: step(request, { votes }), audit: [voteEntry] } };
}

/** The requester, or an approver, may cancel a pending request. */
export function applyCancel(
  request: DeletionRequest,
  input: { by: Principal; isApprover: boolean; reason?: string; now: number },
): Decided {
  const closed = closedRefusal(request, input.now);
  if (closed) return { ok: false, refusal: closed };
  if (!samePrincipal(input.by, request.requester) && !input.isApprover) {
    return { ok: false, refusal: { kind: 'not_allowed_to_cancel' } };
  }
  const next = step(request, {
    status: 'cancelled',
    decision: {
      outcome: 'cancelled',
      by: input.by,
      at: input.now,
      ...(input.reason ? { reason: input.reason } : {}),
    },
  });
  return {
    ok: true,
    transition: { next, audit: [entry(request, input.now, input.by)('cancelled', { reason: input.reason })] },
  };
}

/** A pending request past its expiry becomes `expired` (never "rejected"); anything else is left alone. */
export function applyExpiry(request: DeletionRequest, now: number, by: Principal): Transition | undefined {
  if (request.status !== 'pending' || now < request.expiresAt) return undefined;
  const next = step(request, { status: 'expired', decision: { outcome: 'expired', at: now } });
  return { next, audit: [entry(request, now, by)('expired', { expiresAt: request.expiresAt })] };
}

/**
 * Takes the execution of an approved request, or of an executing one whose holder's lease ran out (it died
 * or stalled). Returns undefined when there is nothing to take: the request is not approved, already done, or
 * held by a live lease.
 */
export function claimExecution(
  request: DeletionRequest,
  input: { owner: string; leaseMs: number; now: number; by: Principal },
): Transition | undefined {
  const resumable =
    request.status === 'executing' && request.execution && request.execution.leaseUntil <= input.now;
  if (request.status !== 'approved' && !resumable) return undefined;
  const claims = (request.execution?.claims ?? 0) + 1;
  const execution: Execution = {
    owner: input.owner,
    leaseUntil: input.now + input.leaseMs,
    claims,
    startedAt: request.execution?.startedAt ?? input.now,
  };
  const next = step(request, { status: 'executing', execution });
  const details = {
    owner: input.owner,
    claims,
    ...(claims > 1 ? { resumedFrom: request.execution?.owner } : {}),
  };
  return { next, audit: [entry(request, input.now, input.by)('executing', details)] };
}

export type ExecutionResult =
  | { ok: true; requestId: string; requestIds: string[]; alreadyDeleted: boolean }
  | { ok: false; error: NonNullable<Execution['error']> };

/** Records the outcome of DeleteStream on an executing request. */
export function finishExecution(
  request: DeletionRequest,
  result: ExecutionResult,
  input: { now: number; by: Principal },
): Transition | undefined {
  if (request.status !== 'executing' || !request.execution) return undefined;
  const execution: Execution = result.ok
    ? {
        ...request.execution,
        finishedAt: input.now,
        requestId: result.requestId,
        requestIds: result.requestIds,
        alreadyDeleted: result.alreadyDeleted,
      }
    : { ...request.execution, finishedAt: input.now, error: result.error };
  const status = result.ok ? 'succeeded' : 'failed';
  const details = result.ok
    ? { requestId: result.requestId, requestIds: result.requestIds, alreadyDeleted: result.alreadyDeleted }
    : { ...result.error };
  return {
    next: step(request, { status, execution }),
    audit: [entry(request, input.now, input.by)(status, details)],
  };
}

function step(request: DeletionRequest, changes: Partial<DeletionRequest>): DeletionRequest {
  return { ...request, ...changes, version: request.version + 1 };
}

function entry(request: DeletionRequest, at: number, actor: Principal) {
  return (type: AuditEntry['type'], details: Record<string, unknown>): AuditEntry => ({
    at,
    type,
    actor,
    requestId: request.id,
    videoId: request.videoId,
    details: auditDetails(details),
  });
}
