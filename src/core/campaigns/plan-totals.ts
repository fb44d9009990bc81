import { z } from 'zod';
import { AppError } from '../errors.js';
import type { StreamInfo } from '../vod/vod-api.js';
import type { Guard, StreamSelection } from './stream-selection.js';

/**
 * The totals of a campaign's plan, gathered one video at a time as the planner walks the library. A plain JSON
 * value: the planner saves it with its position and restores it with {@link restorePlanTotals} when a plan
 * resumes. Keys of the breakdowns are sorted, so the same videos give the same JSON in any order.
 */
export interface PlanTotals {
  /** Videos whose streams were read. */
  videosScanned: number;
  /** Videos with at least one stream selected. */
  videosMatched: number;
  /** Streams selected for deletion. */
  streams: number;
  /** Their bytes. A lower bound when `streamsWithoutSize` is not 0. */
  bytes: number;
  /** Selected streams whose size Alibaba did not give, counted as 0 bytes. */
  streamsWithoutSize: number;
  byDefinition: Record<string, Tally>;
  byFormat: Record<string, Tally>;
  /** Streams the rule matched but a guard kept, by guard. */
  held: Record<Guard, Tally>;
}

export interface Tally {
  streams: number;
  bytes: number;
}

export function emptyPlanTotals(): PlanTotals {
  return {
    videosScanned: 0,
    videosMatched: 0,
    streams: 0,
    bytes: 0,
    streamsWithoutSize: 0,
    byDefinition: {},
    byFormat: {},
    held: { keep_definition: { streams: 0, bytes: 0 }, last_playable: { streams: 0, bytes: 0 } },
  };
}

/** The totals with one more video counted: its selection as `selectStreams` made it. Returns a new value. */
export function addVideoToTotals(totals: PlanTotals, selection: StreamSelection): PlanTotals {
  const { selected, held } = selection;
  const heldBy = (guard: Guard) => held.filter((h) => h.guard === guard).map((h) => h.stream);
  return {
    videosScanned: totals.videosScanned + 1,
    videosMatched: totals.videosMatched + (selected.length > 0 ? 1 : 0),
    streams: totals.streams + selected.length,
    bytes: totals.bytes + add({ streams: 0, bytes: 0 }, selected).bytes,
    streamsWithoutSize:
      totals.streamsWithoutSize + selected.filter((stream) => stream.sizeBytes === undefined).length,
    byDefinition: tallyBy(totals.byDefinition, selected, (stream) => stream.definition),
    byFormat: tallyBy(totals.byFormat, selected, (stream) => stream.format),
    held: {
      keep_definition: add(totals.held.keep_definition, heldBy('keep_definition')),
      last_playable: add(totals.held.last_playable, heldBy('last_playable')),
    },
  };
}

const count = z.number().int().nonnegative();
const TallyJson = z.strictObject({ streams: count, bytes: count });
const PlanTotalsJson = z.strictObject({
  videosScanned: count,
  videosMatched: count,
  streams: count,
  bytes: count,
  streamsWithoutSize: count,
  byDefinition: z.record(z.string(), TallyJson),
  byFormat: z.record(z.string(), TallyJson),
  held: z.strictObject({ keep_definition: TallyJson, last_playable: TallyJson }),
});

/** Totals saved as JSON (parsed), checked; a value that is not a plan's totals is refused, not patched up. */
export function restorePlanTotals(saved: unknown): PlanTotals {
  const parsed = PlanTotalsJson.safeParse(saved);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'the value';
    throw new AppError(
      'INVALID_INPUT',
      `The saved totals of this plan cannot be restored (${where} is not what a plan saves): plan the campaign again.`,
    );
  }
  const totals = parsed.data;
  return { ...totals, byDefinition: sorted(totals.byDefinition), byFormat: sorted(totals.byFormat) };
}

/**
 * What deleting `bytes` saves a month, in the currency of `pricePerGbMonth`. A GB here is 1024³ bytes (a GiB):
 * the reading that gives the smaller figure, so a saving is never overstated whichever unit Alibaba bills in.
 * The free allowance (the first 50 GB in 2021) is not subtracted: it matters only to a library that small.
 * Alibaba prints no price in its current docs, so the price is the caller's setting.
 * @see https://www.alibabacloud.com/help/en/vod/product-overview/billing-of-basic-services
 */
export function monthlySaving(bytes: number, pricePerGbMonth: number): number {
  if (!(bytes >= 0) || !(pricePerGbMonth >= 0) || !Number.isFinite(bytes + pricePerGbMonth)) {
    throw new RangeError('bytes and pricePerGbMonth must be finite numbers of at least 0.');
  }
  return (bytes / 1024 ** 3) * pricePerGbMonth;
}

/**
 * A monthly saving in words, as every front end shows it: `12.35 a month at 0.02 per GB-month`, to the cent.
 * The currency is the price's own, so it is not named.
 */
export function describeMonthlySaving(bytes: number, pricePerGbMonth: number): string {
  const cents = Math.round(monthlySaving(bytes, pricePerGbMonth) * 100) / 100;
  return `${cents.toFixed(2)} a month at ${pricePerGbMonth} per GB-month`;
}

function tallyBy(
  tallies: Record<string, Tally>,
  streams: readonly StreamInfo[],
  keyOf: (stream: StreamInfo) => string,
): Record<string, Tally> {
  const next = new Map(Object.entries(tallies));
  for (const stream of streams) {
    const key = keyOf(stream);
    next.set(key, add(next.get(key) ?? { streams: 0, bytes: 0 }, [stream]));
  }
  return sorted(Object.fromEntries(next));
}

function add(tally: Tally, streams: readonly StreamInfo[]): Tally {
  return {
    streams: tally.streams + streams.length,
    bytes: tally.bytes + streams.reduce((sum, stream) => sum + (stream.sizeBytes ?? 0), 0),
  };
}

/** The record with its keys in order. */
function sorted(tallies: Record<string, Tally>): Record<string, Tally> {
  return Object.fromEntries(Object.entries(tallies).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
