import { AppError } from '../errors.js';
import type { JobIds, VideoId } from '../vod/input-rules.js';
import { readVideoStreams, type VideoStreams } from '../vod/video-streams.js';
import type { StreamInfo, VideoDetails, VodReader } from '../vod/vod-api.js';

/**
 * Exactly what a DeleteStream would remove, for a person to approve: the video, each requested stream, what
 * remains, the storage freed, and warnings. Built from GetVideoInfo and GetPlayInfo (ResultType=Multiple).
 */
export interface DeletionPreview {
  video: Omit<VideoDetails, 'requestId'>;
  /** The requested streams, in the order given. */
  toDelete: StreamInfo[];
  remaining: StreamInfo[];
  /** Sum of the sizes Alibaba reports for the streams to delete. */
  freedBytes: number;
  /** How many streams to delete have no size reported (then `freedBytes` is a lower bound). */
  unsizedCount: number;
  /** True when no Normal stream of the video's media type would remain: players would stop working. */
  leavesNoPlayableStream: boolean;
  warnings: string[];
  /** Alibaba RequestIds of the reads the preview was built from. */
  requestIds: { getVideoInfo: string; getPlayInfo: string };
}

/**
 * Reads the video and all its streams and builds the preview. Job IDs that are not streams of the video
 * are refused here, before anyone is asked to approve and before DeleteStream is called.
 */
export async function previewDeletion(
  vod: VodReader,
  videoId: VideoId,
  jobIds: JobIds,
): Promise<DeletionPreview> {
  return buildDeletionPreview(await readVideoStreams(vod, videoId), jobIds);
}

/** The stream type that plays the video: audio for an audio asset, video otherwise. */
function playableTypeOf(video: Pick<VideoDetails, 'mediaType'>): 'audio' | 'video' {
  return video.mediaType?.toLowerCase() === 'audio' ? 'audio' : 'video';
}

/** Whether `stream` plays `video`: a Normal stream of the video's media type. */
export function isPlayableStream(video: Pick<VideoDetails, 'mediaType'>, stream: StreamInfo): boolean {
  return (
    stream.status.toLowerCase() === 'normal' && stream.streamType.toLowerCase() === playableTypeOf(video)
  );
}

export function buildDeletionPreview(read: VideoStreams, jobIds: JobIds): DeletionPreview {
  const { video, streams } = read;
  const byId = new Map(streams.map((s) => [s.jobId.toLowerCase(), s]));
  const unknown = jobIds.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    const listed = streams.length === 0 ? 'it has no transcoded streams' : `it has ${streams.length}`;
    throw new AppError(
      'INVALID_INPUT',
      `${unknown.length === 1 ? 'Job ID' : 'Job IDs'} ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} ` +
        `not ${unknown.length === 1 ? 'a stream' : 'streams'} of video ${video.videoId} (${listed}). ` +
        'List its streams to see the valid job IDs. Nothing was deleted.',
      { detail: { unknownJobIds: unknown, videoId: video.videoId } },
    );
  }
  const wanted = new Set<string>(jobIds);
  const toDelete = jobIds.map((id) => byId.get(id)).filter((s): s is StreamInfo => s !== undefined);
  const remaining = streams.filter((s) => !wanted.has(s.jobId.toLowerCase()));
  const playableType = playableTypeOf(video);
  const isPlayable = (s: StreamInfo) => isPlayableStream(video, s);
  const leavesNoPlayableStream = !remaining.some(isPlayable);
  const warnings: string[] = [];
  if (leavesNoPlayableStream) {
    warnings.push(
      remaining.length === 0
        ? 'No stream would remain: the video can no longer be played until it is transcoded again.'
        : `No playable ${playableType} stream would remain: players of this video would stop working.`,
    );
  }
  if (video.status.toLowerCase() !== 'normal') {
    warnings.push(`The video's status is ${video.status}, not Normal.`);
  }
  return {
    video,
    toDelete,
    remaining,
    freedBytes: toDelete.reduce((sum, s) => sum + (s.sizeBytes ?? 0), 0),
    unsizedCount: toDelete.filter((s) => s.sizeBytes === undefined).length,
    leavesNoPlayableStream,
    warnings,
    requestIds: read.requestIds,
  };
}
