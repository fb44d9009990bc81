import { applyNudge, nextNudge } from '../requests/reminders.js';
import type { DeletionWorkflow, WorkflowContext } from './deletion-workflow.js';

/** Nudges recorded on one request in one pass, at most: an escalation, the reminder before expiry, an interval's. */
const MAX_NUDGES_PER_PASS = 3;

/**
 * Records the reminders and escalations due on pending requests (`policy.reminders`). Each is decided again on the
 * request as stored and written with a compare-and-set, so a request decided meanwhile gets none, and of several
 * replicas sweeping at once exactly one records each. Front ends follow the audit trail to tell people.
 */
export function createReminders(ctx: WorkflowContext): Pick<DeletionWorkflow, 'remindDue'> {
  const policy = ctx.policy.reminders;
  return {
    async remindDue() {
      if (
        !policy ||
        (policy.remindAfterMs === undefined &&
          policy.remindBeforeExpiryMs === undefined &&
          policy.escalateAfterMs === undefined)
      ) {
        return 0;
      }
      const pending = await ctx.store.list({ statuses: ['pending'], limit: 1000 });
      let count = 0;
      for (const request of pending) {
        for (let round = 0; round < MAX_NUDGES_PER_PASS; round++) {
          const result = await ctx.transact(request.id, (current) => {
            const now = ctx.clock.now();
            const nudge = nextNudge(current, now, policy);
            return nudge && applyNudge(current, nudge, now, ctx.system, policy);
          });
          if (!result.ok || !result.changed) break;
          count++;
        }
      }
      return count;
    },
  };
}
