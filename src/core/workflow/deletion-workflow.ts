import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { ApproverDirectory } from '../requests/approvers.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { AnnouncementRef, DeletionRequest } from '../requests/deletion-request.js';
import { type Principal, SYSTEM_SOURCE } from '../requests/principal.js';
import type { ReminderPolicy } from '../requests/reminders.js';
import type { Refusal } from '../requests/request-lifecycle.js';
import type { AuditFilter, DeletionStore, RequestFilter } from '../store/deletion-store.js';
import { neverThrowing, type Telemetry } from '../telemetry.js';
import type { JobIds, VideoId } from '../vod/input-rules.js';
import type { VodApi } from '../vod/vod-api.js';
import type { VodRegions } from '../vod/vod-regions.js';
import { createAnnouncements } from './announcements.js';
import { createDecisions } from './decisions.js';
import { createEventHub, type EventHub, type WorkflowListener } from './events.js';
import { createExecutor } from './execution.js';
import { createInFlight, type InFlight } from './in-flight.js';
import { createReminders } from './reminders.js';
import { createRequestDeletion } from './request-deletion.js';
import { observeRequestTimings } from './request-timings.js';
import { createTransact, type Transact } from './transact.js';

/**
 * The approval-gated deletion workflow: requests are created with the preview shown, voted on by authorised
 * approvers who are not the requester, executed exactly once when approval completes, and recorded in the
 * audit trail at every step. State lives only in the store: any process (or replica) may take any action,
 * and every change is a compare-and-set, so double clicks and concurrent approvals in several processes
 * yield one transition and one DeleteStream. Refusals (a late click, self-approval…) are values, not errors.
 */
export interface DeletionWorkflow {
  /** Who may approve: for front ends that check before asking (a reject-reason dialog). */
  readonly approvers: ApproverDirectory;
  /**
   * Whether `principal` is an approver, and whether an escalation approver (whose vote counts on an escalated
   * request): for front ends that check a vote before asking for a reason.
   */
  voteRights(principal: Principal): Promise<VoteRights>;
  /** Follows every event this process stores; returns the unsubscribe function. */
  subscribe(listener: WorkflowListener): () => void;

  /**
   * Previews and records a deletion request. An identical pending request (same video, same set of job IDs) is
   * returned instead of a duplicate (`created: false`). Throws AppError for a reason that is too long, job IDs
   * that are not streams of the video, a video no region served holds (or more than one), or when no approver
   * is configured (fail closed).
   */
  requestDeletion(input: NewDeletionRequest): Promise<{ request: DeletionRequest; created: boolean }>;
  /** An approval or rejection by `approver`; the deciding approval starts the execution at once. */
  vote(
    id: string,
    approver: Principal,
    decision: 'approve' | 'reject',
    reason?: string,
  ): Promise<ActionResult>;
  /** Cancels a pending request: by its requester, or by an approver. */
  cancel(id: string, by: Principal, reason?: string): Promise<ActionResult>;

  /**
   * Claims showing a pending request that no front end has claimed yet, so that of several processes exactly one
   * shows it. True when this caller should show it, then record where with {@link recordAnnouncement}.
   */
  claimAnnouncement(id: string): Promise<boolean>;
  /**
   * Records where a claimed request was shown (`ref`, opaque to core), or releases the claim (`undefined`) so
   * another pass may try again; its copies (`recordAnnouncementCopies`) stay either way. Only while pending. Not a
   * state change: no event, no audit entry.
   */
  recordAnnouncement(id: string, ref: AnnouncementRef | undefined): Promise<DeletionRequest | undefined>;
  /**
   * Records other places a pending request is shown to decide on (`copies`, opaque to core, keys merged over those
   * recorded), beside its announcement and never taken for it. True when recorded; false when the request is no
   * longer pending (the copies then follow nothing).
   */
  recordAnnouncementCopies(id: string, copies: AnnouncementRef): Promise<boolean>;
  /** Pending requests that no front end has claimed to show, oldest last. */
  awaitingAnnouncement(limit: number): Promise<DeletionRequest[]>;

  get(id: string): Promise<DeletionRequest | undefined>;
  /** Newest first. */
  list(filter?: RequestFilter): Promise<DeletionRequest[]>;
  audit(filter?: AuditFilter): Promise<AuditEntry[]>;

  /** Marks every pending request past its expiry as expired. Returns how many. */
  expireDue(): Promise<number>;
  /**
   * Records the reminders and escalations due on pending requests (`policy.reminders`), each as a `reminded` or
   * `escalated` audit entry and event, by exactly one of several processes. Returns how many.
   */
  remindDue(): Promise<number>;
  /**
   * Runs approved requests nobody has started, and resumes executing ones whose executor's lease ran out (a
   * process that died mid-way). A repeated DeleteStream answering NotFound counts as done. Returns how many.
   */
  resumeExecutions(): Promise<number>;
  /** Resolves when every execution (and other work tracked in the same `InFlight`) of this process has settled. */
  idle(): Promise<void>;
}

export interface NewDeletionRequest {
  videoId: VideoId;
  jobIds: JobIds;
  /** The video's region, when the requester named it; otherwise it is located among the regions served. */
  region?: string;
  reason?: string;
  requester: Principal;
  /**
   * The front end making the request shows it for approval itself (a chat command posts it where it was asked):
   * the announcement is claimed with the request, so no other process shows it too.
   */
  announcesItself?: boolean;
}

export interface VoteRights {
  isApprover: boolean;
  isEscalationApprover: boolean;
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

export interface WorkflowPolicy {
  requiredApprovals: number;
  /** Approvals a high-risk request needs (`VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK`); default `requiredApprovals`. */
  highRiskApprovals?: number;
  ttlMs: number;
  leaseMs: number;
  /** When pending requests are re-announced and escalated; unset, never. */
  reminders?: ReminderPolicy;
}

export interface WorkflowDeps {
  store: DeletionStore;
  vod: VodRegions<VodApi>;
  approvers: ApproverDirectory;
  /** Who may vote on a request once it is escalated (`policy.reminders.escalateAfterMs`), besides `approvers`. */
  escalationApprovers?: ApproverDirectory;
  policy: WorkflowPolicy;
  clock: Clock;
  newId: () => string;
  logger: Logger;
  /** Names this process in execution leases and audit entries: unique per process. */
  instanceId: string;
  /** Shared with direct deletions, so that shutdown waits for both. Default: the workflow's own. */
  inFlight?: InFlight;
  /** Told how long requests wait for a decision and for their execution. Default: nowhere. */
  telemetry?: Telemetry;
}

/** What the workflow's parts share: its dependencies, the event hub and the compare-and-set loop. */
export interface WorkflowContext extends WorkflowDeps {
  inFlight: InFlight;
  events: EventHub;
  transact: Transact;
  /** vod-ops itself, as the actor of expiries and executions. */
  system: Principal;
}

export function createDeletionWorkflow(deps: WorkflowDeps): DeletionWorkflow {
  const events = createEventHub(deps.logger);
  if (deps.telemetry) events.subscribe(observeRequestTimings(neverThrowing(deps.telemetry)));
  const ctx: WorkflowContext = {
    ...deps,
    inFlight: deps.inFlight ?? createInFlight(),
    events,
    transact: createTransact(deps.store, events),
    system: { source: SYSTEM_SOURCE, id: deps.instanceId, displayName: 'vod-ops' },
  };
  const execution = createExecutor(ctx);
  const decisions = createDecisions(ctx, execution.start);
  const announcements = createAnnouncements(ctx);
  return {
    approvers: deps.approvers,
    voteRights: decisions.voteRights,
    subscribe: (listener) => events.subscribe(listener),
    requestDeletion: createRequestDeletion(ctx, decisions.expire),
    vote: decisions.vote,
    cancel: decisions.cancel,
    ...announcements,
    get: (id) => deps.store.get(id),
    list: (filter) => deps.store.list(filter),
    audit: (filter) => deps.store.listAudit(filter),
    expireDue: decisions.expireDue,
    ...createReminders(ctx),
    resumeExecutions: execution.resume,
    idle: () => ctx.inFlight.idle(),
  };
}
