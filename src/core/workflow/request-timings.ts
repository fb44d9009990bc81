import type { Telemetry } from '../telemetry.js';
import type { WorkflowListener } from './events.js';

const DECISIONS = new Set(['approved', 'rejected', 'expired', 'cancelled']);

/**
 * Tells telemetry how long requests wait, from the workflow's events: from creation to the decision that ended
 * the pending phase, and from approval to the execution's recorded outcome (with that outcome). Events are emitted
 * only by the process that stored the transition, so summed over replicas each request counts once.
 */
export function observeRequestTimings(telemetry: Telemetry): WorkflowListener {
  return ({ type, request }) => {
    const { decision, execution } = request;
    if (!decision) return;
    if (DECISIONS.has(type)) {
      telemetry.requestDecided({
        outcome: decision.outcome,
        seconds: Math.max(0, decision.at - request.createdAt) / 1000,
      });
    } else if ((type === 'succeeded' || type === 'failed') && execution?.finishedAt !== undefined) {
      telemetry.requestExecuted({
        outcome: type,
        seconds: Math.max(0, execution.finishedAt - decision.at) / 1000,
      });
    }
  };
}
