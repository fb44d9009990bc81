import type { StreamInfo } from '../vod/vod-api.js';

/**
 * The values ApsaraVideo VOD documents for a stream, which a selection rule may name. A rule is checked against
 * these lists, so a typo ("HD2", "mp5") is refused instead of quietly selecting nothing.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-getplayinfo
 */

/** Video definitions FD-4K (OD is the source's own resolution), AUTO (adaptive), and audio qualities SQ, HQ. */
export const DEFINITIONS = ['FD', 'LD', 'SD', 'HD', 'OD', '2K', '4K', 'SQ', 'HQ', 'AUTO'] as const;
export type Definition = (typeof DEFINITIONS)[number];

export const FORMATS = ['mp4', 'm3u8', 'mp3', 'flv', 'mpd', 'm4a'] as const;
export type StreamFormat = (typeof FORMATS)[number];

/** `Normal` streams play; `Invisible` ones do not (an older stream of the same definition and format, or blocked). */
export const STREAM_STATUSES = ['Normal', 'Invisible'] as const;
export type StreamStatus = (typeof STREAM_STATUSES)[number];

export const STREAM_TYPES = ['video', 'audio'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

/**
 * Definitions from the one worth keeping most to the least, for the guard that keeps a video playable. OD comes
 * first: it is the source's own resolution, which no other stream of the video exceeds. Then the fixed video
 * definitions by resolution, then AUTO (an adaptive package: GetPlayInfo does not say which renditions it
 * holds), then the audio qualities. A definition Alibaba does not document ranks last.
 */
export const DEFINITIONS_BEST_FIRST: readonly Definition[] = [
  'OD',
  '4K',
  '2K',
  'HD',
  'SD',
  'LD',
  'FD',
  'AUTO',
  'HQ',
  'SQ',
];

/** `values`' own spelling of `raw`, compared without case and surrounding white space; undefined if none. */
export function documentedValue<T extends string>(values: readonly T[], raw: string): T | undefined {
  const key = raw.trim().toLowerCase();
  return values.find((value) => value.toLowerCase() === key);
}

/** A stream's definition in Alibaba's spelling, or undefined for one Alibaba does not document. */
export function definitionOf(stream: StreamInfo): Definition | undefined {
  return documentedValue(DEFINITIONS, stream.definition);
}

/** Whether the stream plays: its status is `Normal`. */
export function isPlayable(stream: StreamInfo): boolean {
  return documentedValue(STREAM_STATUSES, stream.status) === 'Normal';
}

/** The stream's creation time in ms since the epoch; undefined when Alibaba gave none or one that is no date. */
export function streamCreatedAt(stream: StreamInfo): number | undefined {
  const at = stream.creationTime === undefined ? Number.NaN : Date.parse(stream.creationTime);
  return Number.isNaN(at) ? undefined : at;
}
