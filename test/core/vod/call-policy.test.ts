import { expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
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
  };
  return { lines, deps };
}

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
