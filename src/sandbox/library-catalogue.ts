import { createHash } from 'node:crypto';
import {
  createStream,
  type EmulatorStream,
  type EmulatorVideo,
  type StreamDefinition,
  type StreamFormat,
  type VideoHead,
  type VideoStatus,
} from './catalogue.js';

export interface LibraryCatalogueOptions {
  videos: number;
  /** Distinguishes the IDs of separate libraries; default `library`. */
  seed?: string;
}

/**
 * A generated library, held light: every video's head (title, status, category, tags, times, sizes) in memory, and
 * its streams made from its index each time the video is read. An emulator serves it in place and keeps whole only
 * the videos an action changes: 100,000 videos add about 90 MB to the process (RSS) instead of about 570 MB held
 * whole, and are ready in under a second instead of five.
 */
export interface LibraryCatalogue {
  /** Every video without its streams, by index (roughly in upload order). Frozen. */
  readonly heads: ReadonlyArray<VideoHead>;
  indexOf(videoId: string): number | undefined;
  /** The video at `index` with its streams: a fresh object on every call, always the same. */
  videoAt(index: number): EmulatorVideo;
}

/** Uploads spread over four years, so a campaign finds videos well over a year old before December 2026. */
const FIRST_UPLOAD_MS = Date.UTC(2022, 11, 1);
const LAST_UPLOAD_MS = Date.UTC(2026, 10, 30);

/** Categories as CateIds (Longs), weighted; the remainder have none. */
const CATEGORIES: ReadonlyArray<readonly [cateId: number, weight: number]> = [
  [1000012301, 0.3], // marketing
  [1000012302, 0.22], // product
  [1000012303, 0.16], // training
  [1000012304, 0.12], // events
  [1000012305, 0.12], // support
];
const TAG_POOL = [
  'promo',
  'webinar',
  'tutorial',
  'live',
  'archive',
  'internal',
  'customer',
  'launch',
  'interview',
  'trailer',
  'recap',
  'onboarding',
];
const SUBJECTS = [
  'Product launch',
  'Quarterly update',
  'Customer story',
  'Onboarding',
  'Feature walkthrough',
  'Partner summit',
  'Support clinic',
  'Team all-hands',
  'Developer deep dive',
  'Holiday campaign',
  'Security briefing',
  'Pricing explainer',
];
const KINDS = [
  'keynote',
  'webinar recording',
  'trailer',
  'tutorial',
  'recap',
  'teaser',
  'live replay',
  'interview',
];
const SHOWS = ['Engineering podcast', 'Sales huddle', 'Design review audio', 'Leadership notes'];

/** The video ladder, lowest first, with a typical H.264 bitrate (Kbps). */
const LADDER: ReadonlyArray<readonly [StreamDefinition, number]> = [
  ['FD', 250],
  ['LD', 500],
  ['SD', 850],
  ['HD', 1600],
  ['OD', 3200],
  ['2K', 6000],
  ['4K', 11_000],
];
/** How often each definition is a video's highest rendition. */
const TOP_DEFINITION: ReadonlyArray<readonly [index: number, weight: number]> = [
  [2, 0.1],
  [3, 0.45],
  [4, 0.3],
  [5, 0.1],
  [6, 0.05],
];
const AUDIO_RENDITIONS: ReadonlyArray<readonly [StreamDefinition, StreamFormat, number]> = [
  ['SQ', 'mp3', 128],
  ['HQ', 'mp3', 320],
  ['SQ', 'm4a', 96],
  ['HQ', 'm4a', 256],
];
const DAY_MS = 86_400_000;

/**
 * Generates a library for campaigns over many videos: deterministic for its options, varied like a real account.
 * Uploads spread over December 2022 to November 2026 (a few share a second, as batch uploads do); five categories
 * and untagged or tagged videos; about 5% audio-only media (SQ/HQ in mp3 and/or m4a), about 2% not Normal
 * (Blocked, or Transcoding with only its first rendition done), about 1% never transcoded. Videos carry part of the
 * FD-4K ladder in mp4 and/or m3u8, sized for their definition and duration; about 15% also keep Invisible older
 * transcodes of a definition and format re-transcoded later. IDs are MD5 digests of the seed and index (32
 * lowercase hex, like real IDs).
 */
export function createLibraryCatalogue(options: LibraryCatalogueOptions): LibraryCatalogue {
  const seed = options.seed ?? 'library';
  const count = options.videos;
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`videos must be a whole number, got ${count}`);
  const heads: VideoHead[] = [];
  const indexes = new Map<string, number>();
  let previousSecond = 0;
  for (let index = 0; index < count; index++) {
    const digest = digestOf(seed, index);
    const head = makeHead(digest, index, count, previousSecond);
    previousSecond = Date.parse(head.creationTime) / 1000;
    heads.push(head);
    indexes.set(head.videoId, index);
  }
  return {
    heads,
    indexOf: (videoId) => indexes.get(videoId),
    videoAt(index) {
      const head = heads[index];
      if (head === undefined) throw new RangeError(`no video at index ${index}`);
      const video: EmulatorVideo = { ...head, streams: [] };
      if (head.tags) video.tags = [...head.tags];
      video.streams = makeStreams(video, seed, index, mulberry32(digestOf(seed, index).readUInt32LE(4)));
      return video;
    },
  };
}

function makeHead(digest: Buffer, index: number, count: number, previousSecond: number): VideoHead {
  const random = mulberry32(digest.readUInt32LE(0));
  const videoId = digest.toString('hex');
  const spread = ((index + random()) / count) * (LAST_UPLOAD_MS - FIRST_UPLOAD_MS);
  const ownSecond = Math.floor((FIRST_UPLOAD_MS + spread) / 1000);
  const batched = index > 0 && random() < 0.02;
  const createdMs = (batched ? previousSecond : ownSecond) * 1000;
  const audio = random() < 0.05;
  const statusDraw = random();
  const status: VideoStatus = statusDraw < 0.012 ? 'Blocked' : statusDraw < 0.02 ? 'Transcoding' : 'Normal';
  const duration = audio
    ? round2(600 + random() * 4200)
    : // Log-uniform from 15 s to 2 h: mostly clips of a few minutes, some long recordings.
      round2(15 * 480 ** random());
  const cateId = weighted(CATEGORIES, random());
  const year = new Date(createdMs).getUTCFullYear();
  const tags = pickTags(random, year);
  const ageDays = (LAST_UPLOAD_MS - createdMs) / DAY_MS;
  const classDraw = random();
  const storageClass =
    ageDays > 730 && classDraw < 0.1 ? 'Archive' : ageDays > 365 && classDraw < 0.3 ? 'IA' : 'Standard';
  const title = audio
    ? `${pick(SHOWS, random())} episode ${1 + Math.floor(random() * 240)}`
    : `${pick(SUBJECTS, random())} ${pick(KINDS, random())}${random() < 0.4 ? ` ${year}` : ''}`;
  // The source file: about 8 Mbps for video, 320 Kbps for audio.
  const sourceKbps = audio ? 320 : 6000 + random() * 4000;
  const head: VideoHead = {
    videoId,
    title,
    status,
    mediaType: audio ? 'audio' : 'video',
    duration,
    coverUrl: audio ? '' : `https://outin-demo.oss-cn-shanghai.aliyuncs.com/${videoId}/cover.jpg`,
    creationTime: isoSeconds(createdMs),
    storageClass,
    size: Math.round(sourceKbps * 125 * duration),
    ...(cateId === undefined ? {} : { cateId }),
    ...(tags.length === 0 ? {} : { tags: Object.freeze(tags) }),
  };
  return Object.freeze(head);
}

/** The streams of one video, from its own random sequence (independent of the head's). */
function makeStreams(
  video: EmulatorVideo,
  seed: string,
  index: number,
  random: () => number,
): EmulatorStream[] {
  const created = Date.parse(video.creationTime);
  const neverTranscoded = random() < 0.01;
  if (neverTranscoded) return [];
  const renditions: Array<{ definition: StreamDefinition; format: StreamFormat; kbps: number }> = [];
  if (video.mediaType === 'audio') {
    for (const [definition, format, kbps] of AUDIO_RENDITIONS) {
      if (random() < 0.55) renditions.push({ definition, format, kbps });
    }
    if (renditions.length === 0) renditions.push({ definition: 'SQ', format: 'mp3', kbps: 128 });
  } else {
    const top = weighted(TOP_DEFINITION, random()) ?? 3;
    const packaging = random();
    const formats: StreamFormat[] = packaging < 0.5 ? ['mp4'] : packaging < 0.75 ? ['m3u8'] : ['mp4', 'm3u8'];
    for (const [rung, [definition, kbps]] of LADDER.slice(0, top + 1).entries()) {
      if (rung !== top && random() >= 0.6) continue;
      for (const format of formats) renditions.push({ definition, format, kbps });
    }
  }
  const kept = video.status === 'Transcoding' ? renditions.slice(0, 1) : renditions;
  const retranscoded = video.status === 'Normal' && random() < 0.15;
  const streams: EmulatorStream[] = [];
  let n = 0;
  const add = (rendition: (typeof kept)[number], status: 'Normal' | 'Invisible', createdMs: number) => {
    const kbps = rendition.kbps * (0.85 + random() * 0.3);
    streams.push(
      createStream(video, {
        jobId: digestOf(seed, index, n).toString('hex'),
        definition: rendition.definition,
        format: rendition.format,
        bitrate: kbps.toFixed(3),
        size: Math.round(kbps * 125 * video.duration * (rendition.format === 'm3u8' ? 1.03 : 1)),
        status,
        creationTime: isoSeconds(createdMs),
      }),
    );
    n++;
  };
  for (const [i, rendition] of kept.entries()) {
    const firstTranscode = created + (i + 1) * 90_000;
    if (retranscoded && (i === 0 || random() < 0.3)) {
      // The first transcode stays, Invisible; a re-transcode weeks later is the stream players get.
      add(rendition, 'Invisible', firstTranscode);
      add(rendition, 'Normal', firstTranscode + (7 + Math.floor(random() * 200)) * DAY_MS);
    } else {
      add(rendition, 'Normal', firstTranscode);
    }
  }
  return streams;
}

function pickTags(random: () => number, year: number): string[] {
  const tags = new Set<string>();
  const wanted = Math.floor(random() * 4);
  for (let i = 0; i < wanted; i++) tags.add(pick(TAG_POOL, random()));
  if (random() < 0.3) tags.add(String(year));
  return [...tags];
}

function weighted<T>(choices: ReadonlyArray<readonly [T, number]>, draw: number): T | undefined {
  let remaining = draw;
  for (const [choice, weight] of choices) {
    if (remaining < weight) return choice;
    remaining -= weight;
  }
  return undefined;
}

function pick<T>(items: readonly T[], draw: number): T {
  return items[Math.floor(draw * items.length)] as T;
}

function digestOf(seed: string, video: number, stream?: number): Buffer {
  const name = stream === undefined ? `${seed}/video/${video}` : `${seed}/video/${video}/stream/${stream}`;
  return createHash('md5').update(name).digest();
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence on every platform. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
