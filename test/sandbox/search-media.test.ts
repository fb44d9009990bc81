import { AlibabaCloudError } from '@alicloud/openapi-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLibraryCatalogue,
  DEMO_VIDEO_IDS,
  type EmulatorVideo,
  type VodEmulator,
  type VodEmulatorOptions,
} from '../../src/sandbox/index.js';
import type { EngineClient } from './engine-client.js';
import { startEmulatorWithEngine } from './fixture.js';

/** All video, no audio: every hit of a video search. */
const LIBRARY = createLibraryCatalogue({ videos: 5_400 });
const VIDEO_HEADS = LIBRARY.heads
  .filter((h) => h.mediaType === 'video')
  .map((h) => ({ ms: Date.parse(h.creationTime), videoId: h.videoId }))
  .sort((a, b) => a.ms - b.ms || (a.videoId < b.videoId ? -1 : 1));
const HEX32 = /^[0-9a-f]{32}$/;

interface Media {
  MediaId: string;
  MediaType: string;
  CreationTime: string;
  Video?: Record<string, unknown>;
  Audio?: Record<string, unknown>;
}
interface SearchAnswer {
  RequestId: string;
  Total: number;
  ScrollToken?: string;
  MediaList: Media[];
}

const running: VodEmulator[] = [];
async function start(options: Partial<VodEmulatorOptions> = {}) {
  const started = await startEmulatorWithEngine(options);
  running.push(started.emulator);
  return started;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

async function search(vod: EngineClient, query: Record<string, string>): Promise<SearchAnswer> {
  return (await vod.call('SearchMedia', query)).body as unknown as SearchAnswer;
}
const idsOf = (answer: SearchAnswer) => answer.MediaList.map((m) => m.MediaId);

/** The engine's error for an answer Alibaba refused, with the body it sent as `data`. */
async function refusal(
  promise: Promise<unknown>,
): Promise<AlibabaCloudError & { data: { Message: string } }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AlibabaCloudError);
  return error as AlibabaCloudError & { data: { Message: string } };
}

describe('SearchMedia answers', () => {
  it('lists videos in Alibaba’s shape, with the extra fields Fields asks for', async () => {
    const { vod } = await start();
    const answer = await search(vod, {
      Fields: 'Title,Status,CateId,Tags,Size,Duration,StorageLocation,StorageClass',
      Match: `VideoId = '${DEMO_VIDEO_IDS.keynote}'`,
    });
    expect(answer).toEqual({
      RequestId: expect.any(String),
      Total: 1,
      ScrollToken: expect.stringMatching(HEX32),
      MediaList: [
        {
          MediaId: DEMO_VIDEO_IDS.keynote,
          MediaType: 'video',
          CreationTime: '2025-03-02T08:14:09Z',
          Video: {
            VideoId: DEMO_VIDEO_IDS.keynote,
            Title: 'Product launch keynote 2025',
            Status: 'Normal',
            CreationTime: '2025-03-02T08:14:09Z',
            CoverURL: expect.stringContaining(DEMO_VIDEO_IDS.keynote),
            CateId: 1000012301,
            Tags: 'launch,keynote,2025',
            Size: 2_147_483_648,
            Duration: 1843.52,
            StorageLocation: 'outin-demo.oss-cn-shanghai.aliyuncs.com',
            StorageClass: 'Standard',
          },
        },
      ],
    });
  });

  it('answers only the basic fields when Fields asks for nothing more', async () => {
    const { vod } = await start();
    const answer = await search(vod, { Match: `VideoId = '${DEMO_VIDEO_IDS.keynote}'` });
    expect(Object.keys(answer.MediaList[0]?.Video ?? {}).sort()).toEqual([
      'CoverURL',
      'CreationTime',
      'Status',
      'Title',
      'VideoId',
    ]);
  });

  it('lists audio apart, as an Audio with an AudioId', async () => {
    const { vod } = await start();
    const videos = await search(vod, {});
    const audio = await search(vod, { SearchType: 'audio' });
    expect(idsOf(videos)).not.toContain(DEMO_VIDEO_IDS.podcast);
    expect(audio.MediaList).toEqual([
      expect.objectContaining({
        MediaId: DEMO_VIDEO_IDS.podcast,
        MediaType: 'audio',
        Audio: expect.objectContaining({ AudioId: DEMO_VIDEO_IDS.podcast }),
      }),
    ]);
  });

  it('sorts newest first by default and oldest first when asked, ties by VideoId', async () => {
    const twins = (id: string): EmulatorVideo => ({
      ...LIBRARY.videoAt(0),
      mediaType: 'video',
      videoId: id,
      creationTime: '2020-01-01T00:00:00Z',
    });
    const { vod } = await start({
      catalogue: [twins('b'.repeat(32)), twins('a'.repeat(32)), twins('c'.repeat(32))],
    });
    expect(idsOf(await search(vod, { SortBy: 'CreationTime:Asc' }))).toEqual([
      'a'.repeat(32),
      'b'.repeat(32),
      'c'.repeat(32),
    ]);
    expect(idsOf(await search(vod, {}))).toEqual(['c'.repeat(32), 'b'.repeat(32), 'a'.repeat(32)]);
  });

  it('reaches only the first 5,000 hits without a token: later pages are empty, Total counts every hit', async () => {
    const { vod } = await start({ catalogue: LIBRARY });
    const query = { SortBy: 'CreationTime:Asc', PageSize: '100' };
    const last = await search(vod, { ...query, PageNo: '50' });
    const past = await search(vod, { ...query, PageNo: '51' });
    expect(idsOf(last)).toEqual(VIDEO_HEADS.slice(4_900, 5_000).map((h) => h.videoId));
    expect(past.MediaList).toEqual([]);
    expect(past.Total).toBe(VIDEO_HEADS.length);
    expect(VIDEO_HEADS.length).toBeGreaterThan(5_000);
  });
});

describe('SearchMedia scroll tokens', () => {
  it('continue a walk past 5,000 hits, one page after another, each hit once', async () => {
    const { vod } = await start({ catalogue: LIBRARY });
    const seen: string[] = [];
    let token: string | undefined;
    for (let pageNo = 1; pageNo <= 60; pageNo++) {
      const answer = await search(vod, {
        SortBy: 'CreationTime:Asc',
        PageNo: String(pageNo),
        PageSize: '100',
        ...(token ? { ScrollToken: token } : {}),
      });
      seen.push(...idsOf(answer));
      token = answer.ScrollToken;
    }
    expect(seen).toEqual(VIDEO_HEADS.map((h) => h.videoId));
  });

  it('let a walk skip ahead at most 100 records past the token’s page, and never back', async () => {
    const { vod } = await start({ catalogue: LIBRARY });
    const query = { SortBy: 'CreationTime:Asc', PageSize: '20' };
    const first = await search(vod, { ...query, PageNo: '1' });
    const token = { ScrollToken: first.ScrollToken ?? '' };

    const sixth = await search(vod, { ...query, ...token, PageNo: '6' });
    expect(idsOf(sixth)).toEqual(VIDEO_HEADS.slice(100, 120).map((h) => h.videoId));
    for (const pageNo of ['7', '1']) {
      const error = await refusal(search(vod, { ...query, ...token, PageNo: pageNo }));
      expect(error).toMatchObject({ statusCode: 400, code: 'InvalidScrollToken.OutOfRange' });
    }
  });

  it('are refused for another query', async () => {
    const { vod } = await start({ catalogue: LIBRARY });
    const first = await search(vod, { Match: "Status in ('Normal')", PageNo: '1', PageSize: '10' });
    const error = await refusal(
      search(vod, {
        Match: "Status in ('Blocked')",
        PageNo: '2',
        PageSize: '10',
        ScrollToken: first.ScrollToken ?? '',
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidScrollToken.QueryMismatch' });
  });

  it('expire after the TTL on the emulator’s clock, and an unknown token is expired too', async () => {
    let clock = Date.now();
    const { vod } = await start({ scrollTokenTtlMs: 60_000, now: () => clock });
    const first = await search(vod, { PageSize: '1' });
    clock += 60_000;
    await expect(
      search(vod, { PageNo: '2', PageSize: '1', ScrollToken: first.ScrollToken ?? '' }),
    ).resolves.toBeDefined();
    clock += 1;
    for (const token of [first.ScrollToken ?? '', 'f'.repeat(32)]) {
      const error = await refusal(search(vod, { PageNo: '2', PageSize: '1', ScrollToken: token }));
      expect(error).toMatchObject({ statusCode: 400, code: 'InvalidScrollToken.Expired' });
    }
  });

  it('keep a walk in step when a video is uploaded during it: the new one comes last', async () => {
    const { emulator, vod } = await start({ catalogue: LIBRARY });
    const query = { SortBy: 'CreationTime:Asc', PageSize: '100' };
    const first = await search(vod, { ...query, PageNo: '1' });
    const late: EmulatorVideo = {
      ...LIBRARY.videoAt(0),
      mediaType: 'video',
      videoId: `${'0'.repeat(31)}1`,
      creationTime: '2027-01-01T00:00:00Z',
    };
    emulator.addVideos([late]);
    const seen = idsOf(first);
    let token = first.ScrollToken;
    for (let pageNo = 2; pageNo <= 60; pageNo++) {
      const answer = await search(vod, { ...query, PageNo: String(pageNo), ScrollToken: token ?? '' });
      seen.push(...idsOf(answer));
      token = answer.ScrollToken;
    }
    expect(seen).toEqual([...VIDEO_HEADS.map((h) => h.videoId), late.videoId]);
  });
});

describe('SearchMedia refusals', () => {
  it.each([
    ["Title = 'unterminated"],
    ['Title = trailer'],
    ["Status in ('Normal'"],
    ["Title = 'a' or Title = 'b'"],
    ["Description = 'x'"],
    ["CateId = '1000012301'"],
    ['CreationTime = (,)'],
    ["CreationTime = ('2024-13-01T00:00:00Z',)"],
    ["Status = 'Normal' and"],
    [`VideoId in (${Array.from({ length: 101 }, (_, i) => `'${i}'`).join(',')})`],
  ])('answers the Match %s with 400 ErrorMatchSyntax', async (match) => {
    const { emulator, vod } = await start();
    const error = await refusal(search(vod, { Match: match }));
    expect(error).toMatchObject({ statusCode: 400, code: 'ErrorMatchSyntax' });
    expect(emulator.callsTo('SearchMedia').map((c) => c.status)).toEqual([400]);
  });

  it.each([
    ['PageSize', { PageSize: '0' }],
    ['PageSize', { PageSize: '101' }],
    ['PageNo', { PageNo: '0' }],
    ['SearchType', { SearchType: 'everything' }],
    ['SortBy', { SortBy: 'Title:Asc' }],
  ])('answers a bad %s with 400 InvalidParameter', async (name, query) => {
    const { vod } = await start();
    const error = await refusal(search(vod, query));
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
    expect(error.data.Message).toBe(`The specified parameter ${name} is not valid.`);
  });

  it('answers SortByExceededMax to two sort fields with a token', async () => {
    const { vod } = await start();
    const first = await search(vod, {});
    const error = await refusal(
      search(vod, {
        SortBy: 'CreationTime:Desc,ModificationTime:Desc',
        PageNo: '2',
        ScrollToken: first.ScrollToken ?? '',
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'SortByExceededMax' });
  });

  it('is under flow control like the other actions', async () => {
    const { vod } = await start({ qpsLimits: { SearchMedia: 0 } });
    const error = await refusal(search(vod, {}));
    expect(error).toMatchObject({ statusCode: 400, code: 'Throttling.User' });
  });
});
