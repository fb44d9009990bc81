import type { DeletionRequest } from '../requests/deletion-request.js';
import { clipReason } from '../requests/reason.js';
import { applyCancel, applyExpiry, applyVote } from '../requests/request-lifecycle.js';
import type {
  ActionResult,
  DeletionWorkflow,
  WorkflowContext,
  WorkflowRefusal,
} from './deletion-workflow.js';

export interface Decisions extends Pick<DeletionWorkflow, 'vote' | 'cancel' | 'expireDue' | 'voteRights'> {
  /** Records that a pending request is past its expiry. True when this call recorded it. */
  expire(request: DeletionRequest): Promise<boolean>;
}

/** People's decisions on a pending request (votes, cancellation) and the expiry of the undecided ones. */
export function createDecisions(
  ctx: WorkflowContext,
  startExecution: (id: string) => Promise<DeletionRequest | undefined>,
): Decisions {
  const { clock, store } = ctx;

  const expire = async (request: DeletionRequest): Promise<boolean> => {
    const result = await ctx.transact(request.id, (current) => applyExpiry(current, clock.now(), ctx.system));
    return result.ok && result.changed;
  };

  /** A click on a request past its expiry also records the expiry, so everyone sees "expired". */
  const expiredNow = async (result: {
    ok: false;
    refusal: WorkflowRefusal;
    request?: DeletionRequest;
  }): Promise<ActionResult> => {
    if (result.refusal.kind === 'expired' && result.request?.status === 'pending') {
      await expire(result.request);
      const request = await store.get(result.request.id);
      return { ok: false, refusal: result.refusal, ...(request ? { request } : {}) };
    }
    return result;
  };

  const voteRights: DeletionWorkflow['voteRights'] = async (principal) => {
    const escalation = ctx.escalationApprovers;
    const [isApprover, isEscalationApprover] = await Promise.all([
      ctx.approvers.isApprover(principal),
      escalation?.configured ? escalation.isApprover(principal) : false,
    ]);
    return { isApprover, isEscalationApprover };
  };

  return {
    expire,
    voteRights,

    async vote(id, approver, decision, reason) {
      const { isApprover, isEscalationApprover } = await voteRights(approver);
      const clipped = clipReason(reason);
      const result = await ctx.transact(id, (request) =>
        applyVote(request, {
          approver,
          decision,
          isApprover,
          isEscalationApprover,
          now: clock.now(),
          ...(clipped ? { reason: clipped } : {}),
        }),
      );
      if (!result.ok) return expiredNow(result);
      const execution = result.request.status === 'approved' ? startExecution(id) : undefined;
      return { ok: true, request: result.request, ...(execution ? { execution } : {}) };
    },

    async cancel(id, by, reason) {
      const isApprover = await ctx.approvers.isApprover(by);
      const clipped = clipReason(reason);
      const result = await ctx.transact(id, (request) =>
        applyCancel(request, { by, isApprover, now: clock.now(), ...(clipped ? { reason: clipped } : {}) }),
      );
      return result.ok ? { ok: true, request: result.request } : expiredNow(result);
    },

    async expireDue() {
      const due = await store.list({ statuses: ['pending'], expiresAtOrBefore: clock.now(), limit: 1000 });
      let count = 0;
      for (const request of due) if (await expire(request)) count++;
      return count;
    },
  };
}
