import type { JobIds, VideoId } from './input-rules.js';

/**
 * The port to ApsaraVideo VOD: the operations vod-ops needs, in the product's own vocabulary.
 * `AlibabaVod` (alibaba-vod.ts) is the adapter over Alibaba's engine. Ids arrive parsed (`VideoId`, `JobIds`:
 * only the input rules make them), so no method checks them again; each throws `AppError` for failures of the
 * service, with Alibaba's RequestId.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-deletestream
 */
export interface VodApi {
  /**
   * DeleteStream: irreversibly deletes the streams (and their files) of `jobIds` (1-20) of one video. With
   * `priorAttemptMayHaveApplied` (resuming an execution a dead process may have sent), an
   * `InvalidStream.NotFound` on the first attempt is also checked and counted as already deleted.
   */
  deleteStream(
    videoId: VideoId,
    jobIds: JobIds,
    options?: { priorAttemptMayHaveApplied?: boolean },
  ): Promise<DeleteStreamOutcome>;
  /** GetPlayInfo with `ResultType=Multiple`, so every job ID is seen, including stale re-transcodes. */
  getPlayInfo(videoId: VideoId): Promise<PlayInfo>;
  /** GetVideoInfo: the video's title, status and source size, which GetPlayInfo cannot give for every status. */
  getVideoInfo(videoId: VideoId): Promise<VideoDetails>;
  /**
   * SearchMedia: one page of the library, with the token for the next. A walk asks page 1 without a token, then
   * each next page (`pageNo` + 1) with the newest token, which is the one way past the first 5,000 hits and the
   * way that is safe under every documented scroll window. A token that expired (`InvalidScrollToken.Expired`)
   * throws: the walk starts again at page 1.
   */
  searchMedia(search: MediaSearch): Promise<MediaSearchPage>;
}

/** The reads alone: what front ends may be handed, so that no front end can call DeleteStream itself. */
export type VodReader = Pick<VodApi, 'getPlayInfo' | 'getVideoInfo' | 'searchMedia'>;

export interface DeleteStreamOutcome {
  /** Alibaba's RequestId of the call that settled the outcome (the last attempt). */
  requestId: string;
  /** RequestIds of every attempt, oldest first, for support tickets about retried calls. */
  requestIds: string[];
  attempts: number;
  /**
   * True when an attempt may have succeeded without us hearing back (a timeout, a reset, a 5xx), the call then
   * failed (most often a retry answering `InvalidStream.NotFound`), and a check showed none of the job IDs remain.
   */
  alreadyDeleted: boolean;
  /** With `alreadyDeleted`: Alibaba's RequestId of the GetPlayInfo that showed the streams gone. */
  checkRequestId?: string;
}

export interface VideoDetails {
  requestId: string;
  videoId: string;
  title: string;
  /** VOD video status, e.g. `Normal`, `Transcoding`, `Blocked`. */
  status: string;
  mediaType?: string;
  durationSeconds?: number;
  /** Size in bytes of the source (mezzanine) file, which DeleteStream never touches. */
  sourceSizeBytes?: number;
  storageClass?: string;
  creationTime?: string;
}

export interface PlayInfo {
  requestId: string;
  /** Empty when the video has no transcoded stream (Alibaba's `InvalidVideo.NoneStream`). */
  streams: StreamInfo[];
}

/** One transcoded stream. Deliberately holds no PlayURL: signed play URLs are credentials of a kind. */
export interface StreamInfo {
  jobId: string;
  /** FD, LD, SD, HD, OD, 2K, 4K, SQ, HQ, AUTO. */
  definition: string;
  /** mp4, m3u8, mp3, flv, mpd... */
  format: string;
  streamType: string;
  status: string;
  bitrateKbps?: number;
  sizeBytes?: number;
  durationSeconds?: number;
  width?: number;
  height?: number;
  fps?: number;
  encrypted: boolean;
  creationTime?: string;
}

/**
 * One page of SearchMedia (video search). Pages are read one at a time: `pageNo` 1 without a token, then each
 * next page with the token the previous answer returned, which is how Alibaba lets a walk pass the first 5,000
 * hits (without a token only those are answered).
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-searchmedia
 */
export interface MediaSearch {
  /**
   * What to search (`SearchType`): `video`, the default, or `audio`. Alibaba lists audio assets apart (an `Audio`
   * with an `AudioId`), so a walk of every asset searches both.
   */
  mediaType?: 'video' | 'audio';
  /** SearchMedia's `Match` expression (see `match-expression.ts`); absent: every video. */
  match?: string;
  /** Sort on one field for a full walk; default `CreationTime:Asc`, so uploads made during a walk come last. */
  sortBy?: 'CreationTime:Asc' | 'CreationTime:Desc';
  /** The previous page's `scrollToken`; absent for page 1. */
  scrollToken?: string;
  pageNo: number;
  /** 1-100. */
  pageSize: number;
}

export interface MediaSearchPage {
  requestId: string;
  /** Entries Alibaba listed on this page, whether or not each could be read as a video. */
  listed: number;
  /** Hits in all, as Alibaba counts them. */
  total: number;
  /** Marks this page's position: send it with the next page. Absent when Alibaba sends none. */
  scrollToken?: string;
  videos: LibraryVideo[];
}

/** A video as SearchMedia lists it (the fields vod-ops asks for). */
export interface LibraryVideo {
  videoId: string;
  title: string;
  /** VOD video status, e.g. `Normal`. */
  status: string;
  /** `yyyy-MM-ddTHH:mm:ssZ`. */
  creationTime?: string;
  cateId?: number;
  tags: string[];
  /** Source file bytes. */
  sizeBytes?: number;
  durationSeconds?: number;
}
