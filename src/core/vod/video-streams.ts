import type { VideoId } from './input-rules.js';
import type { StreamInfo, VideoDetails, VodReader } from './vod-api.js';
import type { VodRegions } from './vod-regions.js';

/** A video and every transcoded stream it has, with the Alibaba RequestIds of the two reads. */
export interface VideoStreams {
  video: Omit<VideoDetails, 'requestId'>;
  /** Every job ID (GetPlayInfo with ResultType=Multiple), stale re-transcodes included. */
  streams: StreamInfo[];
  requestIds: { getVideoInfo: string; getPlayInfo: string };
}

/**
 * Reads a video and all its streams: GetVideoInfo and GetPlayInfo at once. What every front end shows when asked
 * for a video's streams, and what every deletion preview is built from.
 */
export async function readVideoStreams(vod: VodReader, videoId: VideoId): Promise<VideoStreams> {
  const [video, playInfo] = await bothSettled(vod.getVideoInfo(videoId), vod.getPlayInfo(videoId));
  const { requestId, ...fields } = video;
  return {
    video: fields,
    streams: playInfo.streams,
    requestIds: { getVideoInfo: requestId, getPlayInfo: playInfo.requestId },
  };
}

/** {@link readVideoStreams} in the video's region: the one named, or the one of those served that holds it. */
export async function readVideoStreamsIn(
  regions: VodRegions<VodReader>,
  videoId: VideoId,
  region?: string,
): Promise<VideoStreams & { region: string }> {
  const found = await regions.resolve(videoId, region);
  return { region: found, ...(await readVideoStreams(regions.in(found), videoId)) };
}

/**
 * Like Promise.all for two reads, but waits for both before failing, so no read is left running (and
 * retrying) after the caller has given up and closed its resources.
 */
async function bothSettled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}
