import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createBulkCatalogue } from '../src/sandbox/index.js';
import { startEmulatorChild } from './emulator-child.js';
import { fmt, spread, verdict } from './stats.js';
import { BENCH_KEY } from './vod-setup.js';

const WORKER = fileURLToPath(new URL('../test/helpers/rate-worker.ts', import.meta.url));

export interface AccountRateResult {
  processes: number;
  perProcess: number;
  limitQps: number;
  maxQps: number;
  /** Paced under the budget the store shares (the product), or each process by itself (before). */
  shared: boolean;
  succeeded: number;
  /** Calls that ended in an error. */
  failed: number;
  /** Of those, throttling errors that outlasted the retries and reached the caller (a request, in the product). */
  throttlingErrorsToCallers: number;
  throttledAtEmulator: number;
  /** The most DeleteStream calls that reached the emulator (accepted or throttled) in any sliding 1000 ms. */
  busiestSecond: number;
  /** Accepted calls per second, from the first accepted to the last. */
  achievedQps: number;
}

/**
 * `processes` vod-ops processes on one PostgreSQL store, each given `perProcess` DeleteStream calls at once, through
 * the product's adapter (`createVodAdapter`, VOD_MAX_QPS `maxQps`), against the emulator (its own process) enforcing
 * `limitQps` DeleteStream calls in any sliding second, as Alibaba does per account. `shared: false` paces each
 * process by itself, as vod-ops did before the budget was shared: the baseline, in the same run.
 */
export async function benchAccountRate(options: {
  processes: number;
  perProcess: number;
  limitQps: number;
  maxQps: number;
  shared: boolean;
  databaseUrl: string;
}): Promise<AccountRateResult> {
  const total = options.processes * options.perProcess;
  const bulk = { videos: total, streamsPerVideo: 1, seed: `account-rate-${options.shared}` };
  const catalogue = createBulkCatalogue(bulk);
  const emulator = await startEmulatorChild({
    credentials: [BENCH_KEY],
    bulk,
    qpsLimits: { DeleteStream: options.limitQps },
  });
  const schema = `vodops_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const withSchema = new URL(options.databaseUrl);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  try {
    const env = {
      ...process.env,
      DATABASE_URL: withSchema.toString(),
      VOD_ENDPOINT: emulator.endpoint,
      VOD_MAX_QPS: String(options.maxQps),
      ALIBABA_CLOUD_ACCESS_KEY_ID: BENCH_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret,
      RATE_WORKER_SHARED: String(options.shared),
      // Each process warm, as a replica that has been serving is: its first deletions are not a cold start's.
      RATE_WORKER_WARM_VIDEO_ID: catalogue[0]?.videoId ?? '',
    };
    const workers = Array.from({ length: options.processes }, () =>
      fork(WORKER, [], { env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
    );
    await Promise.all(workers.map((w) => once(w, 'message')));
    const results = workers.map((w) => once(w, 'message'));
    workers.forEach((w, i) => {
      const mine = catalogue.slice(i * options.perProcess, (i + 1) * options.perProcess);
      w.send({ targets: mine.map((v) => ({ videoId: v.videoId, jobId: v.streams[0]?.jobId })) });
    });
    const outcomes = (await Promise.all(results)).map(
      ([m]) => m as { succeeded: number; failed: number; throttled: number },
    );
    await Promise.all(workers.map((w) => (w.exitCode === null ? once(w, 'exit') : undefined)));
    const seen = await emulator.stop();
    const accepted = [...seen.deletesAcceptedAt].sort((a, b) => a - b);
    const arrived = [...seen.deletesArrivedAt].sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < arrived.length; i++) {
      while ((arrived[j] ?? Number.POSITIVE_INFINITY) < (arrived[i] ?? 0) + 1000) j++;
      busiest = Math.max(busiest, j - i);
    }
    const spanSeconds = ((accepted.at(-1) ?? 0) - (accepted[0] ?? 0)) / 1000;
    return {
      ...options,
      succeeded: outcomes.reduce((n, o) => n + o.succeeded, 0),
      failed: outcomes.reduce((n, o) => n + o.failed, 0),
      throttlingErrorsToCallers: outcomes.reduce((n, o) => n + o.throttled, 0),
      throttledAtEmulator: seen.throttled,
      busiestSecond: busiest,
      achievedQps: spanSeconds > 0 ? (accepted.length - 1) / spanSeconds : 0,
    };
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

/** A shared run met the target: at most the limit in any sliding second, ≥95% of it, no throttling error reaching a request. */
const sharedClean = (r: AccountRateResult) =>
  r.busiestSecond <= r.limitQps && r.failed === 0 && r.throttlingErrorsToCallers === 0;

export function accountRateMarkdown(
  runs: ReadonlyArray<{ shared: AccountRateResult; alone: AccountRateResult }>,
): string {
  const first = runs[0]?.shared;
  if (!first) return '';
  const row = (name: string, i: number, r: AccountRateResult) =>
    `| ${i + 1} | ${name} | ${r.succeeded} / ${r.failed} | ${r.throttlingErrorsToCallers} | ${r.throttledAtEmulator} | ` +
    `${r.busiestSecond} | ${fmt(r.achievedQps, 2)} (${fmt((100 * r.achievedQps) / r.limitQps, 1)}%) |`;
  const percent = runs.map(({ shared }) => (100 * shared.achievedQps) / shared.limitQps);
  return [
    '| run | pacing | succeeded / failed | throttling errors reaching a request | throttled answers at the emulator (retried) | most calls in any sliding second | accepted calls/s (% of the limit) |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...runs.flatMap(({ shared, alone }, i) => [
      row('shared budget (vod-ops)', i, shared),
      row('each process alone (before)', i, alone),
    ]),
    '',
    `${first.processes} processes × ${first.perProcess} calls at once, ${first.limitQps} calls/s enforced, ` +
      `\`VOD_MAX_QPS\` ${first.maxQps}, ${runs.length} runs. Shared budget: most calls in any sliding second ` +
      `${spread(
        runs.map((r) => r.shared.busiestSecond),
        0,
      )}, accepted rate **${spread(percent, 1)}%** of the limit. ` +
      `Target (at most ${first.limitQps} in any sliding second, at least 95% of ${first.limitQps}/s together, no ` +
      `throttling error reaching a request): ${verdict(
        percent,
        (p) => p >= 95,
        runs.map((r) => sharedClean(r.shared)),
      )}.`,
  ].join('\n');
}
