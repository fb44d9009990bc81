import type { Announcement, Decision, Vote } from '../requests/deletion-request.js';
import type { Principal } from '../requests/principal.js';
import { newShortId } from '../requests/request-id.js';
import type { RiskReason } from '../requests/risk.js';
import type { PlanTotals } from './plan-totals.js';
import type { SelectionRule } from './selection-rule.js';
import type { PlannedItem } from './stream-selection.js';

/**
 * A library-wide clean-up: streams selected by a rule across the whole library, planned into items (one video,
 * at most 20 job IDs each), approved once, then executed item by item. Like a deletion request, its parameters
 * are fixed once planned: approvers decide on the items and their digest, and exactly those are executed.
 * `id` is vod-ops' own (`cp-…`), never Alibaba's RequestId.
 */
export interface Campaign {
  id: string;
  /** The rule as resolved when the campaign was made (relative ages turned into instants). */
  rule: SelectionRule;
  /**
   * The VOD region whose library the campaign walks and deletes in: one region per campaign, since no VOD call
   * crosses regions. Absent only in campaigns made before vod-ops served several regions: the home region's.
   */
  region?: string;
  reason: string;
  requester: Principal;
  /** Epoch ms. */
  createdAt: number;
  /** Approval deadline: set when the plan is complete (the TTL starts then), absent while planning. */
  expiresAt?: number;
  status: CampaignStatus;
  /** Incremented by every stored change: the compare-and-set token. */
  version: number;
  /**
   * Distinct approvals needed: fixed at creation, and raised once, when the plan completes, for a campaign found
   * to be high risk (`risks`); never after anyone could vote.
   */
  requiredApprovals: number;
  /** Why the campaign is high risk, when it is (known once its plan is complete). */
  risks?: RiskReason[];
  /** With the `large_campaign` risk: the size that was large when the plan completed (`VOD_OPS_LARGE_CAMPAIGN_BYTES`). */
  largeAbove?: number;
  votes: Vote[];
  decision?: Decision;
  plan: PlanState;
  /** Set when execution starts (after approval, with the digest checked); see `campaign-run.ts`. */
  execution?: CampaignExecution;
  /** While paused. */
  paused?: PauseRecord;
  announcement?: Announcement;
}

/** A campaign's execution: started once approved, paused and resumed by people, finished when no item is left. */
export interface CampaignExecution {
  startedAt: number;
  /** The digest the items were checked against when execution started: the one approved. */
  digest: string;
  finishedAt?: number;
}

/** Why a campaign is paused, and the status it resumes to. */
export interface PauseRecord {
  at: number;
  by: Principal;
  reason?: string;
  from: 'approved' | 'running';
}

/** How many items, and how many bytes, are in each status. */
export type ItemCounts = Record<ItemStatus, { items: number; bytes: number }>;

/**
 * Where a plan stands: its running totals, and where the walk of the library resumes. The walk is in creation
 * order, so an interrupted plan restarts its search from `resumeFrom` (inclusive), skipping the videos already
 * planned at that very instant; no scroll token is kept, since Alibaba's expire.
 */
export interface PlanState {
  totals: PlanTotals;
  /** Items stored so far; their `seq` runs 1..items. */
  items: number;
  /** Videos whose streams could not be read (a status other than Normal, gone), with a few examples. */
  unreadable: { videos: number; examples: Array<{ videoId: string; reason: string }> };
  /** The process planning it, and until when its claim stands: another may take over a plan only after that. */
  owner?: string;
  leaseUntil?: number;
  /**
   * A search walk: the media it walks (videos, then audio), the creation time of the last one planned, and those
   * planned at that instant.
   */
  resumeFrom?: { mediaType: 'video' | 'audio'; creationTime?: string; videoIds: string[] };
  /** An explicit list of videos: how many of them are planned. */
  videosDone?: number;
  /** Once complete: SHA-256 of every item in order (see `itemsDigest`), frozen for approval. */
  digest?: string;
  startedAt: number;
  finishedAt?: number;
}

/** Every status a campaign can be in, in lifecycle order. */
export const CAMPAIGN_STATUSES = [
  'planning',
  'pending',
  'approved',
  'running',
  'paused',
  'completed',
  'rejected',
  'expired',
  'cancelled',
] as const;

export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** A campaign's item as stored: a planned item (one video, at most 20 streams, one DeleteStream call) and its fate. */
export interface CampaignItem extends PlannedItem {
  campaignId: string;
  /** 1, 2, 3...: the order the plan found them, and the order they run. */
  seq: number;
  status: ItemStatus;
  outcome?: ItemOutcome;
  /** How many times an executor claimed it: more than 1 when a process died or stalled holding it. */
  claims: number;
  /** While running: the process holding it, and until when its claim stands. */
  owner?: string;
  leaseUntil?: number;
}

export const ITEM_STATUSES = ['pending', 'running', 'deleted', 'skipped', 'failed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
/** An item in one of these never changes again (the database refuses it: migration 8). */
export const SETTLED_ITEM_STATUSES = [
  'deleted',
  'skipped',
  'failed',
] as const satisfies readonly ItemStatus[];
export type SettledItemStatus = (typeof SETTLED_ITEM_STATUSES)[number];

export interface ItemOutcome {
  at: number;
  /** The process that settled it. */
  by?: string;
  /** Deleted by an earlier attempt whose outcome was never recorded (its process died): found gone on a retry. */
  alreadyDeleted?: boolean;
  /** Alibaba's RequestId of the DeleteStream that settled it, and of every attempt. */
  requestId?: string;
  requestIds?: string[];
  /** Why it was skipped, or what failed: a sentence a person reads. */
  reason?: string;
  /** Alibaba's error code, when it failed. */
  code?: string;
}

/** A campaign's id: `cp-` and 13 base32 characters (65 random bits), like a request's `dr-…`. */
export function newCampaignId(random: (size: number) => Buffer): string {
  return newShortId('cp-', random);
}

export const CAMPAIGN_ID_PATTERN = /^cp-[0-9a-hjkmnp-tv-z]{13}$/;
