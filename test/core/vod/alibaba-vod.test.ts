import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { type JobIds, parseJobIds, type VideoId } from '../../../src/core/vod/input-rules.js';
import { someJobIds } from '../../helpers/builders.js';
import { DEMO } from '../../helpers/demo.js';
import { startVodFixture, TEST_KEY, type VodFixture, vodCallLines } from '../../helpers/vod-fixture.js';

// Demo catalogue (src/sandbox/catalogue.ts).
const KEYNOTE = DEMO.keynote;
const KEYNOTE_LD = DEMO.keynoteLd;
const KEYNOTE_SD = DEMO.keynoteSd;
const KEYNOTE_STALE_HD = DEMO.keynoteStaleHd;
const RAW_UPLOAD = DEMO.rawUpload;
const BLOCKED = DEMO.blocked;
const MISSING = DEMO.missing;

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

const jobIdsOf = (f: VodFixture, videoId: string) =>
  f.emulator.video(videoId)?.streams.map((s) => s.jobId) ?? [];

describe('AlibabaVod.deleteStream over HTTP', () => {
  it('deletes the streams with one signed call and returns Alibaba’s RequestId', async () => {
    fixture = await startVodFixture();
    const outcome = await fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD, KEYNOTE_SD));

    const calls = fixture.emulator.callsTo('DeleteStream');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.params).toMatchObject({ VideoId: KEYNOTE, JobIds: `${KEYNOTE_LD},${KEYNOTE_SD}` });
    expect(outcome).toEqual({
      requestId: calls[0]?.requestId,
      requestIds: [calls[0]?.requestId],
      attempts: 1,
      alreadyDeleted: false,
    });
    expect(jobIdsOf(fixture, KEYNOTE)).not.toContain(KEYNOTE_LD);
    expect(jobIdsOf(fixture, KEYNOTE)).not.toContain(KEYNOTE_SD);
  });

  it('writes one JSON log line per call with action, ids, attempts, duration, outcome and RequestId', async () => {
    fixture = await startVodFixture();
    const outcome = await fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD));
    // A success's line is written once the caller has its answer, on the next turn of the event loop.
    expect(vodCallLines(fixture.logs)).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    const lines = vodCallLines(fixture.logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      action: 'DeleteStream',
      videoId: KEYNOTE,
      jobIds: [KEYNOTE_LD],
      attempts: 1,
      outcome: 'succeeded',
      requestId: outcome.requestId,
    });
    expect(typeof lines[0]?.durationMs).toBe('number');
    expect(fixture.rawLog()).not.toContain(TEST_KEY.accessKeySecret);
  });

  it.each([
    ['InvalidVideo.NotFound', MISSING, [KEYNOTE_LD], 'NOT_FOUND', 404, /Video 0+ does not exist/],
    [
      'InvalidStream.NotFound',
      KEYNOTE,
      [KEYNOTE_LD, MISSING],
      'NOT_FOUND',
      404,
      /not streams of video .*nothing was deleted/,
    ],
  ])(
    'maps %s to a clear sentence with the RequestId, and sends it once',
    async (code, videoId, jobIds, appCode, status, message) => {
      fixture = await startVodFixture();
      const error = await failure(fixture.vod.deleteStream(videoId as VideoId, someJobIds(...jobIds)));
      const calls = fixture.emulator.callsTo('DeleteStream');
      expect(calls).toHaveLength(1);
      expect(error.code).toBe(appCode);
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/https?:|127\.0\.0\.1|request id/i);
      expect(error.detail).toMatchObject({
        vodCode: code,
        httpStatus: status,
        requestId: calls[0]?.requestId,
        attempts: 1,
      });
      expect(vodCallLines(fixture.logs)[0]).toMatchObject({
        outcome: 'failed',
        code,
        requestId: calls[0]?.requestId,
      });
      expect(jobIdsOf(fixture, KEYNOTE)).toContain(KEYNOTE_LD);
    },
  );

  it('retries DeleteStreamFailed and succeeds, recording every attempt’s RequestId', async () => {
    fixture = await startVodFixture();
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed', times: 2 });
    const outcome = await fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD));
    const calls = fixture.emulator.callsTo('DeleteStream');
    expect(calls.map((c) => c.code)).toEqual(['DeleteStreamFailed', 'DeleteStreamFailed', undefined]);
    expect(outcome).toMatchObject({ attempts: 3, alreadyDeleted: false, requestId: calls[2]?.requestId });
    expect(outcome.requestIds).toEqual(calls.map((c) => c.requestId));
  });

  it('gives up on DeleteStreamFailed after four attempts with a sentence saying to try later', async () => {
    fixture = await startVodFixture();
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed', times: 10 });
    const error = await failure(fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD)));
    expect(fixture.emulator.callsTo('DeleteStream')).toHaveLength(4);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(
      /failed to delete the streams \(HTTP 503, DeleteStreamFailed\) \(after 4 attempts\)/,
    );
    expect(error.detail).toMatchObject({ vodCode: 'DeleteStreamFailed', httpStatus: 503, attempts: 4 });
  });

  it('retries throttling and succeeds, waiting the retryAfter Alibaba asked for', async () => {
    const sleeps: number[] = [];
    fixture = await startVodFixture({ sleep: async (ms) => void sleeps.push(ms) });
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'Throttling', times: 2, retryAfterMs: 30 });
    const outcome = await fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD));
    expect(fixture.emulator.callsTo('DeleteStream').map((c) => c.code)).toEqual([
      'Throttling.User',
      'Throttling.User',
      undefined,
    ]);
    expect(outcome.attempts).toBe(3);
    expect(sleeps).toEqual([30, 30]);
  });

  it('reports persistent throttling as a sentence suggesting a lower VOD_MAX_QPS', async () => {
    fixture = await startVodFixture();
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'Throttling', times: 10 });
    const error = await failure(fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD)));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/throttling .*Throttling\.User.*VOD_MAX_QPS/);
  });

  it('times out a call that gets no answer, retries, then checks the streams and says nothing was deleted', async () => {
    fixture = await startVodFixture({ env: { VOD_TIMEOUT_MS: '150' } });
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'stall', times: 10 });
    const error = await failure(fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD)));
    expect(fixture.emulator.callsTo('DeleteStream')).toHaveLength(4);
    const check = fixture.emulator.callsTo('GetPlayInfo').at(-1)?.requestId;
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(
      new RegExp(
        `did not answer DeleteStream within 0\\.2s \\(after 4 attempts\\)\\. The video's streams were checked afterwards \\(GetPlayInfo, RequestId ${check}\\): none of them was deleted`,
      ),
    );
    expect(error.detail).toMatchObject({
      failureKind: 'timeout',
      verified: 'not_deleted',
      checkRequestId: check,
    });
    expect(jobIdsOf(fixture, KEYNOTE)).toContain(KEYNOTE_LD);
  });

  it('reports a deletion whose answer was lost as done, even when every later attempt failed', async () => {
    fixture = await startVodFixture({ env: { VOD_TIMEOUT_MS: '150' } });
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'applyThenStall', times: 1 });
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed', times: 3 });
    const outcome = await fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD, KEYNOTE_SD));
    const calls = fixture.emulator.callsTo('DeleteStream');
    expect(calls).toHaveLength(4);
    expect(outcome).toMatchObject({
      alreadyDeleted: true,
      attempts: 4,
      requestId: calls[3]?.requestId,
      requestIds: calls.slice(1).map((c) => c.requestId),
      checkRequestId: fixture.emulator.callsTo('GetPlayInfo').at(-1)?.requestId,
    });
    expect(jobIdsOf(fixture, KEYNOTE)).not.toContain(KEYNOTE_LD);
    const deleteLines = vodCallLines(fixture.logs).filter((l) => l.action === 'DeleteStream');
    expect(deleteLines).toMatchObject([{ outcome: 'already_deleted', attempts: 4 }]);
  });

  it('says plainly that the outcome is unknown when even the streams cannot be read, with every RequestId', async () => {
    fixture = await startVodFixture({ env: { VOD_TIMEOUT_MS: '150' } });
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'applyThenStall', times: 1 });
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed', times: 3 });
    fixture.emulator.injectFault({ action: 'GetPlayInfo', kind: 'InternalError', times: 10 });
    const error = await failure(fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD)));
    const ids = fixture.emulator
      .callsTo('DeleteStream')
      .flatMap((c) => (c.requestId ? [c.requestId] : []))
      .slice(1);
    expect(error.message).toMatch(/Whether the streams were deleted is unknown/);
    expect(error.message).toContain(`RequestIds of the attempts: ${ids.join(', ')}.`);
    expect(error.message).not.toMatch(/Nothing is known to be deleted/);
    expect(error.detail).toMatchObject({ verified: 'unknown', requestIds: ids });
  });

  it('succeeds on the retry after a timeout that did nothing', async () => {
    fixture = await startVodFixture({ env: { VOD_TIMEOUT_MS: '150' } });
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'stall', times: 1 });
    const outcome = await fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD));
    expect(outcome).toMatchObject({ attempts: 2, alreadyDeleted: false });
  });

  it('reports "already deleted" when the first attempt deleted but its answer was lost', async () => {
    fixture = await startVodFixture({ env: { VOD_TIMEOUT_MS: '150' } });
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'applyThenStall', times: 1 });
    const outcome = await fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD, KEYNOTE_SD));
    const calls = fixture.emulator.callsTo('DeleteStream');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.code).toBe('InvalidStream.NotFound');
    expect(outcome).toMatchObject({ alreadyDeleted: true, attempts: 2, requestId: calls[1]?.requestId });
    expect(jobIdsOf(fixture, KEYNOTE)).not.toContain(KEYNOTE_LD);
    const deleteLines = vodCallLines(fixture.logs).filter((l) => l.action === 'DeleteStream');
    expect(deleteLines).toMatchObject([{ outcome: 'already_deleted', attempts: 2 }]);
  });

  it('does not report "already deleted" when the check that should confirm it fails', async () => {
    fixture = await startVodFixture({ env: { VOD_TIMEOUT_MS: '150' } });
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'stall', times: 1 });
    fixture.emulator.injectFault({ action: 'GetPlayInfo', kind: 'InternalError', times: 10 });
    const error = await failure(fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD, MISSING)));
    expect(error.detail.vodCode).toBe('InvalidStream.NotFound');
    expect(jobIdsOf(fixture, KEYNOTE)).toContain(KEYNOTE_LD);
    const deleteLine = vodCallLines(fixture.logs).find((l) => l.action === 'DeleteStream');
    expect(deleteLine).toMatchObject({ outcome: 'failed' });
  });

  it('does not turn a done deletion into a failure when its log line cannot be written', async () => {
    fixture = await startVodFixture({ brokenLog: true });
    const outcome = await fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD));
    expect(outcome.attempts).toBe(1);
    expect(jobIdsOf(fixture, KEYNOTE)).not.toContain(KEYNOTE_LD);
  });

  it('does not call a NotFound "already deleted" when the earlier attempt was only throttled', async () => {
    fixture = await startVodFixture();
    fixture.emulator.injectFault({ action: 'DeleteStream', kind: 'Throttling', times: 1 });
    const error = await failure(fixture.vod.deleteStream(KEYNOTE, someJobIds(MISSING)));
    expect(error.detail.vodCode).toBe('InvalidStream.NotFound');
  });

  it.each(['reset', 'html502'] as const)('retries after a %s and succeeds', async (kind) => {
    fixture = await startVodFixture();
    fixture.emulator.injectFault({ action: 'DeleteStream', kind, times: 1 });
    const outcome = await fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD));
    expect(outcome.attempts).toBe(2);
    expect(fixture.emulator.callsTo('DeleteStream')).toHaveLength(2);
  });

  it('reports a wrong AccessKey secret as a credentials problem, without retrying or leaking it', async () => {
    const wrong = {
      type: 'access-key' as const,
      accessKeyId: TEST_KEY.accessKeyId,
      accessKeySecret: 'not-the-secret',
    };
    fixture = await startVodFixture({ credentials: wrong });
    const error = await failure(fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD)));
    expect(fixture.emulator.callsTo('DeleteStream')).toHaveLength(1);
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/rejected the credentials \(HTTP 400, SignatureDoesNotMatch\)/);
    expect(error.message).not.toContain('not-the-secret');
    expect(fixture.rawLog()).not.toContain('not-the-secret');
    expect(jobIdsOf(fixture, KEYNOTE)).toContain(KEYNOTE_LD);
  });

  it('takes job IDs only as the input rules make them, which refuse more than 20 before any request', async () => {
    fixture = await startVodFixture();
    const many = Array.from({ length: 21 }, (_, i) => i.toString(16).padStart(32, 'a'));
    // @ts-expect-error A plain list is not JobIds: only parseJobIds makes them, so DeleteStream never sees 21.
    const unchecked: JobIds = many;
    expect(unchecked).toHaveLength(21);
    expect(() => parseJobIds(many)).toThrow(/at most 20/);
    expect(fixture.emulator.calls).toHaveLength(0);
  });

  it('says so when no credentials can be found, before any request', async () => {
    fixture = await startVodFixture({ credentials: { type: 'default-chain' } });
    const error = await failure(fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD)));
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/No Alibaba Cloud credentials were found.*--sandbox/);
    expect(fixture.emulator.calls).toHaveLength(0);
  });

  it('does not retry an endpoint that refuses connections', async () => {
    fixture = await startVodFixture({ env: { VOD_ENDPOINT: 'http://127.0.0.1:1' } });
    const error = await failure(fixture.vod.getVideoInfo(KEYNOTE));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/Could not connect/);
    expect(error.detail.attempts).toBe(1);
  });
});

describe('AlibabaVod reads over HTTP', () => {
  it('lists every stream with ResultType=Multiple, including a stale re-transcode', async () => {
    fixture = await startVodFixture();
    const info = await fixture.vod.getPlayInfo(KEYNOTE);
    expect(fixture.emulator.callsTo('GetPlayInfo')[0]?.params).toMatchObject({ ResultType: 'Multiple' });
    expect(info.streams).toHaveLength(5);
    const stale = info.streams.find((s) => s.jobId === KEYNOTE_STALE_HD);
    expect(stale).toMatchObject({ definition: 'HD', format: 'mp4', status: 'Invisible', encrypted: false });
    expect(typeof stale?.bitrateKbps).toBe('number');
    expect(typeof stale?.sizeBytes).toBe('number');
    expect(JSON.stringify(info)).not.toMatch(/PlayURL|https:/);
  });

  it('returns an empty list for a video with no transcoded stream, logged as a success', async () => {
    fixture = await startVodFixture();
    const info = await fixture.vod.getPlayInfo(RAW_UPLOAD);
    expect(info.streams).toEqual([]);
    expect(info.requestId).toBeTruthy();
    expect(vodCallLines(fixture.logs)).toMatchObject([{ action: 'GetPlayInfo', outcome: 'succeeded' }]);
  });

  it('explains that a video not in status Normal cannot be listed', async () => {
    fixture = await startVodFixture();
    const error = await failure(fixture.vod.getPlayInfo(BLOCKED));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/not in status Normal/);
  });

  it('reads the video’s title, status and source size', async () => {
    fixture = await startVodFixture();
    const video = await fixture.vod.getVideoInfo(KEYNOTE);
    expect(video).toMatchObject({
      videoId: KEYNOTE,
      title: 'Product launch keynote 2025',
      status: 'Normal',
      mediaType: 'video',
    });
    expect(video.sourceSizeBytes).toBe(2_147_483_648);
  });
});

describe('AlibabaVod with telemetry that fails', () => {
  it('still returns a deletion that happened, and says nothing of the metric', async () => {
    const broken = () => {
      throw new TypeError('Invalid value for histogram observation');
    };
    fixture = await startVodFixture({
      telemetry: {
        vodCall: broken,
        vodThrottled: broken,
        rateWait: broken,
        requestDecided: broken,
        requestExecuted: broken,
        campaignItem: broken,
        auditDelivery: broken,
      },
    });
    const outcome = await fixture.vod.deleteStream(KEYNOTE, someJobIds(KEYNOTE_LD));
    expect(outcome.requestId).toBe(fixture.emulator.callsTo('DeleteStream')[0]?.requestId);
    expect(outcome.alreadyDeleted).toBe(false);
  });
});
