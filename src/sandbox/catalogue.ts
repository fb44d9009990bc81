export type VideoStatus =
  | 'Uploading'
  | 'UploadFail'
  | 'UploadSucc'
  | 'Transcoding'
  | 'TranscodeFail'
  | 'Checking'
  | 'Blocked'
  | 'Normal'
  | 'ProduceFail';

/** `Invisible` marks an older stream superseded by a newer transcode of the same definition and format. */
export type StreamStatus = 'Normal' | 'Invisible';

export type StreamDefinition = 'FD' | 'LD' | 'SD' | 'HD' | 'OD' | '2K' | '4K' | 'SQ' | 'HQ';

export type StreamFormat = 'mp4' | 'm3u8' | 'mp3' | 'flv' | 'mpd' | 'm4a';

/** One transcoded stream of a video: the unit DeleteStream removes, identified by its transcode job ID. */
export interface EmulatorStream {
  jobId: string;
  definition: StreamDefinition;
  format: StreamFormat;
  streamType: 'video' | 'audio';
  status: StreamStatus;
  /** Kilobits per second, as a decimal string the way Alibaba returns it (e.g. `"1210.26"`). */
  bitrate: string;
  /** Bytes. */
  size: number;
  /** Seconds. */
  duration: number;
  width: number;
  height: number;
  fps: number;
  encrypt: 0 | 1;
  /** ISO 8601 UTC, second precision (`2025-03-02T08:14:09Z`). */
  creationTime: string;
  modificationTime: string;
}

/** One media asset. `size` is the source (mezzanine) file, which is not a stream and cannot be deleted by DeleteStream. */
export interface EmulatorVideo {
  videoId: string;
  title: string;
  status: VideoStatus;
  mediaType: 'video' | 'audio';
  /** Seconds. */
  duration: number;
  coverUrl: string;
  creationTime: string;
  storageClass: 'Standard' | 'IA' | 'Archive' | 'ColdArchive';
  size: number;
  /** The video's category (a Long in Alibaba's API); absent when it has none. */
  cateId?: number;
  /** Its tags, which SearchMedia answers as one comma-separated string. */
  tags?: readonly string[];
  streams: EmulatorStream[];
}

/** A video without its streams: what SearchMedia reads of every video. */
export type VideoHead = Readonly<Omit<EmulatorVideo, 'streams'>>;

/**
 * The VideoIds of the demo catalogue, by the situation each one represents:
 * `keynote` several renditions plus a stale re-transcode, `podcast` audio only, `teaser` a single stream (deleting it
 * leaves nothing playable), `rawUpload` no streams at all, `blocked` a video in status Blocked.
 */
export const DEMO_VIDEO_IDS = {
  keynote: '94783faed59e41bde3bea921c994e5da',
  podcast: '0232263cef22471f82a113c836a06a03',
  teaser: 'eef403110c5e4911989d0d2772f4a818',
  rawUpload: 'bdafc7731332407a0b78903a1039ae8f',
  blocked: '53ac986a008f4a4fdc2d3a79297841c3',
} as const;

/** What must be given to build a stream; the rest is derived from the video or defaulted. */
export type StreamSeed = Pick<EmulatorStream, 'jobId' | 'definition' | 'format' | 'bitrate' | 'size'> &
  Partial<EmulatorStream>;

const VIDEO_SIZES: Partial<Record<StreamDefinition, { width: number; height: number }>> = {
  FD: { width: 426, height: 240 },
  LD: { width: 640, height: 360 },
  SD: { width: 854, height: 480 },
  HD: { width: 1280, height: 720 },
  OD: { width: 1920, height: 1080 },
  '2K': { width: 2560, height: 1440 },
  '4K': { width: 3840, height: 2160 },
};

/**
 * Builds a stream of `video` from a seed: frame size from the definition (0×0 for audio), the video's duration,
 * 25 fps, unencrypted, status Normal, created with the video, unless the seed says otherwise.
 */
export function createStream(
  video: Pick<EmulatorVideo, 'mediaType' | 'duration' | 'creationTime'>,
  seed: StreamSeed,
): EmulatorStream {
  const audio = video.mediaType === 'audio' || seed.format === 'mp3' || seed.format === 'm4a';
  const frame = audio ? { width: 0, height: 0 } : (VIDEO_SIZES[seed.definition] ?? { width: 0, height: 0 });
  return {
    streamType: audio ? 'audio' : 'video',
    status: 'Normal',
    duration: video.duration,
    fps: audio ? 0 : 25,
    encrypt: 0,
    creationTime: video.creationTime,
    modificationTime: seed.creationTime ?? video.creationTime,
    ...frame,
    ...seed,
  };
}

/**
 * The sandbox's fixed catalogue. Every ID is hard-coded so that documentation, tests and a person trying the CLI
 * see the same videos and job IDs on every run. Each video exercises one situation the product must handle.
 */
export function createDemoCatalogue(): EmulatorVideo[] {
  const keynote = {
    videoId: DEMO_VIDEO_IDS.keynote,
    title: 'Product launch keynote 2025',
    status: 'Normal',
    mediaType: 'video',
    duration: 1843.52,
    coverUrl: `https://outin-demo.oss-cn-shanghai.aliyuncs.com/${DEMO_VIDEO_IDS.keynote}/cover.jpg`,
    creationTime: '2025-03-02T08:14:09Z',
    storageClass: 'Standard',
    size: 2_147_483_648,
    cateId: 1000012301,
    tags: ['launch', 'keynote', '2025'],
  } as const;
  const podcast = {
    videoId: DEMO_VIDEO_IDS.podcast,
    title: 'Engineering podcast episode 42',
    status: 'Normal',
    mediaType: 'audio',
    duration: 2712.03,
    coverUrl: `https://outin-demo.oss-cn-shanghai.aliyuncs.com/${DEMO_VIDEO_IDS.podcast}/cover.jpg`,
    creationTime: '2025-04-11T03:40:27Z',
    storageClass: 'Standard',
    size: 130_183_440,
    cateId: 1000012304,
    tags: ['podcast', 'engineering'],
  } as const;
  const teaser = {
    videoId: DEMO_VIDEO_IDS.teaser,
    title: 'Teaser clip (single rendition)',
    status: 'Normal',
    mediaType: 'video',
    duration: 29.96,
    coverUrl: `https://outin-demo.oss-cn-shanghai.aliyuncs.com/${DEMO_VIDEO_IDS.teaser}/cover.jpg`,
    creationTime: '2025-05-20T11:02:45Z',
    storageClass: 'Standard',
    size: 48_219_331,
    cateId: 1000012302,
    tags: ['promo', 'trailer'],
  } as const;
  const rawUpload = {
    videoId: DEMO_VIDEO_IDS.rawUpload,
    title: 'Raw interview footage (never transcoded)',
    status: 'Normal',
    mediaType: 'video',
    duration: 3605.4,
    coverUrl: '',
    creationTime: '2025-06-08T16:25:51Z',
    storageClass: 'IA',
    size: 9_663_676_416,
    tags: ['raw', 'interview'],
  } as const;
  const blocked = {
    videoId: DEMO_VIDEO_IDS.blocked,
    title: 'Recording blocked by content review',
    status: 'Blocked',
    mediaType: 'video',
    duration: 611.2,
    coverUrl: `https://outin-demo.oss-cn-shanghai.aliyuncs.com/${DEMO_VIDEO_IDS.blocked}/cover.jpg`,
    creationTime: '2025-07-15T09:48:02Z',
    storageClass: 'Standard',
    size: 734_003_200,
    cateId: 1000012303,
  } as const;

  return [
    {
      ...keynote,
      streams: [
        createStream(keynote, {
          jobId: 'bbffd3db76aa4d4c98c5fa6f42f9bff9',
          definition: 'LD',
          format: 'mp4',
          bitrate: '450.878',
          size: 103_905_421,
          creationTime: '2025-03-02T08:31:40Z',
        }),
        createStream(keynote, {
          jobId: '6dedefbfa26d4a3258e58d5fa289f8f3',
          definition: 'SD',
          format: 'mp4',
          bitrate: '824.114',
          size: 189_917_554,
          creationTime: '2025-03-02T08:33:12Z',
        }),
        createStream(keynote, {
          jobId: '51ef1886f2c041cc16a961eeffde8045',
          definition: 'HD',
          format: 'mp4',
          bitrate: '1543.7',
          size: 355_730_115,
          creationTime: '2025-09-18T02:07:55Z',
        }),
        createStream(keynote, {
          jobId: '06f3e173d8714d17189fbcec590a36f2',
          definition: 'HD',
          format: 'm3u8',
          bitrate: '1588.02',
          size: 365_942_808,
          creationTime: '2025-03-02T08:39:26Z',
        }),
        createStream(keynote, {
          jobId: 'dfb7def03fe74233558bb253bb58650a',
          definition: 'HD',
          format: 'mp4',
          bitrate: '1490.31',
          size: 343_420_377,
          status: 'Invisible',
          creationTime: '2025-03-02T08:37:03Z',
        }),
      ],
    },
    {
      ...podcast,
      streams: [
        createStream(podcast, {
          jobId: '764c822337b64b2948b5dcc664cb67ac',
          definition: 'SQ',
          format: 'mp3',
          bitrate: '128.0',
          size: 43_393_152,
          creationTime: '2025-04-11T03:44:10Z',
        }),
        createStream(podcast, {
          jobId: 'ffaf0721d54b4d7a33af55bf4bd9c064',
          definition: 'HQ',
          format: 'mp3',
          bitrate: '320.0',
          size: 108_481_200,
          creationTime: '2025-04-11T03:45:37Z',
        }),
        createStream(podcast, {
          jobId: 'dae3e654999e424c423321d6b89ebee2',
          definition: 'HQ',
          format: 'm4a',
          bitrate: '256.0',
          size: 86_784_960,
          creationTime: '2025-04-11T03:46:02Z',
        }),
      ],
    },
    {
      ...teaser,
      streams: [
        createStream(teaser, {
          jobId: '789cf953f9e4440edf222f50c7beabcb',
          definition: 'SD',
          format: 'mp4',
          bitrate: '980.55',
          size: 3_672_117,
          creationTime: '2025-05-20T11:03:30Z',
        }),
      ],
    },
    { ...rawUpload, streams: [] },
    {
      ...blocked,
      streams: [
        createStream(blocked, {
          jobId: 'a1ca0770a66a4a025d26099b76b9d3e1',
          definition: 'SD',
          format: 'mp4',
          bitrate: '801.9',
          size: 61_265_305,
          creationTime: '2025-07-15T09:55:19Z',
        }),
        createStream(blocked, {
          jobId: '74c6401e3259475c5d630dc52f8d86e6',
          definition: 'HD',
          format: 'm3u8',
          bitrate: '1602.4',
          size: 122_421_862,
          creationTime: '2025-07-15T09:57:44Z',
        }),
      ],
    },
  ];
}
