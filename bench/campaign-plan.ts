import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulatorChild } from './emulator-child.js';
import { fmt, spread, verdict } from './stats.js';
import { BENCH_KEY } from './vod-setup.js';

const WORKER = fileURLToPath(new URL('./plan-worker.ts', import.meta.url));
/** Alibaba's documented limits per account, which the emulator enforces here. */
const GET_PLAY_INFO_QPS = 360;
const SEARCH_MEDIA_QPS = 50;
const MIB = 1024 * 1024;

export interface PlanRunResult {
  videos: number;
  ms: number;
  /** The least time Alibaba's read limits allow for the calls the walk needs. */
  idealMs: number;
  peakRssMiB: number;
  rssBeforeMiB: number;
  /** The largest V8 heap in use seen while planning: garbage included, until a collection frees it. */
  peakHeapUsedMiB: number;
  /** The heap still in use once the plan is done and a full collection ran: what the planner holds. */
  heapAfterGcMiB: number;
  videosScanned: number;
  unreadable: number;
  items: number;
  streams: number;
  searchCalls: number;
  playInfoCalls: number;
  /** Answers the emulator's flow control refused (retried by the call policy). */
  throttled: number;
}

/**
 * Plans one campaign (`--stream-status Invisible`) over a generated library of `videos` in a vod-ops process of its
 * own (the product's runtime and SQLite store, the planner, the account-wide budgets: 340/s for GetPlayInfo, 48/s
 * for SearchMedia), against the emulator in its own process enforcing Alibaba's documented 360 GetPlayInfo and 50
 * SearchMedia calls a second.
 */
export async function benchCampaignPlan(videos: number): Promise<PlanRunResult> {
  const emulator = await startEmulatorChild({
    credentials: [BENCH_KEY],
    library: { videos, seed: `campaign-plan-${videos}` },
    qpsLimits: { GetPlayInfo: GET_PLAY_INFO_QPS, SearchMedia: SEARCH_MEDIA_QPS },
  });
  const dir = mkdtempSync(join(tmpdir(), 'vod-ops-bench-plan-'));
  let seen: Awaited<ReturnType<typeof emulator.stop>> | undefined;
  try {
    const worker = fork(WORKER, [], {
      env: {
        ...process.env,
        VOD_ENDPOINT: emulator.endpoint,
        ALIBABA_CLOUD_ACCESS_KEY_ID: BENCH_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret,
        VOD_OPS_DB_PATH: join(dir, 'vod-ops.db'),
        VOD_OPS_LOG_LEVEL: 'warn',
        DATABASE_URL: '',
      },
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const [report] = (await once(worker, 'message')) as [
      Omit<
        PlanRunResult,
        | 'videos'
        | 'idealMs'
        | 'peakRssMiB'
        | 'rssBeforeMiB'
        | 'peakHeapUsedMiB'
        | 'heapAfterGcMiB'
        | 'searchCalls'
        | 'playInfoCalls'
        | 'throttled'
      > & {
        peakRss: number;
        rssBefore: number;
        peaks: { heapUsed: number };
        heapAfterGc: number;
      },
    ];
    if (worker.exitCode === null) await once(worker, 'exit');
    seen = await emulator.stop();
    const searchCalls = seen.byAction.SearchMedia ?? 0;
    const playInfoCalls = seen.byAction.GetPlayInfo ?? 0;
    return {
      videos,
      ms: report.ms,
      idealMs: 1000 * Math.max(playInfoCalls / GET_PLAY_INFO_QPS, searchCalls / SEARCH_MEDIA_QPS),
      peakRssMiB: report.peakRss / MIB,
      rssBeforeMiB: report.rssBefore / MIB,
      peakHeapUsedMiB: report.peaks.heapUsed / MIB,
      heapAfterGcMiB: report.heapAfterGc / MIB,
      videosScanned: report.videosScanned,
      unreadable: report.unreadable,
      items: report.items,
      streams: report.streams,
      searchCalls,
      playInfoCalls,
      throttled: seen.throttled,
    };
  } finally {
    if (seen === undefined) await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function campaignPlanMarkdown(
  runs: ReadonlyArray<{ small: PlanRunResult; large: PlanRunResult }>,
): string {
  const first = runs[0];
  if (!first) return '';
  const row = (i: number, r: PlanRunResult) =>
    `| ${i + 1} | ${r.videos} | ${r.videosScanned} (+${r.unreadable} not read) | ${r.items} / ${r.streams} | ` +
    `${r.searchCalls} / ${r.playInfoCalls} | ${fmt(r.ms / 1000, 1)} | ${fmt(r.idealMs / 1000, 1)} | ` +
    `${fmt(r.ms / r.idealMs, 3)} | ${fmt(r.rssBeforeMiB, 1)} | ${fmt(r.peakRssMiB, 1)} | ` +
    `${fmt(r.peakHeapUsedMiB, 1)} | ${fmt(r.heapAfterGcMiB, 1)} | ${r.throttled} |`;
  const ratios = runs.map((r) => r.large.ms / r.large.idealMs);
  const growth = runs.map((r) => r.large.peakRssMiB - r.small.peakRssMiB);
  const held = runs.map((r) => r.large.heapAfterGcMiB - r.small.heapAfterGcMiB);
  return [
    '| run | library (videos) | videos scanned | items / streams | SearchMedia / GetPlayInfo calls | time (s) | ideal (s) | time / ideal | RSS at start (MiB) | peak RSS (MiB) | peak heap used (MiB) | heap held after GC (MiB) | throttled answers |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.flatMap(({ small, large }, i) => [row(i, small), row(i, large)]),
    '',
    `${runs.length} runs. Planning ${first.large.videos} videos took **${spread(
      runs.map((r) => r.large.ms / 1000),
      1,
    )} s**, against an ideal of ${spread(
      runs.map((r) => r.large.idealMs / 1000),
      1,
    )} s (Alibaba's read limits, for the calls the walk needs): time / ideal **${spread(ratios, 3)}**. vod-ops ` +
      `reads at 340 GetPlayInfo a second, under the documented 360 (a margin the whole account shares), so 1.06 is ` +
      `the floor. What the planner holds once done (heap in use after a full collection), at ${first.large.videos} ` +
      `videos minus at ${first.small.videos}: **${spread(held, 1)} MiB**: items go to the store a page at a time and ` +
      `nothing of the walk is kept. Peak RSS grows more (**${spread(growth, 1)} MiB**): V8 lets garbage build up ` +
      `longer in a longer run before a full collection (the peak heap in use grows likewise), which is the ` +
      `collector's high-water mark, not memory held. Target (no throttled answer; what the planner holds under ` +
      `10 MiB more for 10× the library): ${verdict(
        held,
        (g) => g < 10,
        runs.map((r) => r.large.throttled === 0 && r.small.throttled === 0),
      )}; peak RSS under 50 MiB more: ${verdict(growth, (g) => g < 50)}.`,
  ].join('\n');
}
