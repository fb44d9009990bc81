import type { VideoHead } from './catalogue.js';
import { parseMatch } from './match-expression.js';
import type { ScrollPosition, ScrollTokens } from './scroll-tokens.js';
import { type CreationKey, compareCreation, type VodState } from './video-state.js';
import type { VodActionOutcome } from './vod-actions.js';

/** PageSize is 1-100. */
export const MAX_SEARCH_PAGE_SIZE = 100;
/** Without a ScrollToken only the first 5,000 hits can be reached. */
export const UNSCROLLED_HIT_LIMIT = 5_000;
/**
 * How far past its token's position a page may end, in records. Alibaba's current reference says 100, older ones
 * and the guide 1,200: the emulator holds the client to the reading that is safe under both.
 */
export const SCROLL_WINDOW = 100;

export interface SearchContext {
  readonly requestId: string;
  readonly region: string;
  readonly nowMs: number;
  readonly scrollTokens: ScrollTokens;
}

const SEARCH_TYPES = ['video', 'audio', 'image', 'attached'] as const;
/** The fields answered without being asked for; the others only when `Fields` names them. */
const EXTRA_FIELDS = ['CateId', 'Tags', 'Size', 'Duration', 'StorageLocation', 'StorageClass'] as const;

/**
 * SearchMedia for videos and audio, sorted on CreationTime (ties by VideoId), paged by PageNo/PageSize (1-100).
 * Without a ScrollToken only the first 5,000 hits are reached: later pages are empty, `Total` still counts every hit.
 * Every answer carries a ScrollToken marking where it left the walk; sent with a later page, the page continues
 * after the last hit the token's answer gave, so a walk goes past 5,000 and sees each hit once even while videos
 * change. A token is refused when the page starts before its position or ends more than 100 records after it
 * (`InvalidScrollToken.OutOfRange`), when it belongs to another query (`InvalidScrollToken.QueryMismatch`), and
 * when it is older than the emulator's TTL or unknown (`InvalidScrollToken.Expired`, Alibaba's documented code).
 * The first two codes are the emulator's own: Alibaba documents none for them.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-searchmedia
 */
export function searchMedia(
  state: VodState,
  params: Readonly<Record<string, string>>,
  context: SearchContext,
): VodActionOutcome {
  const searchType = params.SearchType?.trim() || 'video';
  if (!(SEARCH_TYPES as readonly string[]).includes(searchType)) return invalidParameter('SearchType');
  const pageNo = wholeNumber(params.PageNo, 1);
  if (pageNo === undefined || pageNo < 1) return invalidParameter('PageNo');
  const pageSize = wholeNumber(params.PageSize, 10);
  if (pageSize === undefined || pageSize < 1 || pageSize > MAX_SEARCH_PAGE_SIZE)
    return invalidParameter('PageSize');
  const sortBy = (params.SortBy?.trim() || 'CreationTime:Desc').split(',').map((s) => s.trim());
  const scrollToken = params.ScrollToken?.trim() || undefined;
  if (sortBy.length > 1 && (scrollToken !== undefined || sortBy.length > 3)) {
    return refusal(
      400,
      'SortByExceededMax',
      'The SortBy parameter only supports one sort field when traversing all data.',
    );
  }
  const direction = sortBy[0] === 'CreationTime:Asc' ? 1 : sortBy[0] === 'CreationTime:Desc' ? -1 : 0;
  // The emulator sorts on CreationTime only.
  if (direction === 0 || sortBy.length > 1) return invalidParameter('SortBy');
  const matchText = params.Match?.trim() ?? '';
  const match = matchText === '' ? undefined : parseMatch(matchText);
  if (match !== undefined && !match.ok) {
    return refusal(
      400,
      'ErrorMatchSyntax',
      `The parameter Match.${match.fragment} has an error syntax, please check it.`,
    );
  }
  if (searchType !== 'video' && searchType !== 'audio') {
    return { ok: true, body: { RequestId: context.requestId, Total: 0, MediaList: [] } };
  }

  const hits = state.byCreationTime().filter((key) => {
    const head = state.head(key.videoId);
    return head?.mediaType === searchType && (match === undefined || match.matches(head, key.ms));
  });
  if (direction < 0) hits.reverse();
  const before = (a: CreationKey, b: CreationKey) => compareCreation(a, b) * direction < 0;
  const query = `${searchType}\n${sortBy[0]}\n${matchText}`;
  const start = (pageNo - 1) * pageSize;

  let page: CreationKey[];
  let after: CreationKey | undefined;
  if (scrollToken === undefined) {
    const reachable = Math.min(hits.length, UNSCROLLED_HIT_LIMIT);
    const from = Math.min(start, reachable);
    page = hits.slice(from, Math.min(start + pageSize, reachable));
    after = hits[from - 1];
  } else {
    const marked = context.scrollTokens.redeem(scrollToken, context.nowMs);
    if (marked === 'expired') {
      return refusal(400, 'InvalidScrollToken.Expired', 'The ScrollToken is expired, please refresh it.');
    }
    if (marked.query !== query) {
      return refusal(400, 'InvalidScrollToken.QueryMismatch', 'The ScrollToken belongs to another query.');
    }
    const offset = start - marked.end;
    if (offset < 0 || offset + pageSize > SCROLL_WINDOW) {
      return refusal(
        400,
        'InvalidScrollToken.OutOfRange',
        `With a ScrollToken, a page must start at or after the token's position and end at most ${SCROLL_WINDOW} records after it.`,
      );
    }
    const first = marked.after === undefined ? 0 : firstIndexAfter(hits, marked.after, before);
    page = hits.slice(first + offset, first + offset + pageSize);
    after = marked.after;
  }
  const position: ScrollPosition = { query, end: start + pageSize, after: page.at(-1) ?? after };
  const fields = new Set((params.Fields ?? '').split(',').map((f) => f.trim()));
  return {
    ok: true,
    body: {
      RequestId: context.requestId,
      Total: hits.length,
      ScrollToken: context.scrollTokens.issue(position, context.nowMs),
      MediaList: page.flatMap((key) => {
        const head = state.head(key.videoId);
        return head === undefined ? [] : [mediaOf(head, fields, context.region)];
      }),
    },
  };
}

/** The index of the first hit that comes after `key` in the walk's order (binary search). */
function firstIndexAfter(
  hits: readonly CreationKey[],
  key: CreationKey,
  before: (a: CreationKey, b: CreationKey) => boolean,
): number {
  let low = 0;
  let high = hits.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const hit = hits[mid] as CreationKey;
    if (before(key, hit)) high = mid;
    else low = mid + 1;
  }
  return low;
}

function mediaOf(video: VideoHead, fields: ReadonlySet<string>, region: string): Record<string, unknown> {
  const audio = video.mediaType === 'audio';
  const extra: Record<(typeof EXTRA_FIELDS)[number], unknown> = {
    CateId: video.cateId,
    Tags: video.tags && video.tags.length > 0 ? video.tags.join(',') : undefined,
    Size: video.size,
    Duration: video.duration,
    StorageLocation: `outin-demo.oss-${region}.aliyuncs.com`,
    StorageClass: video.storageClass,
  };
  const asset: Record<string, unknown> = {
    [audio ? 'AudioId' : 'VideoId']: video.videoId,
    Title: video.title,
    Status: video.status,
    CreationTime: video.creationTime,
    CoverURL: video.coverUrl,
  };
  for (const field of EXTRA_FIELDS) {
    if (fields.has(field) && extra[field] !== undefined) asset[field] = extra[field];
  }
  return {
    MediaId: video.videoId,
    MediaType: video.mediaType,
    CreationTime: video.creationTime,
    [audio ? 'Audio' : 'Video']: asset,
  };
}

function wholeNumber(value: string | undefined, fallback: number): number | undefined {
  const text = value?.trim() ?? '';
  if (text === '') return fallback;
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

function invalidParameter(name: string): VodActionOutcome {
  return refusal(400, 'InvalidParameter', `The specified parameter ${name} is not valid.`);
}

function refusal(httpStatus: number, code: string, message: string): VodActionOutcome {
  return { ok: false, error: { httpStatus, code, message } };
}
