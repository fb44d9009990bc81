import { type AuditEntry, auditDetails } from './audit-entry.js';
import type { DeletionRequest } from './deletion-request.js';
import type { Principal } from './principal.js';
import type { Transition } from './request-lifecycle.js';

/**
 * When a pending request is brought back to people's attention. Each field unset turns its nudge off:
 * - `remindAfterMs`: the approvers are reminded this long after the request was made, and again this long after
 *   each reminder, until it is decided or expires;
 * - `remindBeforeExpiryMs`: once, this long before it expires;
 * - `escalateAfterMs`: once, this long after it was made, it is escalated: the escalation approvers (named by
 *   `escalationGroup`: a chat user group's id, or principal ids comma-separated; only recorded, for front ends)
 *   may vote on it from then on.
 */
export interface ReminderPolicy {
  remindAfterMs?: number;
  remindBeforeExpiryMs?: number;
  escalateAfterMs?: number;
  escalationGroup?: string;
}

export type Nudge = 'escalation' | 'before_expiry' | 'interval';

/**
 * The nudge due on `request` at `now`, or undefined. Only a pending request before its expiry gets one, so
 * reminders stop as soon as it is decided. When several are due the escalation comes first; when both reminders
 * are due only the one before expiry is, and it counts as the interval's too. Core only records a nudge (see
 * {@link applyNudge}); front ends follow the audit trail and tell people.
 */
export function nextNudge(request: DeletionRequest, now: number, policy: ReminderPolicy): Nudge | undefined {
  if (request.status !== 'pending' || now >= request.expiresAt) return undefined;
  const { remindAfterMs, remindBeforeExpiryMs, escalateAfterMs } = policy;
  if (
    escalateAfterMs !== undefined &&
    request.escalatedAt === undefined &&
    now >= request.createdAt + escalateAfterMs
  ) {
    return 'escalation';
  }
  if (
    remindBeforeExpiryMs !== undefined &&
    request.reminded?.beforeExpiry !== true &&
    now >= request.expiresAt - remindBeforeExpiryMs
  ) {
    return 'before_expiry';
  }
  if (remindAfterMs !== undefined && now >= (request.reminded?.lastAt ?? request.createdAt) + remindAfterMs) {
    return 'interval';
  }
  return undefined;
}

/**
 * Records `nudge` on `request`: the next version with a `reminded` or `escalated` audit entry by `system`, to be
 * stored with a compare-and-set so that of several processes exactly one records it. Undefined when the nudge no
 * longer applies (the request is decided or expired, or was already escalated or reminded before expiry).
 *
 * Audit details: `reminded` has `{ kind, count, expiresAt, approvals, required }`, `escalated` has
 * `{ afterMs, group, approvals, required }` (`afterMs` the configured wait; `group` absent when none is set).
 */
export function applyNudge(
  request: DeletionRequest,
  nudge: Nudge,
  now: number,
  system: Principal,
  policy: ReminderPolicy,
): Transition | undefined {
  if (request.status !== 'pending' || now >= request.expiresAt) return undefined;
  const approvals = request.votes.filter((v) => v.decision === 'approve').length;
  const required = request.requiredApprovals;
  const audit = (type: 'reminded' | 'escalated', details: Record<string, unknown>): AuditEntry[] => [
    {
      at: now,
      type,
      actor: system,
      requestId: request.id,
      videoId: request.videoId,
      details: auditDetails(details),
    },
  ];
  if (nudge === 'escalation') {
    if (request.escalatedAt !== undefined) return undefined;
    return {
      next: { ...request, escalatedAt: now, version: request.version + 1 },
      audit: audit('escalated', {
        afterMs: policy.escalateAfterMs ?? now - request.createdAt,
        group: policy.escalationGroup,
        approvals,
        required,
      }),
    };
  }
  const beforeExpiry = nudge === 'before_expiry';
  if (beforeExpiry && request.reminded?.beforeExpiry === true) return undefined;
  const count = (request.reminded?.count ?? 0) + 1;
  return {
    next: {
      ...request,
      reminded: { count, lastAt: now, beforeExpiry: beforeExpiry || request.reminded?.beforeExpiry === true },
      version: request.version + 1,
    },
    audit: audit('reminded', { kind: nudge, count, expiresAt: request.expiresAt, approvals, required }),
  };
}
