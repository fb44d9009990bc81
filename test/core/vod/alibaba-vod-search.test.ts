import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import type { VodAction } from '../../../src/core/vod/alibaba-vod.js';
import type { Limiter } from '../../../src/core/vod/rate-limiter.js';
import type { MediaSearch, VodApi } from '../../../src/core/vod/vod-api.js';
import { createLibraryCatalogue, type EmulatorVideo } from '../../../src/sandbox/index.js';
import { startVodFixture, type VodFixture, vodCallLines } from '../../helpers/vod-fixture.js';

/** Pacing is the rate limiter's to prove (rate-limiter.test.ts); these walks make 170 calls and need none. */
const unpaced: Limiter = (fn) => fn();
const LIBRARY = createLibraryCatalogue({ videos: 12_000 });
const idsOf = (mediaType: 'video' | 'audio') =>
  LIBRARY.heads.filter((h) => h.mediaType === mediaType).map((h) => h.videoId);

// A small library whose hits for each filter are known by heart. E is audio: a video search never lists it.
const ID = {
  a: 'a0000000000000000000000000000001',
  b: 'b0000000000000000000000000000002',
  c: 'c0000000000000000000000000000003',
  d: 'd0000000000000000000000000000004',
  e: 'e0000000000000000000000000000005',
  f: 'f0000000000000000000000000000006',
};
const video = (videoId: string, fields: Partial<EmulatorVideo>): EmulatorVideo => ({
  videoId,
  title: '',
  status: 'Normal',
  mediaType: 'video',
  duration: 61.5,
  coverUrl: '',
  creationTime: '2024-01-01T00:00:00Z',
  storageClass: 'Standard',
  size: 5_000_000,
  streams: [],
  ...fields,
});
const SMALL: EmulatorVideo[] = [
  video(ID.a, {
    title: 'Spring launch trailer',
    cateId: 101,
    tags: ['promo', '2024'],
    creationTime: '2024-03-01T10:00:00Z',
  }),
  video(ID.b, {
    title: 'Launch keynote',
    cateId: 102,
    tags: ['keynote'],
    creationTime: '2024-06-01T00:00:00Z',
  }),
  video(ID.c, {
    title: 'Support clinic',
    status: 'Blocked',
    cateId: 101,
    tags: ['support', 'internal'],
    creationTime: '2025-01-15T08:00:00Z',
  }),
  video(ID.d, { title: 'Teaser TRAILER cut', status: 'Transcoding', creationTime: '2025-06-01T00:00:00Z' }),
  video(ID.e, {
    title: 'Launch podcast',
    mediaType: 'audio',
    cateId: 101,
    tags: ['promo'],
    creationTime: '2025-09-01T00:00:00Z',
  }),
  video(ID.f, {
    title: 'Webinar recording',
    cateId: 103,
    tags: ['webinar', 'promo'],
    creationTime: '2026-02-01T00:00:00Z',
  }),
];

let fixture: VodFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Reads page after page of 100 until an empty one, sending each answer's token with the next page when `scroll`. */
async function walk(
  vod: VodApi,
  options: { scroll: boolean } & Omit<MediaSearch, 'pageNo' | 'pageSize' | 'scrollToken'>,
): Promise<{ ids: string[]; totals: Set<number>; creationTimes: string[] }> {
  const { scroll, ...search } = options;
  const ids: string[] = [];
  const creationTimes: string[] = [];
  const totals = new Set<number>();
  let scrollToken: string | undefined;
  for (let pageNo = 1; ; pageNo++) {
    const page = await vod.searchMedia({
      ...search,
      pageNo,
      pageSize: 100,
      ...(scroll && scrollToken ? { scrollToken } : {}),
    });
    totals.add(page.total);
    if (page.videos.length === 0) return { ids, totals, creationTimes };
    for (const video of page.videos) {
      ids.push(video.videoId);
      creationTimes.push(video.creationTime ?? '');
    }
    scrollToken = page.scrollToken;
  }
}

describe('AlibabaVod.searchMedia walking a library over HTTP', () => {
  it('sees every video of 12,000 exactly once, past the 5,000 limit, page by page with scroll tokens', async () => {
    fixture = await startVodFixture({ emulator: { catalogue: LIBRARY }, limiterFor: () => unpaced });
    const videos = await walk(fixture.vod, { scroll: true });
    const audio = await walk(fixture.vod, { scroll: true, mediaType: 'audio' });

    expect(videos.ids.length).toBeGreaterThan(5_000);
    expect(new Set(videos.ids).size).toBe(videos.ids.length);
    expect([...videos.ids].sort()).toEqual(idsOf('video').sort());
    expect(videos.totals).toEqual(new Set([idsOf('video').length]));
    expect(videos.creationTimes).toEqual([...videos.creationTimes].sort());
    expect([...audio.ids].sort()).toEqual(idsOf('audio').sort());
    expect(new Set([...videos.ids, ...audio.ids]).size).toBe(12_000);
  });

  it('stops at the first 5,000 videos without scroll tokens, while Total still counts them all', async () => {
    fixture = await startVodFixture({ emulator: { catalogue: LIBRARY }, limiterFor: () => unpaced });
    const { ids, totals } = await walk(fixture.vod, { scroll: false });
    expect(ids).toHaveLength(5_000);
    expect(new Set(ids).size).toBe(5_000);
    expect(totals).toEqual(new Set([idsOf('video').length]));
  });

  it('asks for video, the fields it reads, oldest first, and sends each page the token of the one before', async () => {
    fixture = await startVodFixture({ emulator: { catalogue: LIBRARY }, limiterFor: () => unpaced });
    const first = await fixture.vod.searchMedia({ pageNo: 1, pageSize: 100, match: "Status in ('Normal')" });
    await fixture.vod.searchMedia({
      pageNo: 2,
      pageSize: 100,
      match: "Status in ('Normal')",
      ...(first.scrollToken ? { scrollToken: first.scrollToken } : {}),
    });
    const [one, two] = fixture.emulator.callsTo('SearchMedia').map((c) => c.params);
    expect(one).toEqual({
      SearchType: 'video',
      Fields: 'Title,Status,CateId,Tags,Size,Duration,CreationTime',
      SortBy: 'CreationTime:Asc',
      PageNo: '1',
      PageSize: '100',
      Match: "Status in ('Normal')",
    });
    expect(two).toMatchObject({ PageNo: '2', ScrollToken: first.scrollToken });
    expect(first.scrollToken).toMatch(/^[0-9a-f]{32}$/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(vodCallLines(fixture.logs)).toMatchObject([
      { action: 'SearchMedia', pageNo: 1, outcome: 'succeeded' },
      { action: 'SearchMedia', pageNo: 2, outcome: 'succeeded' },
    ]);
  });

  it('reads each video’s title, status, category, tags, size, duration and creation time', async () => {
    fixture = await startVodFixture({ emulator: { catalogue: SMALL } });
    const page = await fixture.vod.searchMedia({ pageNo: 1, pageSize: 1, match: `VideoId = '${ID.a}'` });
    expect(page).toEqual({
      requestId: fixture.emulator.callsTo('SearchMedia')[0]?.requestId,
      listed: 1,
      total: 1,
      scrollToken: expect.stringMatching(/^[0-9a-f]{32}$/),
      videos: [
        {
          videoId: ID.a,
          title: 'Spring launch trailer',
          status: 'Normal',
          creationTime: '2024-03-01T10:00:00Z',
          cateId: 101,
          tags: ['promo', '2024'],
          sizeBytes: 5_000_000,
          durationSeconds: 61.5,
        },
      ],
    });
  });

  it('paces SearchMedia under a budget of its own, at 48 calls a second', async () => {
    const budgets: Array<[VodAction, number]> = [];
    fixture = await startVodFixture({
      limiterFor: (action, qps) => {
        budgets.push([action, qps]);
        return unpaced;
      },
    });
    expect(budgets).toContainEqual(['SearchMedia', 48]);
  });
});

describe('AlibabaVod.searchMedia filters', () => {
  it.each([
    ["Status in ('Normal')", [ID.a, ID.b, ID.f]],
    ["Status = 'Blocked'", [ID.c]],
    ["Status in ('Blocked','Transcoding')", [ID.c, ID.d]],
    ['CateId = 101', [ID.a, ID.c]],
    ["Tags in ('promo')", [ID.a, ID.f]],
    ["Tags in ('internal','keynote')", [ID.b, ID.c]],
    ["Title = 'trailer'", [ID.a, ID.d]],
    ["Title in ('keynote','clinic')", [ID.b, ID.c]],
    [`VideoId in ('${ID.a}','${ID.f}')`, [ID.a, ID.f]],
    ["CreationTime = ('2024-06-01T00:00:00Z','2025-06-01T00:00:00Z')", [ID.c]],
    ["CreationTime = ['2024-06-01T00:00:00Z','2025-06-01T00:00:00Z']", [ID.b, ID.c, ID.d]],
    ["CreationTime = ('2025-01-01T00:00:00Z',)", [ID.c, ID.d, ID.f]],
    ["CreationTime = (,'2024-06-01T00:00:00Z')", [ID.a]],
    ["Status in ('Normal') and CateId = 101 and Tags in ('promo')", [ID.a]],
    ["Title = 'launch' and CreationTime = ('2024-05-01T00:00:00Z',)", [ID.b]],
  ])('%s finds exactly the expected videos, oldest first', async (match, expected) => {
    fixture = await startVodFixture({ emulator: { catalogue: SMALL } });
    const page = await fixture.vod.searchMedia({ pageNo: 1, pageSize: 100, match });
    expect(page.videos.map((v) => v.videoId)).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  it('finds audio only when asked for audio', async () => {
    fixture = await startVodFixture({ emulator: { catalogue: SMALL } });
    const page = await fixture.vod.searchMedia({ mediaType: 'audio', pageNo: 1, pageSize: 10 });
    expect(page.videos).toMatchObject([{ videoId: ID.e, title: 'Launch podcast', tags: ['promo'] }]);
  });

  it('lists newest first when asked', async () => {
    fixture = await startVodFixture({ emulator: { catalogue: SMALL } });
    const page = await fixture.vod.searchMedia({ sortBy: 'CreationTime:Desc', pageNo: 1, pageSize: 10 });
    expect(page.videos.map((v) => v.videoId)).toEqual([ID.f, ID.d, ID.c, ID.b, ID.a]);
  });
});

describe('AlibabaVod.searchMedia failures', () => {
  it('reports an expired scroll token with Alibaba’s code, telling to start again at page 1, without retrying', async () => {
    let offsetMs = 0;
    fixture = await startVodFixture({
      emulator: { catalogue: SMALL, scrollTokenTtlMs: 60_000, now: () => Date.now() + offsetMs },
    });
    const first = await fixture.vod.searchMedia({ pageNo: 1, pageSize: 2 });
    offsetMs = 61_000;
    const error = await failure(
      fixture.vod.searchMedia({ pageNo: 2, pageSize: 2, scrollToken: first.scrollToken ?? '' }),
    );
    expect(error.code).toBe('UPSTREAM_REJECTED');
    expect(error.message).toMatch(
      /scroll token has expired \(HTTP 400, InvalidScrollToken\.Expired\).*page 1/,
    );
    expect(error.detail).toMatchObject({
      action: 'SearchMedia',
      vodCode: 'InvalidScrollToken.Expired',
      httpStatus: 400,
      attempts: 1,
      requestId: fixture.emulator.callsTo('SearchMedia')[1]?.requestId,
    });
  });

  it.each([["Title = 'unterminated"], ["Title = 'a' or Title = 'b'"], ["CateId = '101'"]])(
    'answers the malformed Match %s as ErrorMatchSyntax, a clear input error and never a 500',
    async (match) => {
      fixture = await startVodFixture({ emulator: { catalogue: SMALL } });
      const error = await failure(fixture.vod.searchMedia({ pageNo: 1, pageSize: 10, match }));
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/could not read the search filter \(HTTP 400, ErrorMatchSyntax\)/);
      expect(error.detail).toMatchObject({ vodCode: 'ErrorMatchSyntax', httpStatus: 400, attempts: 1 });
      expect(fixture.emulator.callsTo('SearchMedia').map((c) => c.status)).toEqual([400]);
    },
  );

  it('retries SearchMedia throttled by the emulator’s flow control, like the other reads', async () => {
    fixture = await startVodFixture({
      emulator: { catalogue: SMALL, qpsLimits: { SearchMedia: 1 } },
      // One second between attempts: the flow control's window has moved on by the retry.
      retry: { maxAttempts: 3, minDelayMs: 1_000, maxDelayMs: 1_000, maxRetryAfterMs: 50 },
      limiterFor: () => unpaced,
    });
    await fixture.vod.searchMedia({ pageNo: 1, pageSize: 2 });
    const page = await fixture.vod.searchMedia({ pageNo: 2, pageSize: 2 });
    expect(page.videos).toHaveLength(2);
    expect(fixture.emulator.callsTo('SearchMedia').map((c) => c.code)).toEqual([
      undefined,
      'Throttling.User',
      undefined,
    ]);
  });
});
