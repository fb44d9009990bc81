import { searchMatchFor } from '../campaigns/match-expression.js';
import type { SelectionRule } from '../campaigns/selection-rule.js';
import { AppError } from '../errors.js';
import { parseVideoId, type VideoId } from '../vod/input-rules.js';
import type { StreamInfo, VodReader } from '../vod/vod-api.js';

/** One video of the walk: its streams, or why they could not be read. */
export type WalkedVideo =
  | { videoId: VideoId; creationTime?: string; streams: StreamInfo[] }
  | { videoId: VideoId; creationTime?: string; unreadable: string };

/** Where a walk stands, so that an interrupted one continues where it stopped. */
export interface WalkPosition {
  /**
   * A search: which media it is walking (videos, then audio), the creation time of the last one walked, and those
   * walked at that very instant.
   */
  resumeFrom?: ResumePoint;
  /** An explicit list: how many of its videos are walked. */
  videosDone?: number;
}

export interface ResumePoint {
  mediaType: MediaType;
  creationTime?: string;
  videoIds: string[];
}

/** SearchMedia lists video and audio apart; both have streams. */
type MediaType = 'video' | 'audio';
const MEDIA_TYPES: readonly MediaType[] = ['video', 'audio'];

export interface WalkPage {
  videos: WalkedVideo[];
  /** The position after this page. */
  position: WalkPosition;
}

/** SearchMedia's largest page. */
const PAGE_SIZE = 100;
/**
 * GetPlayInfo calls in flight at once. The rate budget (340/s, shared by the account) does the pacing; this only
 * has to cover Alibaba's latency: at 50 ms an answer, 340/s needs 17 in flight.
 */
const READS_IN_FLIGHT = 32;
/** A search started again this many times without walking a new video has stopped making progress. */
const MAX_RESTARTS_WITHOUT_PROGRESS = 3;

/**
 * Walks the videos a rule selects from, a page at a time, with each video's streams (GetPlayInfo,
 * `ResultType=Multiple`), from `position` on.
 *
 * A search walks SearchMedia's videos, then its audio (listed apart; both have streams), each oldest first, one
 * page after another with the newest scroll token, which is how
 * Alibaba lets a walk pass its first 5,000 hits. When a token expires (or an answer carries none), the search
 * starts again at page 1 narrowed to videos created from the last one walked, skipping the ones already walked at
 * that instant: the same move resumes an interrupted plan, since no token outlives its process.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-searchmedia
 */
export async function* walkLibrary(
  vod: VodReader,
  rule: SelectionRule,
  from: WalkPosition,
): AsyncGenerator<WalkPage> {
  if (rule.videoIds) {
    yield* walkList(vod, rule.videoIds, from.videosDone ?? 0);
    return;
  }
  const first = MEDIA_TYPES.indexOf(from.resumeFrom?.mediaType ?? 'video');
  for (const mediaType of MEDIA_TYPES.slice(first)) {
    const start: ResumePoint =
      from.resumeFrom?.mediaType === mediaType ? from.resumeFrom : { mediaType, videoIds: [] };
    yield* walkSearch(vod, rule, start);
  }
}

/** One media type's search, from `start` on. */
async function* walkSearch(
  vod: VodReader,
  rule: SelectionRule,
  start: ResumePoint,
): AsyncGenerator<WalkPage> {
  const { mediaType } = start;
  let position = start;
  let restarts = 0;
  let pageNo = 1;
  let scrollToken: string | undefined;
  let match = searchMatchFor(narrowed(rule, position));
  for (;;) {
    let page: Awaited<ReturnType<VodReader['searchMedia']>>;
    try {
      page = await vod.searchMedia({
        mediaType,
        ...(match === undefined ? {} : { match }),
        sortBy: 'CreationTime:Asc',
        pageNo,
        pageSize: PAGE_SIZE,
        ...(scrollToken === undefined ? {} : { scrollToken }),
      });
    } catch (error) {
      if (!isScrollTokenRefusal(error) || restarts >= MAX_RESTARTS_WITHOUT_PROGRESS) throw error;
      restarts += 1;
      ({ pageNo, scrollToken, match } = restartAt(rule, position));
      continue;
    }
    assertWalkable(page);
    const fresh = page.videos.filter((video) => !walkedAlready(video, position));
    if (fresh.length > 0) {
      restarts = 0;
      const videos = await readStreams(
        vod,
        fresh.map((video) => ({ videoId: parseVideoId(video.videoId), creationTime: video.creationTime })),
      );
      position = advance(position, videos);
      yield { videos, position: { resumeFrom: position } };
    }
    if (page.listed < PAGE_SIZE) return;
    if (page.scrollToken === undefined) {
      // Without a token Alibaba answers only the first 5,000 hits: go on from the last one walked.
      if (fresh.length === 0 && ++restarts > MAX_RESTARTS_WITHOUT_PROGRESS) {
        throw new AppError(
          'UPSTREAM_UNAVAILABLE',
          'The library search stopped making progress: Alibaba Cloud answered the same videos again without a ' +
            'scroll token. Resume the plan later.',
        );
      }
      ({ pageNo, scrollToken, match } = restartAt(rule, position));
      continue;
    }
    scrollToken = page.scrollToken;
    pageNo += 1;
  }
}

async function* walkList(
  vod: VodReader,
  videoIds: readonly VideoId[],
  done: number,
): AsyncGenerator<WalkPage> {
  for (let start = done; start < videoIds.length; start += PAGE_SIZE) {
    const slice = videoIds.slice(start, start + PAGE_SIZE).map((videoId) => ({ videoId }));
    const videos = await readStreams(vod, slice);
    yield { videos, position: { videosDone: start + slice.length } };
  }
}

/** Each video's streams, `READS_IN_FLIGHT` at a time, in the order given. */
async function readStreams(
  vod: VodReader,
  videos: ReadonlyArray<{ videoId: VideoId; creationTime?: string }>,
): Promise<WalkedVideo[]> {
  const walked: WalkedVideo[] = new Array(videos.length);
  let next = 0;
  const worker = async () => {
    while (next < videos.length) {
      const index = next++;
      const video = videos[index];
      if (video === undefined) return;
      const base = {
        videoId: video.videoId,
        ...(video.creationTime === undefined ? {} : { creationTime: video.creationTime }),
      };
      try {
        walked[index] = { ...base, streams: (await vod.getPlayInfo(video.videoId)).streams };
      } catch (error) {
        const reason = unreadableReason(error);
        if (reason === undefined) throw error;
        walked[index] = { ...base, unreadable: reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READS_IN_FLIGHT, videos.length) }, worker));
  return walked;
}

/**
 * Why a video's streams cannot be read, when that is the video's own state (a status other than Normal, gone
 * since it was listed, or refused for this one video); undefined for a failure of the service, which stops the plan.
 */
function unreadableReason(error: unknown): string | undefined {
  if (!(error instanceof AppError)) return undefined;
  return VIDEO_STATE_CODES.has(String(error.detail.vodCode)) ? error.message : undefined;
}

/** Alibaba's answers about one video's own state, as opposed to the account's or the service's. */
const VIDEO_STATE_CODES = new Set(['Forbidden.IllegalStatus', 'InvalidVideo.NotFound']);

/**
 * A walk resumes by creation time, so every entry must be a video with one: a page that is not is refused rather
 * than walked past, which could plan a video twice or miss some.
 */
function assertWalkable(page: Awaited<ReturnType<VodReader['searchMedia']>>): void {
  if (page.videos.length === page.listed && page.videos.every((video) => video.creationTime !== undefined))
    return;
  throw new AppError(
    'UPSTREAM_UNAVAILABLE',
    'SearchMedia answered entries without a VideoId or a creation time (Alibaba RequestId ' +
      `${page.requestId}): the walk cannot go on safely. Resume the plan later; if it recurs, report the RequestId.`,
    { detail: { requestId: page.requestId } },
  );
}

function isScrollTokenRefusal(error: unknown): boolean {
  return error instanceof AppError && String(error.detail.vodCode ?? '').startsWith('InvalidScrollToken');
}

/** The search again from page 1, from the last video walked on. */
function restartAt(rule: SelectionRule, position: ResumePoint) {
  return { pageNo: 1, scrollToken: undefined, match: searchMatchFor(narrowed(rule, position)) };
}

/**
 * The rule narrowed to videos created at or after the last one walked. Creation times are to the second and the
 * rule's bound is exclusive, so the bound is one second earlier; the videos of that second already walked are
 * skipped by their ids.
 */
function narrowed(rule: SelectionRule, position: ResumePoint): SelectionRule {
  if (position.creationTime === undefined) return rule;
  const from = secondBefore(position.creationTime);
  const current = rule.videos?.createdAfter;
  const createdAfter = current !== undefined && current > from ? current : from;
  return { ...rule, videos: { ...rule.videos, createdAfter } };
}

function secondBefore(instant: string): string {
  return new Date(Date.parse(instant) - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function walkedAlready(video: { videoId: string; creationTime?: string }, position: ResumePoint): boolean {
  if (position.creationTime === undefined || video.creationTime === undefined) return false;
  if (video.creationTime < position.creationTime) return true;
  return video.creationTime === position.creationTime && position.videoIds.includes(video.videoId);
}

/** The position after `videos`, walked in creation order. */
function advance(position: ResumePoint, videos: readonly WalkedVideo[]): ResumePoint {
  let next = position;
  for (const video of videos) {
    if (video.creationTime === undefined) continue;
    next =
      next.creationTime === video.creationTime
        ? { ...next, videoIds: [...next.videoIds, video.videoId] }
        : { mediaType: next.mediaType, creationTime: video.creationTime, videoIds: [video.videoId] };
  }
  return next;
}
