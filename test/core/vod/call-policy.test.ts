import { expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import { noTelemetry, type Telemetry } from '../../../src/core/telemetry.js';
import { VodCallFailure } from '../../../src/core/vod/call-failure.js';
import { createCallLog } from '../../../src/core/vod/call-log.js';
import { defaultRetryPolicy, runVodCall, type VodCallDeps } from '../../../src/core/vod/call-policy.js';
import { aVideoId, someJobIds } from '../../helpers/builders.js';

const VIDEO = aVideoId('94783faed59e41bde3bea921c994e5da');

function harness() {
  const lines: Array<{ action: string; outcome: string }> = [];
  const deps: VodCallDeps = {
    limiter: (fn) => fn(),
    retry: { ...defaultRetryPolicy, maxAttempts: 1 },
    log: createCallLog(createLogger({ write: (line: string) => lines.push(JSON.parse(line)) })),
    clock: systemClock,
    timeoutMs: 1000,
    sleep: async () => {},
    telemetry: noTelemetry,
    region: 'cn-shanghai',
  };
  return { lines, deps };
}

/** A Telemetry that records what it is told, observation by observation. */
function recordingTelemetry() {
  const seen: Array<[string, Record<string, unknown>]> = [];
  const record =
    (name: string) =>
    (fields: Record<string, unknown>): void => {
      seen.push([name, fields]);
    };
  const telemetry: Telemetry = {
    vodCall: record('vodCall'),
    vodThrottled: record('vodThrottled'),
    rateWait: record('rateWait'),
    requestDecided: record('requestDecided'),
    requestExecuted: record('requestExecuted'),
    campaignItem: record('campaignItem'),
    auditDelivery: record('auditDelivery'),
  };
  return { seen, telemetry };
}

it('tells telemetry of each attempt’s wait for the budget, each throttled attempt and the call once, by region', async () => {
  const { deps } = harness();
  const { seen, telemetry } = recordingTelemetry();
  let attempts = 0;
  await runVodCall(
    { action: 'DeleteStream', videoId: VIDEO, jobIds: someJobIds('a1b2c3d4e5f60718293a4b5c6d7e8f90') },
    async () => {
      attempts++;
      if (attempts === 1) throw new VodCallFailure('throttled', { code: 'Throttling.User', httpStatus: 400 });
      return { value: 1, requestId: 'REQ-2' };
    },
    {
      ...deps,
      telemetry,
      region: 'ap-southeast-1',
      retry: { ...defaultRetryPolicy, maxAttempts: 2, minDelayMs: 1, maxDelayMs: 1 },
    },
  );
  const labels = { region: 'ap-southeast-1', action: 'DeleteStream' };
  expect(seen.map(([name, fields]) => [name, { ...fields, seconds: typeof fields.seconds }])).toEqual([
    ['rateWait', { ...labels, seconds: 'number' }],
    ['vodThrottled', { ...labels, seconds: 'undefined' }],
    ['rateWait', { ...labels, seconds: 'number' }],
    ['vodCall', { ...labels, outcome: 'ok', code: 'none', seconds: 'number' }],
  ]);
});

it('labels a failed call with the kind of its failure and Alibaba’s code', async () => {
  const { deps } = harness();
  const { seen, telemetry } = recordingTelemetry();
  await runVodCall(
    { action: 'GetVideoInfo', videoId: VIDEO },
    async () => {
      throw new VodCallFailure('rejected', { code: 'Forbidden', httpStatus: 403, requestId: 'REQ-3' });
    },
    { ...deps, telemetry },
  ).catch(() => undefined);
  expect(seen.filter(([name]) => name === 'vodCall')).toMatchObject([
    ['vodCall', { region: 'cn-shanghai', action: 'GetVideoInfo', outcome: 'rejected', code: 'Forbidden' }],
  ]);
});

it('writes a success’s line once the caller has its answer, on the next turn of the event loop', async () => {
  const { lines, deps } = harness();
  const result = await runVodCall(
    { action: 'GetVideoInfo', videoId: VIDEO },
    async () => ({ value: 1, requestId: 'REQ-1' }),
    deps,
  );
  expect(result.requestId).toBe('REQ-1');
  expect(lines).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines).toMatchObject([{ action: 'GetVideoInfo', outcome: 'succeeded', requestId: 'REQ-1' }]);
});

it('keeps lines in the order the calls ended: a failure in the same turn comes after the success before it', async () => {
  const { lines, deps } = harness();
  await runVodCall(
    { action: 'GetVideoInfo', videoId: VIDEO },
    async () => ({ value: 1, requestId: 'REQ-1' }),
    deps,
  );
  // Still the same turn: the success's line is pending when the failure is logged.
  await runVodCall(
    { action: 'DeleteStream', videoId: VIDEO, jobIds: someJobIds('a1b2c3d4e5f60718293a4b5c6d7e8f90') },
    async () => {
      throw new VodCallFailure('rejected', { code: 'Forbidden', httpStatus: 403, requestId: 'REQ-2' });
    },
    deps,
  ).catch(() => undefined);
  expect(lines.map((l) => [l.action, l.outcome])).toEqual([
    ['GetVideoInfo', 'succeeded'],
    ['DeleteStream', 'failed'],
  ]);
});

it('writes every waiting line when the log is flushed, as the adapter does when it closes', async () => {
  const { lines, deps } = harness();
  await runVodCall(
    { action: 'GetPlayInfo', videoId: VIDEO },
    async () => ({ value: 1, requestId: 'REQ-1' }),
    deps,
  );
  expect(lines).toEqual([]);
  deps.log.flush();
  expect(lines).toMatchObject([{ action: 'GetPlayInfo', outcome: 'succeeded', requestId: 'REQ-1' }]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines).toHaveLength(1);
});
