import type {
  Campaign,
  CampaignItem,
  CampaignStatus,
  ItemCounts,
  ItemStatus,
} from '../campaigns/campaign.js';
import type { AuditEntry } from '../requests/audit-entry.js';

/**
 * Durable state of clean-up campaigns and their items. Like requests, every change of a campaign is a
 * compare-and-set on `version`, written with its audit entries (and, while it plans, its new items) in one
 * transaction. The database itself keeps what was approved: items are added only while their campaign is
 * `planning`, and an item's video, job IDs and bytes never change afterwards (triggers, migration 7).
 */
export interface CampaignStore {
  /** Inserts a new campaign (version 1) with its audit entries. */
  insertCampaign(campaign: Campaign, audit: readonly AuditEntry[]): Promise<void>;

  getCampaign(id: string): Promise<Campaign | undefined>;

  /** Newest first. */
  listCampaigns(filter?: CampaignFilter): Promise<Campaign[]>;

  /**
   * Replaces the stored campaign by `next` (version `expectedVersion` + 1), appends `audit` and inserts `items`,
   * atomically, if and only if the stored version is still `expectedVersion`; returns false, writing nothing,
   * otherwise. Items go in before the campaign changes (the database accepts them only while it is planning).
   */
  updateCampaign(
    next: Campaign,
    expectedVersion: number,
    audit: readonly AuditEntry[],
    items?: readonly CampaignItem[],
  ): Promise<boolean>;

  /** A campaign's items in `seq` order, a page at a time. */
  listItems(campaignId: string, filter?: ItemFilter): Promise<CampaignItem[]>;

  /** How many items, and how many bytes, are in each status. */
  countItems(campaignId: string): Promise<ItemCounts>;

  /**
   * Claims up to `limit` items for `owner` until `leaseUntil`, in `seq` order, atomically and only while the
   * campaign is `running`: items `pending`, or `running` under a lease that ran out (their process died or
   * stalled). Only the first unsettled item of each video is claimable, so one video's items run one after the
   * other, never side by side. Each claim counts one more in `claims`. Concurrent claimers never get the same
   * item.
   */
  claimItems(
    campaignId: string,
    input: { owner: string; now: number; leaseUntil: number; limit: number },
  ): Promise<CampaignItem[]>;

  /**
   * Stores an item's outcome (`next`: status deleted, skipped or failed) with its audit entry, if and only if the
   * item is still `running` under the claim `owner` made (`claims`); returns false, writing nothing, otherwise.
   * A settled item never changes again (migration 8).
   */
  settleItem(
    next: CampaignItem,
    claim: { owner: string; claims: number },
    audit: readonly AuditEntry[],
  ): Promise<boolean>;

  /**
   * Gives back an item this process claimed but did not start (its campaign was paused or cancelled meanwhile):
   * `pending` again, with its claim no longer counted in `claims` (no DeleteStream was sent under it, so a later
   * claim is not a retry), unless the claim is no longer `owner`'s. Returns whether it was given back.
   */
  releaseItem(item: CampaignItem, claim: { owner: string; claims: number }): Promise<boolean>;

  /** How many of the campaign's items settled at or after `since` (epoch ms): the current rate. */
  countSettledSince(campaignId: string, since: number): Promise<number>;

  /** How many campaigns are in each status, every status present: for the operator's gauges. */
  countCampaignsByStatus(): Promise<Record<CampaignStatus, number>>;
}

export interface CampaignFilter {
  statuses?: readonly CampaignStatus[];
  /** Only campaigns whose `expiresAt` is at or before this (epoch ms). */
  expiresAtOrBefore?: number;
  limit?: number;
}

export interface ItemFilter {
  /** Items with a `seq` greater than this. */
  afterSeq?: number;
  statuses?: readonly ItemStatus[];
  limit?: number;
}

export type { ItemCounts };
