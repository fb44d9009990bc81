import { AppError } from '../errors.js';

/**
 * Input rules shared by every front end. They run before any network call, so a refusal
 * means nothing was sent. Each refusal says what was wrong and what to type instead.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-deletestream
 */

/** A VideoId as {@link parseVideoId} makes it: 32 lower-case hexadecimal characters. */
export type VideoId = string & { readonly __brand: 'VideoId' };
/** A job ID (one transcoded stream) as {@link parseJobIds} makes it: 32 lower-case hexadecimal characters. */
export type JobId = string & { readonly __brand: 'JobId' };
/**
 * 1 to {@link MAX_JOB_IDS} distinct job IDs of one video, in the order given, as {@link parseJobIds} makes them.
 * What takes a `JobIds` (the VOD port, the workflow) relies on that and checks nothing again.
 */
export type JobIds = readonly JobId[] & { readonly __brand: 'JobIds' };

/** DeleteStream accepts at most this many job IDs for one video (Alibaba's `JobIdsExceededMax`). */
export const MAX_JOB_IDS = 20;

const HEX32 = /^[0-9a-f]{32}$/i;
const EMPTY_ARGUMENT = '\u0000';
const EXAMPLE_ID = '95948ddba24446b6aed5db985e78a1b2';

/**
 * Validates a VideoId: 32 hexadecimal characters. Surrounding white space is ignored and the id is returned
 * in lower case, Alibaba's form, so what is previewed is byte for byte what is deleted.
 */
export function parseVideoId(raw: string | undefined): VideoId {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '') {
    throw invalid(`A VideoId is required: 32 hexadecimal characters, e.g. ${EXAMPLE_ID}.`, 'videoId');
  }
  if (!HEX32.test(value)) {
    throw invalid(
      `"${clip(value)}" is not a VideoId: a VideoId is 32 hexadecimal characters (0-9, a-f), e.g. ${EXAMPLE_ID}; ` +
        'copy it from the VOD console or from `vod-ops streams`.',
      'videoId',
    );
  }
  return value as VideoId;
}

/**
 * Parses job IDs given as one string or several, each comma- or space-separated. Empty items (",,", a
 * trailing comma, an empty argument) and duplicates are refused with their positions rather than silently
 * dropped, so what the user typed is exactly what is deleted. Returns 1 to {@link MAX_JOB_IDS} distinct
 * 32-hex job IDs, lower-cased, in the order given.
 */
export function parseJobIds(raw: string | readonly string[] | undefined): JobIds {
  const chunks = typeof raw === 'string' ? [raw] : (raw ?? []);
  // An empty argument (an unset shell variable) is an empty item, not nothing: mark it before joining.
  const text = chunks.map((chunk) => (chunk.trim() === '' ? EMPTY_ARGUMENT : chunk)).join(' ');
  const items =
    chunks.length <= 1 && (chunks[0] ?? '').trim() === ''
      ? []
      : splitItems(text).map((i) => (i === EMPTY_ARGUMENT ? '' : i));
  if (items.length === 0) {
    throw invalid(
      'At least one job ID is required: 32 hexadecimal characters each, separated by commas or spaces. ' +
        'List the job IDs of a video with `vod-ops streams <VideoId>`.',
      'jobIds',
    );
  }
  const problems: string[] = [];
  const emptyAt = items.flatMap((item, index) => (item === '' ? [index + 1] : []));
  if (emptyAt.length > 0) {
    problems.push(
      `empty item at position ${emptyAt.join(', ')} (a doubled or trailing comma, or an empty argument: ` +
        'was a job ID lost while pasting?)',
    );
  }
  const malformed = items.filter((item) => item !== '' && !HEX32.test(item));
  if (malformed.length > 0) {
    problems.push(
      `${malformed.map((m) => `"${clip(m)}"`).join(', ')} ${malformed.length === 1 ? 'is' : 'are'} not ` +
        "a job ID (32 hexadecimal characters; list the video's streams to copy them)",
    );
  }
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const item of items) {
    if (item === '') continue;
    const key = item.toLowerCase();
    if (seen.has(key)) duplicates.add(item);
    seen.add(key);
  }
  if (duplicates.size > 0) {
    problems.push(`duplicate job ID ${[...duplicates].join(', ')} (give each job ID once)`);
  }
  if (problems.length > 0) {
    throw invalid(`Job IDs not accepted: ${problems.join('; ')}. Nothing was sent.`, 'jobIds');
  }
  if (items.length > MAX_JOB_IDS) {
    throw invalid(
      `${items.length} job IDs given, but DeleteStream accepts at most ${MAX_JOB_IDS} per video ` +
        `(Alibaba's JobIdsExceededMax). Split them into requests of ${MAX_JOB_IDS} or fewer. Nothing was sent.`,
      'jobIds',
    );
  }
  return items.map((item) => item.toLowerCase()) as readonly string[] as JobIds;
}

/**
 * Commas separate items and white space around them is noise; white space alone also separates. So
 * "a,b", "a, b" and "a b" are the same two items, while "a,,b" and "a,b," hold an empty item: a lost paste,
 * which is refused rather than guessed at.
 */
function splitItems(text: string): string[] {
  return text
    .split(',')
    .map((piece) => piece.trim())
    .flatMap((piece) => (piece === '' ? [''] : piece.split(/\s+/)));
}

function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 37)}...` : value;
}

function invalid(message: string, field: string): AppError {
  return new AppError('INVALID_INPUT', message, { detail: { field } });
}
