import { createHash } from 'node:crypto';
import { createStream, type EmulatorStream, type EmulatorVideo } from './catalogue.js';

export interface BulkCatalogueOptions {
  videos: number;
  streamsPerVideo: number;
  /** Distinguishes the IDs of separate bulk catalogues added to one emulator; default `bulk`. */
  seed?: string;
}

const BULK_LAYOUT: ReadonlyArray<Pick<EmulatorStream, 'definition' | 'format'>> = [
  { definition: 'LD', format: 'mp4' },
  { definition: 'SD', format: 'mp4' },
  { definition: 'HD', format: 'mp4' },
  { definition: 'LD', format: 'm3u8' },
  { definition: 'SD', format: 'm3u8' },
  { definition: 'HD', format: 'm3u8' },
  { definition: 'FD', format: 'mp4' },
  { definition: 'OD', format: 'mp4' },
];

/**
 * Generates `videos` Normal videos with `streamsPerVideo` streams each, for benchmarks that need thousands of
 * deletable streams. IDs are MD5 digests of the seed and position (32 lowercase hex, like real IDs), so the same
 * options always produce the same catalogue. Streams beyond the eight distinct definition/format pairs are older
 * re-transcodes marked Invisible.
 */
export function createBulkCatalogue(options: BulkCatalogueOptions): EmulatorVideo[] {
  const seed = options.seed ?? 'bulk';
  const videos: EmulatorVideo[] = [];
  for (let v = 0; v < options.videos; v++) {
    const videoId = hex32(`${seed}/video/${v}`);
    const creationTime = isoSeconds(Date.UTC(2025, 0, 1) + v * 60_000);
    const video: EmulatorVideo = {
      videoId,
      title: `Bulk video ${v + 1}`,
      status: 'Normal',
      mediaType: 'video',
      duration: 60 + (v % 600),
      coverUrl: `https://outin-demo.oss-cn-shanghai.aliyuncs.com/${videoId}/cover.jpg`,
      creationTime,
      storageClass: 'Standard',
      size: 50_000_000 + v * 1_000,
      streams: [],
    };
    for (let s = 0; s < options.streamsPerVideo; s++) {
      const layout = BULK_LAYOUT[s % BULK_LAYOUT.length] ?? { definition: 'SD', format: 'mp4' };
      const superseded = s + BULK_LAYOUT.length < options.streamsPerVideo;
      const streamCreated = isoSeconds(Date.UTC(2025, 0, 1) + v * 60_000 + (s + 1) * 1_000);
      video.streams.push(
        createStream(video, {
          ...layout,
          jobId: hex32(`${seed}/video/${v}/stream/${s}`),
          bitrate: (400 + s * 150).toFixed(1),
          size: 5_000_000 + s * 250_000,
          status: superseded ? 'Invisible' : 'Normal',
          creationTime: streamCreated,
        }),
      );
    }
    videos.push(video);
  }
  return videos;
}

function hex32(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
