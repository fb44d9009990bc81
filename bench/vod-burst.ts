import { performance } from 'node:perf_hooks';
import { AppError } from '../src/core/errors.js';
import { parseJobIds, parseVideoId } from '../src/core/vod/input-rules.js';
import { createBulkCatalogue } from '../src/sandbox/index.js';
import { startEmulatorChild } from './emulator-child.js';
import { fmt } from './stats.js';
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

export function burstMarkdown(r: BurstResult): string {
  const ok = r.failed === 0 && r.throttlingErrorsToCallers === 0 && r.achievedQps >= 0.95 * r.limitQps;
  return [
    '| measure | value |',
    '| --- | ---: |',
    `| concurrent DeleteStream calls | ${r.calls} |`,
    `| emulator flow-control limit | ${r.limitQps} calls/s |`,
    `| succeeded / failed | ${r.succeeded} / ${r.failed} |`,
    `| throttling errors reaching a caller | ${r.throttlingErrorsToCallers} |`,
    `| throttled answers at the emulator (retried) | ${r.throttledAtEmulator} |`,
    `| elapsed | ${fmt(r.elapsedSeconds, 2)} s |`,
    `| achieved rate | ${fmt(r.achievedQps, 2)} calls/s (${fmt((100 * r.achievedQps) / r.limitQps, 1)}% of the limit) |`,
    `| peak RSS of the process during the burst | ${fmt(r.peakRssMiB, 1)} MiB |`,
    '',
    `Target (all succeed, no throttling error reaches a caller, at least 95% of the limit): ${ok ? 'met' : 'NOT met'}.`,
  ].join('\n');
}
