import type { FailureSummary } from '../errors.js';
import type { JobIds, VideoId } from '../vod/input-rules.js';
import type { DeletionPreview } from './deletion-preview.js';
import type { Principal } from './principal.js';
import type { RiskReason } from './risk.js';

/**
 * A request to delete streams of one video, approved by people before it runs. Its parameters are immutable
 * from creation: approvers decide on exactly the preview the requester saw, and exactly that is executed.
 * `id` is vod-ops' own short, unguessable id (`dr-…`); it is never Alibaba's `RequestId`, which always means the
 * id Alibaba returns for one API call.
 */
export interface DeletionRequest {
  id: string;
  videoId: VideoId;
  /**
   * The VOD region that holds the video, where its DeleteStream is sent. Absent only in requests recorded before
   * vod-ops served several regions: those belong to the deployment's home region.
   */
  region?: string;
  /** As given, in order, 1-20 distinct job IDs. */
  jobIds: JobIds;
  /** `videoId` + the sorted job IDs: two requests with the same key delete the same thing. */
  dedupeKey: string;
  /** What was shown when the request was made. */
  preview: DeletionPreview;
  reason: string;
  requester: Principal;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  status: RequestStatus;
  /** Incremented by every stored transition: the compare-and-set token. */
  version: number;
  /** Distinct approvals needed, fixed at creation so a config change never alters a request in flight. */
  requiredApprovals: number;
  /** Why the request is high risk, when it is: then `requiredApprovals` is the high-risk number. */
  risks?: RiskReason[];
  votes: Vote[];
  /** Epoch ms at which the request was escalated; from then on the escalation approvers may vote too. */
  escalatedAt?: number;
  /** Who or what ended the pending phase, when it ended. */
  decision?: Decision;
  execution?: Execution;
  /**
   * The reminders recorded while pending: how many, when the last was, and whether the one before expiry was sent.
   * Absent until the first. See `nextNudge` in `reminders.ts`.
   */
  reminded?: Reminded;
  /** Where a front end showed the request for approval; absent until one claims it. See {@link Announcement}. */
  announcement?: Announcement;
}

/**
 * Front-end metadata that core stores without reading it: where a request was shown to its approvers (a chat
 * message, say), so that whichever process sees the next event, after any restart, can update the same place.
 * A front end first claims the announcement (so of several processes exactly one shows the request), then
 * records its `ref`; a claim that never got a `ref` (its process died) may be claimed again after a while
 * (`ANNOUNCEMENT_CLAIM_MS`).
 */
export interface Announcement {
  /** Epoch ms of the claim; 0 while unclaimed (only `copies` recorded). */
  claimedAt: number;
  /** The front end's own reference to what it showed; opaque to core. Absent while only claimed. */
  ref?: AnnouncementRef;
  /**
   * Other places the front end showed the request to decide on (copies in people's direct messages, say), opaque
   * to core: kept whatever becomes of the claim, and never taken for it, so a request shown only as copies still
   * awaits its announcement.
   */
  copies?: AnnouncementRef;
}

export interface Reminded {
  count: number;
  /** Epoch ms of the last reminder: the next interval reminder is due `remindAfterMs` after it. */
  lastAt: number;
  beforeExpiry: boolean;
}

export type AnnouncementRef = Readonly<Record<string, string>>;

/** Every status a request can be in, in lifecycle order. */
export const REQUEST_STATUSES = [
  'pending',
  'approved',
  'executing',
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
] as const;

export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export interface Vote {
  approver: Principal;
  decision: 'approve' | 'reject';
  reason?: string;
  at: number;
}

export interface Decision {
  outcome: 'approved' | 'rejected' | 'expired' | 'cancelled';
  by?: Principal;
  reason?: string;
  at: number;
}

export interface Execution {
  /** Which process holds (or last held) the execution, and until when its claim stands. */
  owner: string;
  leaseUntil: number;
  /** 1 for the first claim; more when a stalled execution was resumed. */
  claims: number;
  startedAt: number;
  finishedAt?: number;
  /** On success: Alibaba's RequestId of the call that settled it, and of every attempt. */
  requestId?: string;
  requestIds?: string[];
  alreadyDeleted?: boolean;
  /** On failure: what Alibaba (or the network) said, and what a check of the streams found. */
  error?: FailureSummary;
}

export function dedupeKeyFor(videoId: VideoId, jobIds: JobIds): string {
  return `${videoId}:${[...jobIds].sort().join(',')}`;
}
