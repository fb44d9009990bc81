import pRetry from 'p-retry';
import type { Clock } from '../clock.js';
import { AppError, summarizeFailure } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ApproverDirectory } from '../requests/approvers.js';
import { previewDeletion } from '../requests/deletion-preview.js';
import {
  type AuditEntry,
  type DeletionRequest,
  dedupeKeyFor,
  type Principal,
} from '../requests/deletion-request.js';
import {
  applyCancel,
  applyExpiry,
  applyVote,
  claimExecution,
  type Decided,
  type ExecutionResult,
  finishExecution,
  type Refusal,
  type Transition,
} from '../requests/request-lifecycle.js';
import type { AuditFilter, DeletionStore, RequestFilter } from '../store/deletion-store.js';
import { parseJobIds, parseVideoId } from '../vod/input-rules.js';
import type { VodApi } from '../vod/vod-api.js';
import { createEventHub, type WorkflowListener } from './events.js';

export interface WorkflowPolicy {
  requiredApprovals: number;
  ttlMs: number;
  leaseMs: number;
}

export interface WorkflowDeps {
  store: DeletionStore;
  vod: VodApi;
  approvers: ApproverDirectory;
  policy: WorkflowPolicy;
  clock: Clock;
  newId: () => string;
  logger: Logger;
  /** Names this process in execution leases and audit entries: unique per process. */
  instanceId: string;
}

export interface NewDeletionRequest {
  videoId: string;
  jobIds: string | readonly string[];
  reason?: string;
  requester: Principal;
}

export type WorkflowRefusal = Refusal | { kind: 'not_found' };

export type ActionResult =
  | {
      ok: true;
      request: DeletionRequest;
      /** Set when this action completed the approval: the execution it started, already running. */
      execution?: Promise<DeletionRequest | undefined>;
    }
  | { ok: false; refusal: WorkflowRefusal; request?: DeletionRequest };

export type DeletionWorkflow = ReturnType<typeof createDeletionWorkflow>;

export const MAX_REASON_LENGTH = 500;
const MAX_CAS_ROUNDS = 20;
/** How long an approved request is left to the process that approved it before a sweeper may run it. */
export const APPROVED_GRACE_MS = 10_000;

/**
 * The approval-gated deletion workflow: requests are created with the preview shown, voted on by authorised
 * approvers who are not the requester, executed exactly once when approval completes, and recorded in the
 * audit trail at every step. State lives only in the store: any process (or replica) may take any action,
 * and every change is a compare-and-set, so double clicks and concurrent approvals in several processes
 * yield one transition and one DeleteStream.
 */
export function createDeletionWorkflow(deps: WorkflowDeps) {
  const { store, clock, logger } = deps;
  const events = createEventHub(logger);
  const running = new Set<Promise<unknown>>();
  const system: Principal = { source: 'system', id: deps.instanceId, displayName: 'vod-ops' };

  /** Re-reads, decides and compare-and-sets until the decision applies or is refused. */
  async function transact(
    id: string,
    decide: (request: DeletionRequest) => Decided | Transition | undefined,
  ): Promise<
    | { ok: true; request: DeletionRequest; changed: boolean }
    | { ok: false; refusal: WorkflowRefusal; request?: DeletionRequest }
  > {
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const current = await store.get(id);
      if (!current) return { ok: false, refusal: { kind: 'not_found' } };
      const decided = decide(current);
      if (decided === undefined) return { ok: true, request: current, changed: false };
      if ('ok' in decided && !decided.ok) return { ok: false, refusal: decided.refusal, request: current };
      const transition = 'ok' in decided ? decided.transition : decided;
      if (await store.transition(transition.next, current.version, transition.audit)) {
        events.emit(transition.next, transition.audit);
        return { ok: true, request: transition.next, changed: true };
      }
    }
    throw new AppError('CONFLICT', `Request ${id} is being changed by too many actions at once; try again.`);
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    running.add(promise);
    void promise.finally(() => running.delete(promise));
    return promise;
  }

  /** Starts execution in the background; failures to reach the store are logged and left to the sweeper. */
  function startExecution(id: string): Promise<DeletionRequest | undefined> {
    return track(
      execute(id).catch((error: unknown) => {
        logger.error(
          { request: id, err: String(error) },
          'execution interrupted; the sweeper will resume it',
        );
        return undefined;
      }),
    );
  }

  /**
   * Claims an approved request (or one whose executor's lease ran out) and runs DeleteStream with its recorded
   * parameters. Returns undefined when there was nothing to claim: another process has it, or it is done.
   */
  async function execute(id: string): Promise<DeletionRequest | undefined> {
    const claim = await transact(id, (request) =>
      claimExecution(request, {
        owner: deps.instanceId,
        leaseMs: deps.policy.leaseMs,
        now: clock.now(),
        by: system,
      }),
    );
    if (!claim.ok || !claim.changed) return undefined;
    const claimed = claim.request;
    const result = await runDeleteStream(claimed);
    return recordOutcome(claimed, result);
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
      r.status === 'executing' && r.execution?.owner === deps.instanceId && r.execution.claims === claims;
    const attempt = async (): Promise<DeletionRequest | 'superseded'> => {
      const outcome = await transact(claimed.id, (current) =>
        stillOurs(current) ? finishExecution(current, result, { now: clock.now(), by: system }) : undefined,
      );
      if (outcome.ok && outcome.changed) return outcome.request;
      return 'superseded';
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

  async function runDeleteStream(request: DeletionRequest): Promise<ExecutionResult> {
    const resumed = (request.execution?.claims ?? 1) > 1;
    try {
      const outcome = await deps.vod.deleteStream(request.videoId, request.jobIds, {
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

  async function expire(request: DeletionRequest): Promise<boolean> {
    const result = await transact(request.id, (current) => applyExpiry(current, clock.now(), system));
    return result.ok && result.changed;
  }

  return {
    /** Who may approve: for front ends that check before asking (the Reject modal). */
    approvers: deps.approvers,
    subscribe: (listener: WorkflowListener) => events.subscribe(listener),

    /**
     * Validates, previews and records a deletion request. An identical pending request (same video, same set
     * of job IDs) is returned instead of a duplicate (`created: false`). Throws AppError for bad input, job IDs
     * that are not streams of the video, or when no approver is configured (fail closed).
     */
    async requestDeletion(
      input: NewDeletionRequest,
    ): Promise<{ request: DeletionRequest; created: boolean }> {
      const videoId = parseVideoId(input.videoId);
      const jobIds = parseJobIds(input.jobIds);
      const reason = (input.reason ?? '').trim();
      if (reason.length > MAX_REASON_LENGTH) {
        throw new AppError(
          'INVALID_INPUT',
          `The reason is ${reason.length} characters long; keep it under ${MAX_REASON_LENGTH}.`,
        );
      }
      if (!deps.approvers.configured) {
        throw new AppError(
          'CONFIG',
          'No approver is configured, so no deletion request could ever be approved. ' +
            'Set VOD_OPS_APPROVERS (or VOD_OPS_APPROVER_GROUP) to the people who may approve.',
        );
      }
      const dedupeKey = dedupeKeyFor(videoId, jobIds);
      const open = await findPending(dedupeKey, videoId);
      if (open) return { request: open, created: false };

      const preview = await previewDeletion(deps.vod, videoId, jobIds);
      const now = clock.now();
      const request: DeletionRequest = {
        id: deps.newId(),
        videoId,
        jobIds,
        dedupeKey,
        preview,
        reason,
        requester: input.requester,
        createdAt: now,
        expiresAt: now + deps.policy.ttlMs,
        status: 'pending',
        version: 1,
        requiredApprovals: deps.policy.requiredApprovals,
        votes: [],
      };
      const created: AuditEntry = {
        at: now,
        type: 'created',
        actor: input.requester,
        requestId: request.id,
        videoId,
        details: {
          jobIds,
          reason,
          expiresAt: request.expiresAt,
          requiredApprovals: request.requiredApprovals,
        },
      };
      for (let round = 0; round < 3; round++) {
        const inserted = await store.insert(request, [created]);
        if (inserted.inserted) {
          events.emit(request, [created]);
          return { request, created: true };
        }
        if (inserted.existing.expiresAt > clock.now()) return { request: inserted.existing, created: false };
        await expire(inserted.existing);
      }
      throw new AppError(
        'CONFLICT',
        'An identical request keeps being created at the same moment; try again.',
      );
    },

    /** An approval or rejection by `approver`. Refusals come back as values for the front end to explain. */
    async vote(
      id: string,
      approver: Principal,
      decision: 'approve' | 'reject',
      reason?: string,
    ): Promise<ActionResult> {
      const isApprover = await deps.approvers.isApprover(approver);
      const trimmed = reason?.trim().slice(0, MAX_REASON_LENGTH);
      const result = await transact(id, (request) =>
        applyVote(request, {
          approver,
          decision,
          isApprover,
          now: clock.now(),
          ...(trimmed ? { reason: trimmed } : {}),
        }),
      );
      if (!result.ok) return expiredNow(result);
      const execution = result.request.status === 'approved' ? startExecution(id) : undefined;
      return { ok: true, request: result.request, ...(execution ? { execution } : {}) };
    },

    /** Cancels a pending request: by its requester, or by an approver. */
    async cancel(id: string, by: Principal, reason?: string): Promise<ActionResult> {
      const isApprover = await deps.approvers.isApprover(by);
      const trimmed = reason?.trim().slice(0, MAX_REASON_LENGTH);
      const result = await transact(id, (request) =>
        applyCancel(request, { by, isApprover, now: clock.now(), ...(trimmed ? { reason: trimmed } : {}) }),
      );
      return result.ok ? { ok: true, request: result.request } : expiredNow(result);
    },

    /**
     * Records where the request was posted for approval, so any process can update that message later.
     * Only while pending (the message exists before anyone can click it, and an executing request's version
     * belongs to its executor). Not a state change: no event, no audit entry. `undefined` clears it.
     */
    async attachApprovalMessage(
      id: string,
      ref: { channel: string; ts: string } | undefined,
    ): Promise<DeletionRequest | undefined> {
      const result = await transact(id, (current) =>
        current.status === 'pending'
          ? { next: { ...current, approvalMessage: ref, version: current.version + 1 }, audit: [] }
          : undefined,
      );
      return result.request;
    },

    /**
     * Claims the posting of a pending request that has no approval message yet, so that of several processes
     * announcing requests made outside Slack, exactly one posts it. True when this caller should post.
     */
    async claimAnnouncement(id: string, channel: string): Promise<boolean> {
      const result = await transact(id, (current) =>
        current.status === 'pending' && !current.approvalMessage
          ? {
              next: { ...current, approvalMessage: { channel, ts: '' }, version: current.version + 1 },
              audit: [],
            }
          : undefined,
      );
      return result.ok && result.changed;
    },

    get: (id: string) => store.get(id),
    list: (filter?: RequestFilter) => store.list(filter),
    audit: (filter?: AuditFilter) => store.listAudit(filter),

    /** Marks every pending request past its expiry as expired. Returns how many. */
    async expireDue(): Promise<number> {
      const due = await store.list({ statuses: ['pending'], expiresAtOrBefore: clock.now(), limit: 1000 });
      let count = 0;
      for (const request of due) if (await expire(request)) count++;
      return count;
    },

    /**
     * Runs approved requests nobody has started, and resumes executing ones whose executor's lease ran out (a
     * process that died mid-way). A repeated DeleteStream answering NotFound counts as done.
     */
    async resumeExecutions(): Promise<number> {
      const open = await store.list({ statuses: ['approved', 'executing'], limit: 1000 });
      const now = clock.now();
      // An approval's own process starts its execution at once: leave it a moment before stepping in.
      const due = open.filter((r) =>
        r.status === 'approved'
          ? (r.decision?.at ?? 0) + APPROVED_GRACE_MS <= now
          : (r.execution?.leaseUntil ?? 0) <= now,
      );
      await Promise.all(due.map((r) => startExecution(r.id)));
      return due.length;
    },

    /**
     * Runs work that changes VOD outside a request (a direct deletion and its audit records) so that `idle()`
     * waits for it too: shutdown then never closes the store under it.
     */
    hold<T>(work: () => Promise<T>): Promise<T> {
      return track(work());
    },

    /** Resolves when every execution and held work of this process has finished: for shutdown and tests. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };

  async function findPending(dedupeKey: string, videoId: string): Promise<DeletionRequest | undefined> {
    const pending = await store.list({ statuses: ['pending'], videoId, limit: 1000 });
    const same = pending.find((r) => r.dedupeKey === dedupeKey);
    if (!same) return undefined;
    if (same.expiresAt > clock.now()) return same;
    await expire(same);
    return undefined;
  }

  /** A click on a request past its expiry also records the expiry, so everyone sees "expired". */
  async function expiredNow(result: {
    ok: false;
    refusal: WorkflowRefusal;
    request?: DeletionRequest;
  }): Promise<ActionResult> {
    if (result.refusal.kind === 'expired' && result.request?.status === 'pending') {
      await expire(result.request);
      const request = await store.get(result.request.id);
      return { ok: false, refusal: result.refusal, ...(request ? { request } : {}) };
    }
    return result;
  }
}
