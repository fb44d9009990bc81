import { type Campaign, type CampaignItem, ITEM_STATUSES, type ItemStatus } from '../campaigns/campaign.js';
import type { DeletionRequest } from '../requests/deletion-request.js';
import type { VideoId } from '../vod/input-rules.js';
import type { ItemCounts } from './campaign-store.js';
import { STORE_MIGRATIONS } from './migrations.js';

/** Rules every `DeletionStore` adapter applies the same way, kept in one place so the adapters cannot drift. */

export const REQUEST_LIMIT = { default: 100, max: 1000 } as const;
export const AUDIT_LIMIT = { default: 1000, max: 10_000 } as const;
export const CAMPAIGN_LIMIT = { default: 100, max: 1000 } as const;
/** Items are read a page at a time: a campaign may have hundreds of thousands. */
export const ITEM_LIMIT = { default: 1000, max: 5000 } as const;

/** A missing limit takes the default, a large one the maximum; anything but a positive integer is a bug. */
export function clampLimit(limit: number | undefined, bounds: { default: number; max: number }): number {
  if (limit === undefined) return bounds.default;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer: ${limit}`);
  return Math.min(limit, bounds.max);
}

/** A store only ever creates a request as `pending` at version 1; anything else is a bug of the caller. */
export function assertInsertable(request: DeletionRequest): void {
  if (request.status !== 'pending' || request.version !== 1) {
    throw new Error(`A new request must be pending at version 1, got ${request.status} v${request.version}`);
  }
}

/** A store only ever creates a campaign as `planning` at version 1; anything else is a bug of the caller. */
export function assertNewCampaign(campaign: Campaign): void {
  if (campaign.status !== 'planning' || campaign.version !== 1) {
    throw new Error(
      `A new campaign must be planning at version 1, got ${campaign.status} v${campaign.version}`,
    );
  }
}

/** `next` must be exactly one version past what the caller read; anything else is a bug of the caller. */
export function assertNextVersion(next: { id: string; version: number }, expectedVersion: number): void {
  if (next.version !== expectedVersion + 1) {
    throw new Error(`Transition of ${next.id}: next.version ${next.version} must be ${expectedVersion + 1}`);
  }
}

/**
 * The order the trail is read in: append order (`seq`), except from a time on (`since`), which is read in time
 * order (ties in append order). That order is one index (`at`, `seq`) read from either end, so a query over a quiet
 * window finds nothing at once, and one over a busy window stops at its limit: ordered by `seq`, a database walks
 * the whole trail to find a quiet window's few entries, or sorts every entry of a busy one. Entries of one process
 * are in the same order both ways; across processes, time order is the one a reader of a window expects.
 */
export function auditOrder(filter: { since?: number; newest?: boolean }): string {
  const direction = filter.newest ? 'DESC' : 'ASC';
  return filter.since === undefined ? `seq ${direction}` : `at ${direction}, seq ${direction}`;
}

/** What an item keeps beside its columns: the streams as planned and, once it ran, its outcome. */
/** An item's columns besides its data, as both adapters read them (`bigint`s arrive as strings from `pg`). */
export interface ItemRow {
  campaign_id: string;
  seq: number | string;
  video_id: string;
  job_ids: string;
  bytes: number | string;
  status: ItemStatus;
  claims: number | string;
  owner: string | null;
  lease_until: number | string | null;
}

/** An item from its row and its parsed data. */
export function itemFrom(row: ItemRow, data: Pick<CampaignItem, 'streams' | 'outcome'>): CampaignItem {
  return {
    campaignId: row.campaign_id,
    seq: Number(row.seq),
    // Written only from a planned item, whose id the input rules made.
    videoId: row.video_id as VideoId,
    jobIds: row.job_ids.split(','),
    bytes: Number(row.bytes),
    status: row.status,
    claims: Number(row.claims),
    ...(row.owner === null ? {} : { owner: row.owner }),
    ...(row.lease_until === null ? {} : { leaseUntil: Number(row.lease_until) }),
    ...data,
  };
}

export function itemData(item: CampaignItem): Pick<CampaignItem, 'streams' | 'outcome'> {
  return item.outcome === undefined
    ? { streams: item.streams }
    : { streams: item.streams, outcome: item.outcome };
}

/** Every status, with zeros for those no item is in. */
export function countsFrom(
  rows: ReadonlyArray<{ status: ItemStatus; items: number | string; bytes: number | string }>,
): ItemCounts {
  const counts = Object.fromEntries(ITEM_STATUSES.map((s) => [s, { items: 0, bytes: 0 }])) as ItemCounts;
  for (const row of rows) counts[row.status] = { items: Number(row.items), bytes: Number(row.bytes) };
  return counts;
}

/** Counts by status from a `GROUP BY status` query, with every status present (0 when none). */
export function countsByStatus<S extends string>(
  statuses: readonly S[],
  rows: readonly { status: string; count: number | string }[],
): Record<S, number> {
  const counts = Object.fromEntries(statuses.map((status) => [status, 0])) as Record<S, number>;
  for (const row of rows) {
    if ((statuses as readonly string[]).includes(row.status)) counts[row.status as S] = Number(row.count);
  }
  return counts;
}

/** The versions of `STORE_MIGRATIONS` that are not among `applied`, in order. */
export function missingMigrations(applied: Iterable<number>): number[] {
  const versions = new Set(applied);
  return STORE_MIGRATIONS.map((m) => m.version).filter((version) => !versions.has(version));
}
