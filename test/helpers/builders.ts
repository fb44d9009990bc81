/**
 * One builder per domain object, for tests. Ids are made by the product's own input rules and previews by its
 * own preview logic, so a test never builds something the product could not.
 */
import { randomBytes } from 'node:crypto';
import { buildDeletionPreview, type DeletionPreview } from '../../src/core/requests/deletion-preview.js';
import { type DeletionRequest, dedupeKeyFor } from '../../src/core/requests/deletion-request.js';
import type { Principal } from '../../src/core/requests/principal.js';
import { type JobIds, parseJobIds, parseVideoId, type VideoId } from '../../src/core/vod/input-rules.js';
import type { VideoStreams } from '../../src/core/vod/video-streams.js';
import type { StreamInfo } from '../../src/core/vod/vod-api.js';

/** A VideoId: `raw` parsed by the input rules, or a random one. */
export function aVideoId(raw?: string): VideoId {
  return parseVideoId(raw ?? randomBytes(16).toString('hex'));
}

/** Job IDs parsed by the input rules: each given one, or `count` random ones. */
export function someJobIds(...raw: string[]): JobIds {
  return parseJobIds(raw);
}

export function randomJobIds(count: number): JobIds {
  return parseJobIds(Array.from({ length: count }, () => randomBytes(16).toString('hex')));
}

/** A 32-character id made of one repeated character, readable in assertions: `hexId('a')`. */
export function hexId(c: string): string {
  return c.repeat(32);
}

/** A transcoded stream, Normal HD mp4 unless told otherwise. */
export function aStream(jobId: string, over: Partial<StreamInfo> = {}): StreamInfo {
  return {
    jobId,
    definition: 'HD',
    format: 'mp4',
    streamType: 'video',
    status: 'Normal',
    sizeBytes: 1024,
    bitrateKbps: 2000,
    encrypted: false,
    ...over,
  };
}

/** A video and its streams as `readVideoStreams` returns them. */
export function aVideoRead(
  videoId: string,
  streams: StreamInfo[],
  video: Partial<VideoStreams['video']> = {},
): VideoStreams {
  return {
    video: { videoId, title: 'Launch keynote', status: 'Normal', mediaType: 'video', ...video },
    streams,
    requestIds: { getVideoInfo: 'RID-VIDEO', getPlayInfo: 'RID-PLAY' },
  };
}

/**
 * The preview of deleting `toDelete` and keeping `remaining`, built by the product's preview logic (warnings,
 * freed bytes and all).
 */
export function aPreview(
  videoId: string,
  toDelete: StreamInfo[],
  remaining: StreamInfo[],
  video: Partial<VideoStreams['video']> = {},
): DeletionPreview {
  return buildDeletionPreview(
    aVideoRead(videoId, [...toDelete, ...remaining], video),
    parseJobIds(toDelete.map((s) => s.jobId)),
  );
}

const REQUESTER: Principal = { source: 'slack', id: 'U0RITA', displayName: 'Rita Requester' };

/**
 * A pending request at version 1, as the workflow stores it: two streams of a video of its own (unless `videoId`
 * or `jobIds` are given), one stream left, its preview, dedupe key and a day to live.
 */
export function aDeletionRequest(
  over: Partial<DeletionRequest> & { keep?: StreamInfo[] } = {},
): DeletionRequest {
  const { keep, ...fields } = over;
  const videoId = fields.videoId ?? aVideoId();
  const jobIds = fields.jobIds ?? randomJobIds(2);
  const createdAt = fields.createdAt ?? Date.UTC(2026, 0, 5, 9, 0, 0);
  return {
    id: `dr-${randomBytes(6).toString('hex')}`,
    videoId,
    jobIds,
    dedupeKey: dedupeKeyFor(videoId, jobIds),
    preview: aPreview(
      videoId,
      jobIds.map((id) => aStream(id)),
      keep ?? [aStream(randomBytes(16).toString('hex'), { definition: 'SD' })],
    ),
    reason: 'stale re-transcodes',
    requester: REQUESTER,
    createdAt,
    expiresAt: createdAt + 86_400_000,
    status: 'pending',
    version: 1,
    requiredApprovals: 1,
    votes: [],
    ...fields,
  };
}
