import { ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBulkCatalogue, DEMO_VIDEO_IDS, type VodEmulator } from '../../src/sandbox/index.js';
import { replay, startCaptureServer } from './capture-server.js';
import { createEngineClient, type EngineClient } from './engine-client.js';
import { listedJobIds, SANDBOX_KEY, startEmulatorWithEngine } from './fixture.js';

const { keynote, teaser } = DEMO_VIDEO_IDS;
const TEASER_ONLY_STREAM = '789cf953f9e4440edf222f50c7beabcb';
const KEYNOTE_LD_MP4 = 'bbffd3db76aa4d4c98c5fa6f42f9bff9';

const running: VodEmulator[] = [];
async function start(...args: Parameters<typeof startEmulatorWithEngine>) {
  const started = await startEmulatorWithEngine(...args);
  running.push(started.emulator);
  return started;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

const deleteTeaserStream = (vod: EngineClient) =>
  vod.call('DeleteStream', { VideoId: teaser, JobIds: TEASER_ONLY_STREAM });

describe('signature verification with the official engine', () => {
  it('accepts what the engine signs with a known key', async () => {
    const { vod } = await start();
    await expect(vod.call('GetVideoInfo', { VideoId: keynote })).resolves.toMatchObject({ statusCode: 200 });
  });

  it('answers SignatureDoesNotMatch to a request signed with the wrong secret, and does nothing', async () => {
    const { emulator } = await start();
    const vod = createEngineClient({
      port: emulator.port,
      ...SANDBOX_KEY,
      accessKeySecret: 'not-the-secret',
    });

    const error: unknown = await deleteTeaserStream(vod).catch((e) => e);

    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ statusCode: 400, code: 'SignatureDoesNotMatch' });
    expect(emulator.video(teaser)?.streams).toHaveLength(1);
    expect(emulator.calls).toEqual([expect.objectContaining({ status: 400, code: 'SignatureDoesNotMatch' })]);
  });

  it('answers InvalidAccessKeyId.NotFound to an unknown AccessKeyId', async () => {
    const { emulator } = await start();
    const vod = createEngineClient({
      port: emulator.port,
      accessKeyId: 'LTAI5tNobody',
      accessKeySecret: 'x',
    });
    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({
      statusCode: 404,
      code: 'InvalidAccessKeyId.NotFound',
    });
  });

  it('answers InvalidTimeStamp.Expired when the clocks are more than 15 minutes apart', async () => {
    const { vod } = await start({ now: () => Date.now() + 16 * 60 * 1000 });
    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidTimeStamp.Expired',
    });
  });

  it('answers SignatureNonceUsed to a replayed request, and does not act twice', async () => {
    const { emulator } = await start();
    const capture = await startCaptureServer();
    await deleteTeaserStream(createEngineClient({ port: capture.port, ...SANDBOX_KEY }));
    await capture.close();
    const [signed] = capture.captured;

    const first = await replay(signed!, emulator.port);
    const second = await replay(signed!, emulator.port);

    expect(first.status).toBe(200);
    expect(second).toMatchObject({ status: 400, body: { Code: 'SignatureNonceUsed' } });
    expect(emulator.calls.map((call) => call.status)).toEqual([200, 400]);
  });
});

describe('routing', () => {
  it('answers InvalidAction.NotFound to an action VOD does not have', async () => {
    const { vod } = await start();
    await expect(vod.call('DeleteVideo', { VideoIds: keynote })).rejects.toMatchObject({
      statusCode: 404,
      code: 'InvalidAction.NotFound',
    });
  });

  it('answers InvalidVersion naming the supported version', async () => {
    const { vod } = await start();
    const error: unknown = await vod.call('GetVideoInfo', { VideoId: keynote }, '2014-06-18').catch((e) => e);
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidVersion' });
    expect((error as Error).message).toContain('2017-03-21');
  });

  it('checks the signature before the version, since the version header is signed', async () => {
    const { emulator } = await start();
    const capture = await startCaptureServer();
    await deleteTeaserStream(createEngineClient({ port: capture.port, ...SANDBOX_KEY }));
    await capture.close();
    const [signed] = capture.captured;

    const answer = await replay(signed!, emulator.port, { headers: { 'x-acs-version': '2014-06-18' } });

    expect(answer).toMatchObject({ status: 400, body: { Code: 'SignatureDoesNotMatch' } });
  });

  it('answers 404 to a path other than /', async () => {
    const { emulator } = await start();
    const response = await fetch(`${emulator.endpoint}/videos`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(await response.json()).toMatchObject({ Code: 'InvalidAction.NotFound' });
  });

  it('answers MissingAuthorization to an unsigned request', async () => {
    const { emulator } = await start();
    const response = await fetch(`${emulator.endpoint}/?VideoId=${teaser}`, {
      method: 'POST',
      headers: { 'x-acs-action': 'GetVideoInfo' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-acs-request-id')).toMatch(/^[0-9A-F-]{36}$/);
    expect(await response.json()).toMatchObject({ Code: 'MissingAuthorization' });
  });
});

describe('injected faults', () => {
  it('answers DeleteStreamFailed with 503 and deletes nothing', async () => {
    const { emulator, vod } = await start();
    emulator.injectFault({ kind: 'DeleteStreamFailed' });

    const error: unknown = await deleteTeaserStream(vod).catch((e) => e);

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ statusCode: 503, code: 'DeleteStreamFailed' });
    expect(emulator.video(teaser)?.streams).toHaveLength(1);
    await expect(deleteTeaserStream(vod)).resolves.toMatchObject({ statusCode: 200 });
  });

  it('answers Throttling.User with the retry-after header when asked', async () => {
    const { emulator, vod } = await start();
    emulator.injectFault({ kind: 'Throttling', retryAfterMs: 1500 });

    const error: unknown = await deleteTeaserStream(vod).catch((e) => e);

    expect(error).toBeInstanceOf(ThrottlingError);
    expect(error).toMatchObject({ statusCode: 400, code: 'Throttling.User', retryAfter: 1500 });
    expect((error as Error).message).toContain('Request was denied due to user flow control.');
  });

  it('answers InternalError with 500', async () => {
    const { emulator, vod } = await start();
    emulator.injectFault({ kind: 'InternalError' });
    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({
      name: 'ServerError',
      statusCode: 500,
      code: 'InternalError',
    });
  });

  it('answers a gateway HTML page, which the engine cannot parse', async () => {
    const { emulator, vod } = await start();
    emulator.injectFault({ kind: 'html502' });

    await expect(deleteTeaserStream(vod)).rejects.toBeInstanceOf(SyntaxError);
    expect(emulator.video(teaser)?.streams).toHaveLength(1);
    expect(emulator.calls).toEqual([expect.objectContaining({ status: 502, fault: 'html502' })]);
  });

  it('resets the connection without acting', async () => {
    const { emulator, vod } = await start();
    emulator.injectFault({ kind: 'reset' });

    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(emulator.video(teaser)?.streams).toHaveLength(1);
    expect(emulator.calls).toEqual([expect.objectContaining({ status: 0, fault: 'reset' })]);
  });

  it('stalls until the client gives up, without acting', async () => {
    const { emulator, vod } = await start({}, { readTimeout: 100 });
    emulator.injectFault({ kind: 'stall' });

    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({ name: 'RequestTimeoutError' });
    expect(emulator.video(teaser)?.streams).toHaveLength(1);
  });

  it('answers normally after a stall shorter than the client timeout', async () => {
    const { emulator, vod } = await start();
    emulator.injectFault({ kind: 'stall', delayMs: 20 });

    await expect(deleteTeaserStream(vod)).resolves.toMatchObject({ statusCode: 200 });
    expect(emulator.video(teaser)?.streams).toHaveLength(0);
  });

  it('applies the deletion and then loses the response', async () => {
    const { emulator, vod } = await start({}, { readTimeout: 100 });
    emulator.injectFault({ kind: 'applyThenStall' });

    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({ name: 'RequestTimeoutError' });
    expect(emulator.video(teaser)?.streams).toHaveLength(0);
    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({ code: 'InvalidStream.NotFound' });
  });

  it('consumes a fault only on the action it names, as many times as asked', async () => {
    const { emulator, vod } = await start();
    emulator.injectFault({ kind: 'InternalError', action: 'DeleteStream', times: 2 });

    await expect(vod.call('GetVideoInfo', { VideoId: teaser })).resolves.toMatchObject({ statusCode: 200 });
    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({ code: 'InternalError' });
    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({ code: 'InternalError' });
    await expect(deleteTeaserStream(vod)).resolves.toMatchObject({ statusCode: 200 });
  });

  it('applies latency after acting, so a client that times out has still changed the state', async () => {
    const { emulator, vod } = await start({ latencyMs: 300 }, { readTimeout: 100 });

    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({ name: 'RequestTimeoutError' });
    expect(emulator.video(teaser)?.streams).toHaveLength(0);
    emulator.setLatency(0);
    await expect(vod.call('GetVideoInfo', { VideoId: teaser })).resolves.toMatchObject({ statusCode: 200 });
  });
});

describe('flow control', () => {
  it('accepts at most the limit within one second and refuses the rest with Throttling.User', async () => {
    let clock = Date.now();
    const { emulator, vod } = await start({ now: () => clock, qpsLimits: { GetPlayInfo: 10 } });
    const burst = () =>
      Promise.allSettled(Array.from({ length: 30 }, () => vod.call('GetPlayInfo', { VideoId: keynote })));

    const first = await burst();

    expect(first.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refused = first.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused).toHaveLength(20);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(ThrottlingError);
      expect(reason).toMatchObject({ statusCode: 400, code: 'Throttling.User' });
    }
    expect(emulator.callsTo('GetPlayInfo').filter((c) => c.code === 'Throttling.User')).toHaveLength(20);

    clock += 999;
    await expect(vod.call('GetPlayInfo', { VideoId: keynote })).rejects.toMatchObject({
      code: 'Throttling.User',
    });
    clock += 1;
    expect((await burst()).filter((r) => r.status === 'fulfilled')).toHaveLength(10);
  });

  it('limits each action separately and can be lifted', async () => {
    const { emulator, vod } = await start({ qpsLimits: { DeleteStream: 0 } });

    await expect(deleteTeaserStream(vod)).rejects.toMatchObject({ code: 'Throttling.User' });
    await expect(vod.call('GetVideoInfo', { VideoId: teaser })).resolves.toMatchObject({ statusCode: 200 });
    emulator.setQpsLimit('DeleteStream', undefined);
    await expect(deleteTeaserStream(vod)).resolves.toMatchObject({ statusCode: 200 });
  });
});

describe('lifecycle and state', () => {
  it('closes promptly while a request is stalled, cutting the connection', async () => {
    const { emulator, vod } = await start({}, { readTimeout: 60_000 });
    emulator.injectFault({ kind: 'stall' });
    const pending = deleteTeaserStream(vod).catch((e: unknown) => e);
    await vi.waitFor(() => expect(emulator.calls).toHaveLength(1));

    await emulator.close();

    const error = await pending;
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(emulator.calls).toEqual([expect.objectContaining({ status: 0, fault: 'stall' })]);
    expect(emulator.video(teaser)?.streams).toHaveLength(1);
  });

  it('hands out copies of its state, and copies what it is given', async () => {
    const bulk = createBulkCatalogue({ videos: 2, streamsPerVideo: 3 });
    const { emulator, vod } = await start({ catalogue: bulk });
    const [first] = bulk;
    first!.streams.length = 0;
    emulator.video(first!.videoId)!.streams.length = 0;

    expect(await listedJobIds(vod, first!.videoId)).toHaveLength(3);

    emulator.addVideos(createBulkCatalogue({ videos: 1, streamsPerVideo: 1, seed: 'extra' }));
    expect(emulator.video(keynote)).toBeUndefined();
    expect(emulator.calls).toHaveLength(1);
  });

  it('serves the demo catalogue by default', async () => {
    const { vod } = await start();
    expect(await listedJobIds(vod, keynote)).toContain(KEYNOTE_LD_MP4);
  });
});
