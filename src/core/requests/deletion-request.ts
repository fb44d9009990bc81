import type { DeletionPreview } from './deletion-preview.js';

/**
 * A request to delete streams of one video, approved by people before it runs. Its parameters are immutable
 * from creation: approvers decide on exactly the preview the requester saw, and exactly that is executed.
 * `id` is vod-ops' own short, unguessable id (`dr-…`); it is never Alibaba's `RequestId`, which always means the
 * id Alibaba returns for one API call.
 */
export interface DeletionRequest {
  id: string;
  videoId: string;
  /** As given, in order, 1-20 distinct job IDs. */
  jobIds: string[];
  /** `videoId` + the sorted, lower-cased job IDs: two requests with the same key delete the same thing. */
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
  votes: Vote[];
  /** Who or what ended the pending phase, when it ended. */
  decision?: Decision;
  execution?: Execution;
  /**
   * Where the request was posted for approval (a chat channel and that message's id), so whichever process
   * sees the next event, after any restart, can update the same message.
   */
  approvalMessage?: { channel: string; ts: string };
}

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

export const TERMINAL_STATUSES: readonly RequestStatus[] = [
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
];

/** Someone (or some assistant acting for someone) known to a front end. */
export interface Principal {
  source: 'slack' | 'mcp' | 'cli' | 'system';
  /** Stable id within the source: a Slack user id, an MCP token name, an OS user. */
  id: string;
  displayName: string;
  /** For MCP: the client's name (e.g. "claude-code"). */
  clientName?: string;
}

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
  /** On failure: what Alibaba (or the network) said. */
  error?: { code: string; message: string; vodCode?: string; httpStatus?: number; requestId?: string };
}

/** One append-only audit record: who did what, when, to which request or video. */
export interface AuditEntry {
  /** Assigned by the store, increasing. */
  seq?: number;
  at: number;
  type: AuditEventType;
  actor: Principal;
  requestId?: string;
  videoId: string;
  details: Record<string, unknown>;
}

export type AuditEventType =
  | 'created'
  | 'vote'
  | 'approved'
  | 'rejected'
  | 'executing'
  | 'succeeded'
  | 'failed'
  | 'expired'
  | 'cancelled'
  /** A deletion made directly from the CLI, without a request. */
  | 'direct_deletion';

export function dedupeKeyFor(videoId: string, jobIds: readonly string[]): string {
  return `${videoId.toLowerCase()}:${[...jobIds]
    .map((id) => id.toLowerCase())
    .sort()
    .join(',')}`;
}
