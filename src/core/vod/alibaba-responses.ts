import { z } from 'zod';
import type { StreamInfo, VideoDetails } from './vod-api.js';

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
