import { ClientError } from '@alicloud/openapi-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_VIDEO_IDS, type VodEmulator } from '../../src/sandbox/index.js';
import type { EngineClient } from './engine-client.js';
import { listedJobIds, startEmulatorWithEngine } from './fixture.js';

const { keynote, podcast, teaser, rawUpload, blocked } = DEMO_VIDEO_IDS;
const KEYNOTE_LD_MP4 = 'bbffd3db76aa4d4c98c5fa6f42f9bff9';
const KEYNOTE_SD_MP4 = '6dedefbfa26d4a3258e58d5fa289f8f3';
const KEYNOTE_HD_MP4 = '51ef1886f2c041cc16a961eeffde8045';
const KEYNOTE_HD_M3U8 = '06f3e173d8714d17189fbcec590a36f2';
const KEYNOTE_STALE_HD_MP4 = 'dfb7def03fe74233558bb253bb58650a';
const UNKNOWN_ID = '0000000000000000000000000000dead';
const TWENTY_ONE_IDS = Array.from({ length: 21 }, (_, i) => `${i}`.padStart(32, 'a')).join(',');

let emulator: VodEmulator;
let vod: EngineClient;

beforeEach(async () => {
  ({ emulator, vod } = await startEmulatorWithEngine());
});
afterEach(() => emulator.close());

describe('DeleteStream', () => {
  it('removes the named streams, so GetPlayInfo no longer lists them', async () => {
    const response = await vod.call('DeleteStream', {
      VideoId: keynote,
      JobIds: `${KEYNOTE_STALE_HD_MP4},${KEYNOTE_LD_MP4}`,
    });

    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.body)).toEqual(['RequestId']);
    expect(response.headers['x-acs-request-id']).toBe(response.body.RequestId);
    expect(await listedJobIds(vod, keynote)).toEqual([KEYNOTE_SD_MP4, KEYNOTE_HD_MP4, KEYNOTE_HD_M3U8]);
    expect(emulator.video(keynote)?.streams).toHaveLength(3);
  });

  it('records the call with its decoded parameters and request ID', async () => {
    const { body } = await vod.call('DeleteStream', {
      VideoId: teaser,
      JobIds: '789cf953f9e4440edf222f50c7beabcb',
    });

    expect(emulator.callsTo('DeleteStream')).toEqual([
      expect.objectContaining({
        action: 'DeleteStream',
        params: { VideoId: teaser, JobIds: '789cf953f9e4440edf222f50c7beabcb' },
        status: 200,
        requestId: body.RequestId,
        accessKeyId: 'LTAI5tSandboxKey000001',
      }),
    ]);
  });

  it.each([
    ['no VideoId', 400, 'MissingVideoId', { JobIds: KEYNOTE_LD_MP4 }],
    ['no JobIds', 400, 'MissingJobIds', { VideoId: keynote }],
    ['21 job IDs', 400, 'JobIdsExceededMax', { VideoId: keynote, JobIds: TWENTY_ONE_IDS }],
    ['an unknown video', 404, 'InvalidVideo.NotFound', { VideoId: UNKNOWN_ID, JobIds: KEYNOTE_LD_MP4 }],
    ['an unknown job ID', 404, 'InvalidStream.NotFound', { VideoId: keynote, JobIds: UNKNOWN_ID }],
    ["another video's job ID", 404, 'InvalidStream.NotFound', { VideoId: podcast, JobIds: KEYNOTE_LD_MP4 }],
  ])('refuses %s with %i %s', async (_case, statusCode, code, query) => {
    await expect(vod.call('DeleteStream', query)).rejects.toMatchObject({
      name: 'ClientError',
      statusCode,
      code,
    });
  });

  it('answers errors with the body Alibaba sends', async () => {
    const error: unknown = await vod
      .call('DeleteStream', { VideoId: UNKNOWN_ID, JobIds: KEYNOTE_LD_MP4 })
      .catch((e) => e);

    expect(error).toBeInstanceOf(ClientError);
    const { data, requestId } = error as ClientError & { data: Record<string, unknown> };
    expect(data).toEqual({
      RequestId: requestId,
      HostId: 'vod.cn-shanghai.aliyuncs.com',
      Code: 'InvalidVideo.NotFound',
      Message: 'The video does not exist.',
      Recommend: expect.stringContaining('InvalidVideo.NotFound'),
    });
    expect(requestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  it('accepts 20 job IDs', async () => {
    const jobIds = Array.from({ length: 20 }, () => KEYNOTE_LD_MP4).join(',');
    await expect(vod.call('DeleteStream', { VideoId: keynote, JobIds: jobIds })).resolves.toMatchObject({
      statusCode: 200,
    });
  });

  it('deletes nothing when any job ID of the list is unknown', async () => {
    await expect(
      vod.call('DeleteStream', {
        VideoId: keynote,
        JobIds: `${KEYNOTE_LD_MP4},${UNKNOWN_ID},${KEYNOTE_SD_MP4}`,
      }),
    ).rejects.toMatchObject({ code: 'InvalidStream.NotFound' });

    expect(emulator.video(keynote)?.streams).toHaveLength(5);
  });

  it('answers InvalidStream.NotFound when the same deletion is repeated', async () => {
    await vod.call('DeleteStream', { VideoId: keynote, JobIds: KEYNOTE_LD_MP4 });
    await expect(
      vod.call('DeleteStream', { VideoId: keynote, JobIds: KEYNOTE_LD_MP4 }),
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'InvalidStream.NotFound',
    });
  });

  it('leaves a video with nothing to play once its only stream is deleted', async () => {
    await vod.call('DeleteStream', { VideoId: teaser, JobIds: '789cf953f9e4440edf222f50c7beabcb' });
    await expect(vod.call('GetPlayInfo', { VideoId: teaser })).rejects.toMatchObject({
      statusCode: 404,
      code: 'InvalidVideo.NoneStream',
    });
  });

  it('deletes streams of a blocked video', async () => {
    await vod.call('DeleteStream', { VideoId: blocked, JobIds: 'a1ca0770a66a4a025d26099b76b9d3e1' });
    expect(emulator.video(blocked)?.streams.map((s) => s.jobId)).toEqual([
      '74c6401e3259475c5d630dc52f8d86e6',
    ]);
  });
});

describe('GetPlayInfo', () => {
  it('lists only the newest stream per definition and format by default', async () => {
    expect(await listedJobIds(vod, keynote, 'Single')).toEqual([
      KEYNOTE_LD_MP4,
      KEYNOTE_SD_MP4,
      KEYNOTE_HD_MP4,
      KEYNOTE_HD_M3U8,
    ]);
    const { body } = await vod.call('GetPlayInfo', { VideoId: keynote });
    expect((body.PlayInfoList as { PlayInfo: unknown[] }).PlayInfo).toHaveLength(4);
  });

  it('lists every stream, stale re-transcodes included, with ResultType Multiple', async () => {
    expect(await listedJobIds(vod, keynote, 'Multiple')).toEqual([
      KEYNOTE_LD_MP4,
      KEYNOTE_SD_MP4,
      KEYNOTE_HD_MP4,
      KEYNOTE_HD_M3U8,
      KEYNOTE_STALE_HD_MP4,
    ]);
  });

  it('emits the video base and each stream with the field types Alibaba uses', async () => {
    const { body } = await vod.call('GetPlayInfo', { VideoId: keynote, Formats: 'm3u8' });

    expect(body.VideoBase).toMatchObject({
      VideoId: keynote,
      Title: 'Product launch keynote 2025',
      Status: 'Normal',
      MediaType: 'video',
      Duration: '1843.52',
      CreationTime: '2025-03-02T08:14:09Z',
      StorageClass: 'Standard',
    });
    expect(body.PlayInfoList).toEqual({
      PlayInfo: [
        {
          JobId: KEYNOTE_HD_M3U8,
          Definition: 'HD',
          Format: 'm3u8',
          StreamType: 'video',
          Status: 'Normal',
          Bitrate: '1588.02',
          Size: 365_942_808,
          Duration: '1843.52',
          Width: 1280,
          Height: 720,
          Fps: '25',
          Encrypt: 0,
          PlayURL: `https://outin-demo.oss-cn-shanghai.aliyuncs.com/${keynote}/${KEYNOTE_HD_M3U8}.m3u8`,
          Specification: 'H264.HD',
          CreationTime: '2025-03-02T08:39:26Z',
          ModificationTime: '2025-03-02T08:39:26Z',
        },
      ],
    });
  });

  it('filters by definition, format and stream type', async () => {
    const hdMp4 = await vod.call('GetPlayInfo', {
      VideoId: keynote,
      Definition: 'HD',
      Formats: 'mp4',
      ResultType: 'Multiple',
    });
    const hdMp4Ids = (hdMp4.body.PlayInfoList as { PlayInfo: Array<{ JobId: string }> }).PlayInfo.map(
      (p) => p.JobId,
    );
    expect(hdMp4Ids).toEqual([KEYNOTE_HD_MP4, KEYNOTE_STALE_HD_MP4]);

    const audio = await vod.call('GetPlayInfo', { VideoId: podcast, StreamType: 'audio', Formats: 'mp3' });
    const audioInfo = (audio.body.PlayInfoList as { PlayInfo: Array<Record<string, unknown>> }).PlayInfo;
    expect(audioInfo.map((p) => [p.Definition, p.Format, p.Width])).toEqual([
      ['SQ', 'mp3', 0],
      ['HQ', 'mp3', 0],
    ]);
  });

  it('answers NoneStream when the filters leave nothing', async () => {
    await expect(vod.call('GetPlayInfo', { VideoId: podcast, Formats: 'flv' })).rejects.toMatchObject({
      code: 'InvalidVideo.NoneStream',
    });
  });

  it('answers NoneStream for a video that was never transcoded', async () => {
    await expect(vod.call('GetPlayInfo', { VideoId: rawUpload })).rejects.toMatchObject({
      statusCode: 404,
      code: 'InvalidVideo.NoneStream',
    });
  });

  it('refuses a video that is not in status Normal', async () => {
    await expect(vod.call('GetPlayInfo', { VideoId: blocked })).rejects.toMatchObject({
      statusCode: 403,
      code: 'Forbidden.IllegalStatus',
    });
  });

  it('answers NotFound for an unknown video', async () => {
    await expect(vod.call('GetPlayInfo', { VideoId: UNKNOWN_ID })).rejects.toMatchObject({
      statusCode: 404,
      code: 'InvalidVideo.NotFound',
    });
  });
});

describe('GetVideoInfo', () => {
  it('describes the video with a numeric duration and the source size', async () => {
    const { body } = await vod.call('GetVideoInfo', { VideoId: rawUpload });

    expect(body.Video).toMatchObject({
      VideoId: rawUpload,
      Title: 'Raw interview footage (never transcoded)',
      Status: 'Normal',
      Duration: 3605.4,
      Size: 9_663_676_416,
      StorageClass: 'IA',
      CreateTime: '2025-06-08 16:25:51',
      MediaType: 'video',
    });
  });

  it('describes a blocked video too', async () => {
    const { body } = await vod.call('GetVideoInfo', { VideoId: blocked });
    expect(body.Video).toMatchObject({ Status: 'Blocked' });
  });

  it('answers NotFound for an unknown video', async () => {
    await expect(vod.call('GetVideoInfo', { VideoId: UNKNOWN_ID })).rejects.toMatchObject({
      statusCode: 404,
      code: 'InvalidVideo.NotFound',
    });
  });
});
