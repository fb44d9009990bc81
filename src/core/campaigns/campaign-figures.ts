import type { ItemCounts } from './campaign.js';
import { monthlySaving, type PlanTotals, type Tally } from './plan-totals.js';

/**
 * A campaign's figures under the names every front end reports them by (`cleanup plan --json`, the MCP tools):
 * what its plan found, what that saves a month, and how far its items have gone. Plain values, in a stable order.
 */
export interface PlanFigures {
  videosScanned: number;
  videosMatched: number;
  /** Videos whose streams could not be read. */
  videosUnreadable: number;
  streams: number;
  /** A lower bound when some selected streams had no size (`PlanTotals.streamsWithoutSize`). */
  bytes: number;
  /** DeleteStream calls: one video and at most 20 streams each. */
  items: number;
  byDefinition: Record<string, Tally>;
  byFormat: Record<string, Tally>;
  /** Streams the rule matched but a guard kept. */
  heldByGuards: PlanTotals['held'];
  /** Only with a storage price: {@link monthlySaving} of `bytes`, to the cent. */
  monthlySaving?: number;
  pricePerGbMonth?: number;
}

export function planFigures(
  plan: { totals: PlanTotals; items: number; unreadable: { videos: number } },
  pricePerGbMonth: number | undefined,
): PlanFigures {
  const { totals } = plan;
  return {
    videosScanned: totals.videosScanned,
    videosMatched: totals.videosMatched,
    videosUnreadable: plan.unreadable.videos,
    streams: totals.streams,
    bytes: totals.bytes,
    items: plan.items,
    byDefinition: totals.byDefinition,
    byFormat: totals.byFormat,
    heldByGuards: totals.held,
    ...(pricePerGbMonth === undefined
      ? {}
      : {
          monthlySaving: Math.round(monthlySaving(totals.bytes, pricePerGbMonth) * 100) / 100,
          pricePerGbMonth,
        }),
  };
}

/** How far a campaign's items have gone. An item running counts as pending: it has not deleted anything yet. */
export interface ItemProgress {
  itemsPending: number;
  itemsDone: number;
  itemsSkipped: number;
  itemsFailed: number;
  /** The bytes of the items deleted. */
  bytesFreed: number;
}

export function itemProgress(counts: Readonly<ItemCounts>): ItemProgress {
  return {
    itemsPending: counts.pending.items + counts.running.items,
    itemsDone: counts.deleted.items,
    itemsSkipped: counts.skipped.items,
    itemsFailed: counts.failed.items,
    bytesFreed: counts.deleted.bytes,
  };
}
