import { describe, expect, it } from 'vitest';
import { VodCallFailure } from '../../../src/core/vod/call-failure.js';
import { toAppError } from '../../../src/core/vod/error-messages.js';

const call = {
  action: 'DeleteStream',
  videoId: 'v'.repeat(32),
  attempts: 1,
  requestIds: ['R1'],
  timeoutMs: 10_000,
};

describe('toAppError', () => {
  it.each([
    ['JobIdsExceededMax', 400, 'INVALID_INPUT', /at most 20 job IDs per video\. Split the request/],
    ['InvalidVideo.NotFound', 404, 'NOT_FOUND', /does not exist/],
    ['InvalidStream.NotFound', 404, 'NOT_FOUND', /List the video's streams/],
    ['DeleteStreamFailed', 503, 'UPSTREAM_UNAVAILABLE', /try again later/],
    ['Forbidden.RAM', 403, 'FORBIDDEN', /vod:DeleteStream, vod:GetPlayInfo and vod:GetVideoInfo/],
    ['InvalidAccessKeyId.NotFound', 404, 'CONFIG', /rejected the credentials/],
    ['SomethingNew', 400, 'UPSTREAM_REJECTED', /refused DeleteStream .*SomethingNew/],
  ])('gives %s its own sentence', (code, httpStatus, appCode, message) => {
    const kind = httpStatus >= 500 ? 'server' : 'rejected';
    const error = toAppError(new VodCallFailure(kind, { code, httpStatus, requestId: 'RID-1' }), call);
    expect(error.code).toBe(appCode);
    expect(error.message).toMatch(message);
    expect(error.detail).toMatchObject({ vodCode: code, httpStatus, requestId: 'RID-1' });
  });

  it.each([
    ['ErrorMatchSyntax', 'INVALID_INPUT', /could not read the search filter .*Match expression/],
    ['SortByExceededMax', 'INVALID_INPUT', /sorts on one field only/],
    [
      'InvalidScrollToken.Expired',
      'UPSTREAM_REJECTED',
      /scroll token has expired .*Start it again at page 1/,
    ],
    [
      'InvalidScrollToken.OutOfRange',
      'UPSTREAM_REJECTED',
      /refused the library search's scroll token .*page 1/,
    ],
    ['Forbidden.RAM', 'FORBIDDEN', /Grant the RAM action vod:SearchMedia/],
    ['SomethingNew', 'UPSTREAM_REJECTED', /^Alibaba Cloud refused SearchMedia \(HTTP 400, SomethingNew\)\.$/],
  ])('gives SearchMedia’s %s its own sentence, about no video', (code, appCode, message) => {
    const search = { action: 'SearchMedia', attempts: 1, requestIds: ['R1'], timeoutMs: 10_000 };
    const error = toAppError(
      new VodCallFailure('rejected', { code, httpStatus: 400, requestId: 'RID-1' }),
      search,
    );
    expect(error.code).toBe(appCode);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/undefined/);
    expect(error.detail).toMatchObject({ action: 'SearchMedia', vodCode: code, requestId: 'RID-1' });
  });

  it('never lets a hostile Code smuggle markup or a URL into the message', () => {
    const error = toAppError(
      new VodCallFailure('rejected', { code: '<a href="https://x">', httpStatus: 400 }),
      call,
    );
    expect(error.message).not.toMatch(/[<>"/]/);
  });
});
