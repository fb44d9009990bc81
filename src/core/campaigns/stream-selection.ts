import { joinWords } from '../format.js';
import { MAX_JOB_IDS, type VideoId } from '../vod/input-rules.js';
import type { StreamInfo } from '../vod/vod-api.js';
import type { Guards, SelectionRule, StreamCriteria } from './selection-rule.js';
import {
  DEFINITIONS_BEST_FIRST,
  definitionOf,
  documentedValue,
  FORMATS,
  isPlayable,
  STREAM_STATUSES,
  STREAM_TYPES,
  streamCreatedAt,
} from './stream-vocabulary.js';

/** Why a stream the rule matched is kept: the guard that held it back. */
export type Guard = 'keep_definition' | 'last_playable';

export interface HeldStream {
  stream: StreamInfo;
  guard: Guard;
}

export interface StreamSelection {
  /** The streams to delete, in the order GetPlayInfo listed them. */
  selected: StreamInfo[];
  /** Streams the rule matched but a guard keeps. */
  held: HeldStream[];
}

/** Guards in the order they are applied. */
const GUARDS: readonly Guard[] = ['keep_definition', 'last_playable'];

/**
 * Whether a stream meets every criterion of the rule. Values are compared in Alibaba's spelling, whatever case
 * the answer used. A stream whose creation time is unknown does not meet `createdBefore`: an unknown age is
 * not an old one.
 */
export function matchesCriteria(criteria: StreamCriteria, stream: StreamInfo): boolean {
  const { status, definitions, formats, streamType, createdBefore } = criteria;
  const createdAt = streamCreatedAt(stream);
  return (
    (status === undefined || has(status, documentedValue(STREAM_STATUSES, stream.status))) &&
    (definitions === undefined || has(definitions, definitionOf(stream))) &&
    (formats === undefined || has(formats, documentedValue(FORMATS, stream.format))) &&
    (streamType === undefined || documentedValue(STREAM_TYPES, stream.streamType) === streamType) &&
    (createdBefore === undefined || (createdAt !== undefined && createdAt < Date.parse(createdBefore)))
  );
}

/**
 * One video's selection: the streams that meet every criterion of the rule, less those the guards hold back.
 * A playable stream is a `Normal` one. The guards apply in turn, each to what the one before left selected:
 *
 * 1. `keepDefinitions`: when the video has a playable stream of one of those definitions and the selection
 *    would delete all of them, one is held back: of the definition listed first, then the newest.
 * 2. `keepLastPlayable`: when the video has a playable stream and the selection would leave it none, one is
 *    held back: the highest definition (in the order of `DEFINITIONS_BEST_FIRST`: OD, 4K, 2K, HD, SD, LD, FD,
 *    AUTO, HQ, SQ), then the newest.
 *
 * Both guards keep one stream, the least that meets them, since everything the rule matched was meant to go.
 * Ties after "newest" (or with no creation time) go to the smallest job ID, so the same streams always give the
 * same answer. A video with no playable stream (only `Invisible` ones) has nothing for a guard to keep.
 */
export function selectStreams(
  rule: Pick<SelectionRule, 'streams' | 'guards'>,
  streams: readonly StreamInfo[],
): StreamSelection {
  let selected = streams.filter((stream) => matchesCriteria(rule.streams, stream));
  const held: HeldStream[] = [];
  for (const guard of GUARDS) {
    const left = streams.filter((stream) => !selected.includes(stream));
    if (!breaks(guard, rule.guards, streams, left)) continue;
    const [keep] = selected
      .filter(protectedBy(guard, rule.guards, streams))
      .sort(preference(guard, rule.guards));
    if (keep === undefined) continue;
    selected = selected.filter((stream) => stream !== keep);
    held.push({ stream: keep, guard });
  }
  return { selected, held };
}

export type ItemCheck = { safe: true } | { safe: false; reason: string };

/**
 * Whether an item planned earlier may still be executed, given the video's streams read just now: every job ID
 * must still exist, and deleting them now must break no guard (another deletion, or a re-transcode, may have
 * changed the video since the plan). The reason is a sentence for the person reading the campaign's report.
 */
export function checkItemStillSafe(
  guards: Guards,
  jobIds: readonly string[],
  currentStreams: readonly StreamInfo[],
): ItemCheck {
  const deleting = new Set(jobIds.map((id) => id.toLowerCase()));
  const existing = new Set(currentStreams.map((stream) => stream.jobId.toLowerCase()));
  const gone = [...deleting].filter((id) => !existing.has(id));
  if (gone.length > 0) {
    const what =
      gone.length === 1
        ? `Stream ${gone[0]} no longer exists`
        : `Streams ${joinWords(gone, 'and')} no longer exist`;
    return { safe: false, reason: `${what}: the video changed since the plan, so this item was skipped.` };
  }
  const left = currentStreams.filter((stream) => !deleting.has(stream.jobId.toLowerCase()));
  const broken = GUARDS.find((guard) => breaks(guard, guards, currentStreams, left));
  if (broken === undefined) return { safe: true };
  const loss =
    broken === 'keep_definition'
      ? `no playable ${joinWords(guards.keepDefinitions ?? [], 'or')} stream`
      : 'no playable stream';
  return {
    safe: false,
    reason: `Deleting these streams now would leave the video ${loss}, which the rule's guard forbids: the video changed since the plan, so this item was skipped.`,
  };
}

/** One DeleteStream call of a campaign: up to 20 streams of one video. */
export interface PlannedItem {
  videoId: VideoId;
  jobIds: string[];
  /** The streams' bytes, counting a stream whose size Alibaba did not give as 0. */
  bytes: number;
  streams: ItemStream[];
}

export interface ItemStream {
  jobId: string;
  definition: string;
  format: string;
  sizeBytes?: number;
}

/**
 * A video's selected streams as items of at most `maxJobIds` (DeleteStream's limit, 20) job IDs, ordered by job
 * ID, so the same selection always makes the same items whatever order GetPlayInfo listed the streams in.
 */
export function itemsFor(
  videoId: VideoId,
  selected: readonly StreamInfo[],
  maxJobIds: number = MAX_JOB_IDS,
): PlannedItem[] {
  if (!Number.isInteger(maxJobIds) || maxJobIds < 1 || maxJobIds > MAX_JOB_IDS) {
    throw new RangeError(`maxJobIds must be a whole number from 1 to ${MAX_JOB_IDS}, not ${maxJobIds}.`);
  }
  const streams = [...new Map(selected.map((stream) => [stream.jobId, stream])).values()].sort((a, b) =>
    compareText(a.jobId, b.jobId),
  );
  const items: PlannedItem[] = [];
  for (let start = 0; start < streams.length; start += maxJobIds) {
    const chunk = streams.slice(start, start + maxJobIds);
    items.push({
      videoId,
      jobIds: chunk.map((stream) => stream.jobId),
      bytes: chunk.reduce((sum, stream) => sum + (stream.sizeBytes ?? 0), 0),
      streams: chunk.map((stream) => ({
        jobId: stream.jobId,
        definition: stream.definition,
        format: stream.format,
        ...(stream.sizeBytes === undefined ? {} : { sizeBytes: stream.sizeBytes }),
      })),
    });
  }
  return items;
}

/** Whether going from `before` to `after` takes away the last stream `guard` protects. */
function breaks(guard: Guard, guards: Guards, before: readonly StreamInfo[], after: readonly StreamInfo[]) {
  const active = guard === 'last_playable' ? guards.keepLastPlayable : guards.keepDefinitions !== undefined;
  const kept = protectedBy(guard, guards, before);
  return active && before.some(kept) && !after.some(kept);
}

/**
 * What `guard` keeps one of, on a video whose streams are `video`. A video that has a playable video stream keeps
 * one: an audio rendition beside it does not make it watchable. Audio-only media keep a playable audio stream.
 */
function protectedBy(
  guard: Guard,
  guards: Guards,
  video: readonly StreamInfo[],
): (stream: StreamInfo) => boolean {
  if (guard === 'last_playable') {
    const watchable = (stream: StreamInfo) => isPlayable(stream) && stream.streamType !== 'audio';
    return video.some(watchable) ? watchable : isPlayable;
  }
  const definitions = guards.keepDefinitions ?? [];
  return (stream) => isPlayable(stream) && has(definitions, definitionOf(stream));
}

/** Best first: by the guard's order of definitions, then newest, then smallest job ID. */
function preference(guard: Guard, guards: Guards): (a: StreamInfo, b: StreamInfo) => number {
  const order = guard === 'last_playable' ? DEFINITIONS_BEST_FIRST : (guards.keepDefinitions ?? []);
  const rank = (stream: StreamInfo) => {
    const definition = definitionOf(stream);
    const index = definition === undefined ? -1 : order.indexOf(definition);
    return index === -1 ? order.length : index;
  };
  const age = (stream: StreamInfo) => -(streamCreatedAt(stream) ?? Number.NEGATIVE_INFINITY);
  return (a, b) => rank(a) - rank(b) || age(a) - age(b) || compareText(a.jobId, b.jobId);
}

function has<T>(values: readonly T[], value: T | undefined): boolean {
  return value !== undefined && values.includes(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
