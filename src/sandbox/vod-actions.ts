import type { EmulatorStream, EmulatorVideo } from './catalogue.js';
import type { ScrollTokens } from './scroll-tokens.js';
import { searchMedia } from './search-media.js';
import type { VodState } from './video-state.js';

export const VOD_API_VERSION = '2017-03-21';

export const VOD_ACTIONS = ['DeleteStream', 'GetPlayInfo', 'GetVideoInfo', 'SearchMedia'] as const;
export type VodActionName = (typeof VOD_ACTIONS)[number];

/** DeleteStream accepts at most 20 job IDs for one video. */
export const MAX_JOB_IDS = 20;

/** An error as Alibaba reports it, before the emulator wraps it with RequestId, HostId and Recommend. */
export interface VodActionError {
  readonly httpStatus: number;
  readonly code: string;
  readonly message: string;
}

export type VodActionOutcome =
  | { readonly ok: true; readonly body: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly error: VodActionError };

export interface VodActionContext {
  readonly requestId: string;
  /** Region of the emulated endpoint, used in play URLs. */
  readonly region: string;
  /** The emulator's clock at arrival, in ms. */
  readonly nowMs: number;
  /** The ScrollTokens SearchMedia has handed out. */
  readonly scrollTokens: ScrollTokens;
}

export function isVodAction(name: string): name is VodActionName {
  return (VOD_ACTIONS as readonly string[]).includes(name);
}

/** Runs one VOD action over the state with the decoded query parameters. */
export function runVodAction(
  action: VodActionName,
  state: VodState,
  params: Readonly<Record<string, string>>,
  context: VodActionContext,
): VodActionOutcome {
  switch (action) {
    case 'DeleteStream':
      return deleteStream(state, params, context);
    case 'GetPlayInfo':
      return getPlayInfo(state, params, context);
    case 'GetVideoInfo':
      return getVideoInfo(state, params, context);
    case 'SearchMedia':
      return searchMedia(state, params, context);
  }
}

/**
 * DeleteStream: removes the streams named by `JobIds` (comma-separated, at most 20) from video `VideoId`.
 * All job IDs are validated before anything is removed, so a list with one unknown ID deletes nothing
 * (`InvalidStream.NotFound`); that is also what a retry of an already-applied deletion sees.
 *
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-deletestream
 */
export function deleteStream(
  state: VodState,
  params: Readonly<Record<string, string>>,
  context: VodActionContext,
): VodActionOutcome {
  const videoId = params.VideoId?.trim() ?? '';
  if (videoId === '') return failure(400, 'MissingVideoId', 'VideoId is mandatory for this action.');
  const jobIds = splitList(params.JobIds);
  if (jobIds.length === 0) return failure(400, 'MissingJobIds', 'JobIds is mandatory for this action.');
  if (jobIds.length > MAX_JOB_IDS) {
    return failure(400, 'JobIdsExceededMax', `The number of JobIds exceeds the maximum of ${MAX_JOB_IDS}.`);
  }
  const video = state.get(videoId);
  if (video === undefined) return failure(404, 'InvalidVideo.NotFound', 'The video does not exist.');
  const existing = new Set(video.streams.map((s) => s.jobId));
  const missing = jobIds.find((jobId) => !existing.has(jobId));
  if (missing !== undefined) {
    return failure(404, 'InvalidStream.NotFound', `The media stream does not exist: ${missing}.`);
  }
  const doomed = new Set(jobIds);
  state.set(videoId, { ...video, streams: video.streams.filter((s) => !doomed.has(s.jobId)) });
  return { ok: true, body: { RequestId: context.requestId } };
}

/**
 * GetPlayInfo: the playable streams of a Normal video. `ResultType=Single` (the default) keeps only the newest
 * stream per definition and format; `Multiple` lists every stream, which is how stale re-transcodes are found.
 * Optional `Formats`, `Definition` (comma lists) and `StreamType` filter first.
 *
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-getplayinfo
 */
export function getPlayInfo(
  state: VodState,
  params: Readonly<Record<string, string>>,
  context: VodActionContext,
): VodActionOutcome {
  const videoId = params.VideoId?.trim() ?? '';
  if (videoId === '') return failure(400, 'MissingVideoId', 'VideoId is mandatory for this action.');
  const resultType = params.ResultType?.trim() || 'Single';
  if (resultType !== 'Single' && resultType !== 'Multiple') {
    return failure(400, 'InvalidParameter', 'The specified parameter ResultType is not valid.');
  }
  const video = state.get(videoId);
  if (video === undefined) return failure(404, 'InvalidVideo.NotFound', 'The video does not exist.');
  if (video.status !== 'Normal')
    return failure(403, 'Forbidden.IllegalStatus', 'Status of the video is illegal.');

  const formats = new Set(splitList(params.Formats).map((f) => f.toLowerCase()));
  const definitions = new Set(splitList(params.Definition).map((d) => d.toUpperCase()));
  const streamType = params.StreamType?.trim().toLowerCase() ?? '';
  const matching = video.streams.filter(
    (s) =>
      (formats.size === 0 || formats.has(s.format)) &&
      (definitions.size === 0 || definitions.has(s.definition)) &&
      (streamType === '' || s.streamType === streamType),
  );
  const listed = resultType === 'Multiple' ? matching : newestPerDefinitionAndFormat(matching);
  if (listed.length === 0) {
    return failure(404, 'InvalidVideo.NoneStream', 'The video has no stream that can be played.');
  }
  return {
    ok: true,
    body: {
      RequestId: context.requestId,
      VideoBase: {
        VideoId: video.videoId,
        Title: video.title,
        Status: video.status,
        MediaType: video.mediaType,
        Duration: String(video.duration),
        CoverURL: video.coverUrl,
        CreationTime: video.creationTime,
        StorageClass: video.storageClass,
        OutputType: 'oss',
      },
      PlayInfoList: { PlayInfo: listed.map((s) => playInfo(video, s, context.region)) },
    },
  };
}

/**
 * GetVideoInfo: the video's metadata (title, status, duration, source size), for a human-readable preview.
 *
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-getvideoinfo
 */
export function getVideoInfo(
  state: VodState,
  params: Readonly<Record<string, string>>,
  context: VodActionContext,
): VodActionOutcome {
  const videoId = params.VideoId?.trim() ?? '';
  if (videoId === '') return failure(400, 'MissingVideoId', 'VideoId is mandatory for this action.');
  const video = state.get(videoId);
  if (video === undefined) return failure(404, 'InvalidVideo.NotFound', 'The video does not exist.');
  return {
    ok: true,
    body: {
      RequestId: context.requestId,
      Video: {
        VideoId: video.videoId,
        Title: video.title,
        Status: video.status,
        MediaType: video.mediaType,
        Duration: video.duration,
        Size: video.size,
        StorageClass: video.storageClass,
        CoverURL: video.coverUrl,
        CreateTime: video.creationTime.replace('T', ' ').replace('Z', ''),
        CreationTime: video.creationTime,
        RegionId: context.region,
        StorageLocation: storageHost(context.region),
      },
    },
  };
}

function playInfo(video: EmulatorVideo, s: EmulatorStream, region: string): Record<string, unknown> {
  return {
    JobId: s.jobId,
    Definition: s.definition,
    Format: s.format,
    StreamType: s.streamType,
    Status: s.status,
    Bitrate: s.bitrate,
    Size: s.size,
    Duration: String(s.duration),
    Width: s.width,
    Height: s.height,
    Fps: String(s.fps),
    Encrypt: s.encrypt,
    PlayURL: `https://${storageHost(region)}/${video.videoId}/${s.jobId}.${s.format}`,
    Specification: `${s.streamType === 'audio' ? 'AAC' : 'H264'}.${s.definition}`,
    CreationTime: s.creationTime,
    ModificationTime: s.modificationTime,
  };
}

function newestPerDefinitionAndFormat(streams: readonly EmulatorStream[]): EmulatorStream[] {
  const newest = new Map<string, EmulatorStream>();
  for (const s of streams) {
    const key = `${s.definition}/${s.format}`;
    const current = newest.get(key);
    if (current === undefined || Date.parse(s.creationTime) > Date.parse(current.creationTime))
      newest.set(key, s);
  }
  const kept = new Set(newest.values());
  return streams.filter((s) => kept.has(s));
}

function storageHost(region: string): string {
  return `outin-demo.oss-${region}.aliyuncs.com`;
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function failure(httpStatus: number, code: string, message: string): VodActionOutcome {
  return { ok: false, error: { httpStatus, code, message } };
}
