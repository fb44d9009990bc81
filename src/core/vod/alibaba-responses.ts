import { z } from 'zod';
import type { LibraryVideo, MediaSearchPage, StreamInfo, VideoDetails } from './vod-api.js';

/**
 * Alibaba's JSON answers, parsed leniently: numbers may arrive as strings, fields may be missing. A body that
 * does not even carry a RequestId is not Alibaba's answer and fails loudly.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-getplayinfo
 */
const num = z
  .union([z.number(), z.string()])
  .optional()
  .transform((v) => {
    if (v === undefined || v === '') return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    return Number.isFinite(n) ? n : undefined;
  });
const str = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v) => (v === undefined ? undefined : String(v)));

export const RequestIdBody = z.looseObject({ RequestId: z.string().min(1) });

const PlayInfoItem = z.looseObject({
  JobId: z.string().min(1),
  Definition: str,
  Format: str,
  StreamType: str,
  Status: str,
  Bitrate: num,
  Size: num,
  Duration: num,
  Width: num,
  Height: num,
  Fps: num,
  Encrypt: num,
  CreationTime: str,
});

export const GetPlayInfoBody = z.looseObject({
  RequestId: z.string().min(1),
  PlayInfoList: z.looseObject({ PlayInfo: z.array(PlayInfoItem).default([]) }).optional(),
});

export const GetVideoInfoBody = z.looseObject({
  RequestId: z.string().min(1),
  Video: z.looseObject({
    VideoId: z.string().min(1),
    Title: str,
    Status: str,
    MediaType: str,
    Duration: num,
    Size: num,
    StorageClass: str,
    CreationTime: str,
    CreateTime: str,
  }),
});

/** SearchMedia's `Tags`: one comma-separated string (a list is accepted too). */
const tagList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    (typeof v === 'string' ? v.split(',') : (v ?? [])).map((t) => t.trim()).filter((t) => t !== ''),
  );

/** A `Video` (or an `Audio`, whose ID is `AudioId`) of a SearchMedia answer, with the fields vod-ops asks for. */
const SearchedAsset = z.looseObject({
  VideoId: str,
  AudioId: str,
  Title: str,
  Status: str,
  CateId: num,
  Tags: tagList,
  Size: num,
  Duration: num,
  CreationTime: str,
});

const SearchedMedia = z.looseObject({
  MediaId: str,
  CreationTime: str,
  Video: SearchedAsset.optional(),
  Audio: SearchedAsset.optional(),
});

/**
 * SearchMedia's answer: `MediaList` is a flat list in the JSON answer (the XML one wraps each entry); a missing
 * list is an empty page.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-searchmedia
 */
export const SearchMediaBody = z.looseObject({
  RequestId: z.string().min(1),
  Total: num,
  ScrollToken: str,
  MediaList: z
    .union([
      z.array(SearchedMedia),
      z.looseObject({ Media: z.array(SearchedMedia).default([]) }).transform((list) => list.Media),
    ])
    .optional(),
});

export function toStreams(body: z.infer<typeof GetPlayInfoBody>): StreamInfo[] {
  return (body.PlayInfoList?.PlayInfo ?? []).map((item) => ({
    jobId: item.JobId,
    definition: item.Definition ?? 'unknown',
    format: item.Format ?? 'unknown',
    streamType: item.StreamType ?? 'video',
    status: item.Status ?? 'unknown',
    bitrateKbps: item.Bitrate,
    sizeBytes: item.Size,
    durationSeconds: item.Duration,
    width: item.Width,
    height: item.Height,
    fps: item.Fps,
    encrypted: (item.Encrypt ?? 0) === 1,
    creationTime: item.CreationTime,
  }));
}

export function toVideoDetails(body: z.infer<typeof GetVideoInfoBody>): VideoDetails {
  const v = body.Video;
  return {
    requestId: body.RequestId,
    videoId: v.VideoId,
    title: v.Title ?? '',
    status: v.Status ?? 'unknown',
    mediaType: v.MediaType,
    durationSeconds: v.Duration,
    sourceSizeBytes: v.Size,
    storageClass: v.StorageClass,
    creationTime: v.CreationTime ?? v.CreateTime,
  };
}

export function toMediaSearchPage(body: z.infer<typeof SearchMediaBody>): MediaSearchPage {
  const videos = (body.MediaList ?? []).flatMap((media): LibraryVideo[] => {
    const asset = media.Video ?? media.Audio;
    const videoId = (asset?.VideoId ?? asset?.AudioId ?? media.MediaId)?.toLowerCase();
    if (videoId === undefined || videoId === '') return [];
    const creationTime = isoSecond(asset?.CreationTime ?? media.CreationTime);
    return [
      {
        videoId,
        title: asset?.Title ?? '',
        status: asset?.Status ?? 'unknown',
        ...(creationTime === undefined ? {} : { creationTime }),
        cateId: asset?.CateId,
        tags: asset?.Tags ?? [],
        sizeBytes: asset?.Size,
        durationSeconds: asset?.Duration,
      },
    ];
  });
  return {
    requestId: body.RequestId,
    listed: body.MediaList?.length ?? 0,
    total: body.Total ?? videos.length,
    ...(body.ScrollToken ? { scrollToken: body.ScrollToken } : {}),
    videos,
  };
}

/** An instant as `yyyy-MM-ddTHH:mm:ssZ` (how Alibaba writes them, and how a walk compares them), or undefined. */
function isoSecond(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
