import pRetry from 'p-retry';
import { errorSummary, summarizeFailure } from '../errors.js';
import type { DeletionRequest } from '../requests/deletion-request.js';
import { claimExecution, type ExecutionResult, finishExecution } from '../requests/request-lifecycle.js';
import type { WorkflowContext } from './deletion-workflow.js';

/** How long an approved request is left to the process that approved it before a sweeper may run it. */
export const APPROVED_GRACE_MS = 10_000;

export interface Executor {
  /** Starts executing `id` in the background; store failures are logged and left to the sweeper. */
  start(id: string): Promise<DeletionRequest | undefined>;
  /** Starts approved requests nobody ran and executions whose lease ran out. Returns how many. */
  resume(): Promise<number>;
}

/**
 * Running approved requests, exactly once: an execution is claimed under a lease (a compare-and-set), DeleteStream
 * runs with the recorded parameters, and the outcome is stored while the claim is still ours. A process that
 * died mid-way is taken over by any sweeper once its lease ran out; its DeleteStream may then answer NotFound,
 * which counts as done once GetPlayInfo shows none of the job IDs remain.
 */
export function createExecutor(ctx: WorkflowContext): Executor {
  const { store, clock, logger, system } = ctx;

  const start = (id: string): Promise<DeletionRequest | undefined> =>
    ctx.inFlight.track(
      execute(id).catch((error: unknown) => {
        logger.error(
          { request: id, err: errorSummary(error) },
          'execution interrupted; the sweeper will resume it',
        );
        return undefined;
      }),
    );

  /** Whether this process serves the request's region: only then may it run the request's DeleteStream. */
  const serves = (request: DeletionRequest) => ctx.vod.names.includes(ctx.vod.of(request));

  /**
   * Returns undefined when there was nothing to claim: another process has it, it is done, or its region is one
   * this process does not serve (a replica that does runs it).
   */
  async function execute(id: string): Promise<DeletionRequest | undefined> {
    const claim = await ctx.transact(id, (request) => {
      if (!serves(request)) {
        logger.warn(
          { request: id, region: request.region },
          "this process does not serve the request's region: a replica that does will run it",
        );
        return undefined;
      }
      return claimExecution(request, {
        owner: ctx.instanceId,
        leaseMs: ctx.policy.leaseMs,
        now: clock.now(),
        by: system,
      });
    });
    if (!claim.ok || !claim.changed) return undefined;
    const result = await runDeleteStream(claim.request);
    return recordOutcome(claim.request, result);
  }

  async function runDeleteStream(request: DeletionRequest): Promise<ExecutionResult> {
    const resumed = (request.execution?.claims ?? 1) > 1;
    try {
      const vod = ctx.vod.in(ctx.vod.of(request));
      const outcome = await vod.deleteStream(request.videoId, request.jobIds, {
        priorAttemptMayHaveApplied: resumed,
      });
      return {
        ok: true,
        requestId: outcome.requestId,
        requestIds: outcome.requestIds,
        alreadyDeleted: outcome.alreadyDeleted,
      };
    } catch (error) {
      return { ok: false, error: summarizeFailure(error, 'DeleteStream failed with an unexpected error.') };
    }
  }

  /**
   * Stores the outcome of the DeleteStream this process ran. While this process still holds the claim, the
   * outcome is applied to the request as stored now (another field may have changed meanwhile) and the write is
   * retried if the store fails. If another process took the execution over (this one's lease ran out), the
   * request is theirs to finish, but this call's outcome and RequestId still go into the audit trail.
   */
  async function recordOutcome(
    claimed: DeletionRequest,
    result: ExecutionResult,
  ): Promise<DeletionRequest | undefined> {
    const claims = claimed.execution?.claims;
    const stillOurs = (r: DeletionRequest) =>
      r.status === 'executing' && r.execution?.owner === ctx.instanceId && r.execution.claims === claims;
    const attempt = async (): Promise<DeletionRequest | 'superseded'> => {
      const outcome = await ctx.transact(claimed.id, (current) =>
        stillOurs(current) ? finishExecution(current, result, { now: clock.now(), by: system }) : undefined,
      );
      return outcome.ok && outcome.changed ? outcome.request : 'superseded';
    };
    const recorded = await pRetry(attempt, { retries: 4, minTimeout: 200, factor: 2, randomize: true });
    if (recorded !== 'superseded') return recorded;
    const superseded = finishExecution(claimed, result, { now: clock.now(), by: system });
    if (superseded) {
      const entries = superseded.audit.map((entry) => ({
        ...entry,
        details: { ...entry.details, superseded: true, claims },
      }));
      await store.appendAudit(entries);
    }
    logger.warn(
      { request: claimed.id, outcome: result.ok ? 'succeeded' : 'failed' },
      'execution outcome recorded in the audit trail only: another process had taken the execution over',
    );
    return store.get(claimed.id);
  }

  return {
    start,
    async resume() {
      const open = await store.list({ statuses: ['approved', 'executing'], limit: 1000 });
      const now = clock.now();
      // An approval's own process starts its execution at once: leave it a moment before stepping in.
      const due = open.filter(
        (r) =>
          serves(r) &&
          (r.status === 'approved'
            ? (r.decision?.at ?? 0) + APPROVED_GRACE_MS <= now
            : (r.execution?.leaseUntil ?? 0) <= now),
      );
      await Promise.all(due.map((r) => start(r.id)));
      return due.length;
    },
  };
}
