import { performance } from 'node:perf_hooks';
import { AppError } from '../src/core/errors.js';
import { parseJobIds, parseVideoId } from '../src/core/vod/input-rules.js';
import { createBulkCatalogue } from '../src/sandbox/index.js';
import { startEmulatorChild } from './emulator-child.js';
import { fmt, spread, verdict } from './stats.js';
import { BENCH_KEY, createBenchVod } from './vod-setup.js';

export interface BurstResult {
  calls: number;
  limitQps: number;
  succeeded: number;
  failed: number;
  throttlingErrorsToCallers: number;
  throttledAtEmulator: number;
  elapsedSeconds: number;
  achievedQps: number;
  peakRssMiB: number;
}

/**
 * `calls` DeleteStream calls started at once through one process (one adapter, default settings) against an
 * emulator, in its own process, enforcing Alibaba's 50 calls/s for DeleteStream. Achieved rate = calls / (first start to last answer).
 */
export async function benchBurst(calls: number, limitQps: number): Promise<BurstResult> {
  const bulk = { videos: calls, streamsPerVideo: 1, seed: 'burst' };
  const catalogue = createBulkCatalogue(bulk);
  const emulator = await startEmulatorChild({
    credentials: [BENCH_KEY],
    bulk,
    qpsLimits: { DeleteStream: limitQps },
  });
  let stopped = false;
  try {
    const vod = createBenchVod(emulator.endpoint);
    const targets = catalogue.map((video) => ({
      videoId: parseVideoId(video.videoId),
      jobIds: parseJobIds([video.streams[0]?.jobId ?? '']),
    }));
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const t0 = performance.now();
    const results = await Promise.allSettled(
      targets.map(({ videoId, jobIds }) => vod.deleteStream(videoId, jobIds)),
    );
    const elapsedSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const counted = await emulator.stop();
    stopped = true;
    return {
      calls,
      limitQps,
      succeeded: results.length - failures.length,
      failed: failures.length,
      throttlingErrorsToCallers: failures.filter(
        (e) => e instanceof AppError && /Throttling/.test(String(e.detail.vodCode)),
      ).length,
      throttledAtEmulator: counted.throttled,
      elapsedSeconds,
      achievedQps: calls / elapsedSeconds,
      peakRssMiB: peakRss / 1024 / 1024,
    };
  } finally {
    if (!stopped) await emulator.stop();
  }
}

/** Whether a run met the target: every call succeeded, no throttling error reached a caller, ≥95% of the limit. */
const allDone = (r: BurstResult) => r.failed === 0 && r.throttlingErrorsToCallers === 0;

export function burstMarkdown(runs: readonly BurstResult[]): string {
  const first = runs[0];
  if (!first) return '';
  const percent = runs.map((r) => (100 * r.achievedQps) / r.limitQps);
  return [
    '| run | succeeded / failed | throttling errors reaching a caller | throttled answers at the emulator (retried) | elapsed (s) | achieved rate (calls/s) | % of the limit | peak RSS (MiB) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(
      (r, i) =>
        `| ${i + 1} | ${r.succeeded} / ${r.failed} | ${r.throttlingErrorsToCallers} | ${r.throttledAtEmulator} | ` +
        `${fmt(r.elapsedSeconds, 2)} | ${fmt(r.achievedQps, 2)} | ${fmt((100 * r.achievedQps) / r.limitQps, 1)} | ${fmt(r.peakRssMiB, 1)} |`,
    ),
    '',
    `${first.calls} calls at once against ${first.limitQps} calls/s, ${runs.length} runs. Achieved rate, min / median / ` +
      `max: **${spread(percent, 1)}%** of the limit. Target (all succeed, no throttling error reaches a caller, at ` +
      `least 95% of the limit): ${verdict(percent, (p) => p >= 95, runs.map(allDone))}.`,
  ].join('\n');
}
