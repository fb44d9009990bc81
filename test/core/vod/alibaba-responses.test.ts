import { describe, expect, it } from 'vitest';
import { SearchMediaBody, toMediaSearchPage } from '../../../src/core/vod/alibaba-responses.js';

const page = (body: unknown) => toMediaSearchPage(SearchMediaBody.parse(body));

describe('SearchMedia answers', () => {
  it('reads numbers sent as strings and tags as one comma-separated string', () => {
    expect(
      page({
        RequestId: 'RID',
        Total: '2',
        ScrollToken: '24e0fba7188fa0000e707e146esa5400',
        MediaList: [
          {
            MediaId: 'v1',
            MediaType: 'video',
            CreationTime: '2018-07-20T04:29:04Z',
            Video: {
              VideoId: 'v1',
              Title: 't',
              Status: 'Normal',
              CateId: '1000123',
              Tags: 'a, b,,c',
              Size: '10897890',
              Duration: '135.6',
            },
          },
          {
            MediaId: 'v2',
            MediaType: 'video',
            CreationTime: '2018-07-21T00:00:00Z',
            Video: { VideoId: 'v2' },
          },
        ],
      }),
    ).toEqual({
      requestId: 'RID',
      listed: 2,
      total: 2,
      scrollToken: '24e0fba7188fa0000e707e146esa5400',
      videos: [
        {
          videoId: 'v1',
          title: 't',
          status: 'Normal',
          creationTime: '2018-07-20T04:29:04Z',
          cateId: 1000123,
          tags: ['a', 'b', 'c'],
          sizeBytes: 10897890,
          durationSeconds: 135.6,
        },
        {
          videoId: 'v2',
          title: '',
          status: 'unknown',
          creationTime: '2018-07-21T00:00:00Z',
          cateId: undefined,
          tags: [],
          sizeBytes: undefined,
          durationSeconds: undefined,
        },
      ],
    });
  });

  it('takes a missing MediaList for an empty page, and an audio asset by its AudioId', () => {
    expect(page({ RequestId: 'RID', Total: 0 })).toEqual({
      requestId: 'RID',
      listed: 0,
      total: 0,
      videos: [],
    });
    expect(
      page({
        RequestId: 'RID',
        MediaList: [{ MediaId: 'a1', MediaType: 'audio', Audio: { AudioId: 'a1' } }],
      }),
    ).toMatchObject({ total: 1, videos: [{ videoId: 'a1' }] });
  });

  it('writes ids in lower case and instants to the second, as a walk compares them, and counts what it could not read', () => {
    expect(
      page({
        RequestId: 'RID',
        MediaList: [
          { MediaId: 'ABC', CreationTime: '2018-07-20T04:29:04.123Z', Video: { VideoId: 'ABC' } },
          { MediaId: '', Video: {} },
          { MediaId: 'd1', CreationTime: 'yesterday', Video: { VideoId: 'd1' } },
        ],
      }),
    ).toMatchObject({
      listed: 3,
      videos: [{ videoId: 'abc', creationTime: '2018-07-20T04:29:04Z' }, { videoId: 'd1' }],
    });
  });

  it('refuses a body without a RequestId, which is not Alibaba’s answer', () => {
    expect(SearchMediaBody.safeParse({ Total: 0, MediaList: [] }).success).toBe(false);
  });
});
