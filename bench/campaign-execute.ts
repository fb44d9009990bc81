import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Campaign } from '../src/core/campaigns/campaign.js';
import { startWorker, type WorkerProcess } from '../test/helpers/worker-process.js';
import { startEmulatorChild } from './emulator-child.js';
import { busiestWindow, fmt, spread, verdict } from './stats.js';
import { BENCH_KEY } from './vod-setup.js';

/** Alibaba's documented limits per account, which the emulator enforces here. */
const LIMITS = { DeleteStream: 50, GetPlayInfo: 360, SearchMedia: 50 };
/** Each video has LD, SD and HD mp4; the rule deletes LD and SD (one item, one DeleteStream per video). */
const RULE = { streams: { definitions: ['LD', 'SD'] } };
const requester = { source: 'slack' as const, id: 'U0BENCHREQUESTER', displayName: 'bench requester' };
const approver = { source: 'slack' as const, id: 'U0BENCHAPPROVER', displayName: 'bench approver' };

export interface ExecuteRunResult {
  replicas: number;
  items: number;
  limitQps: number;
  maxQps: number;
  /** Planning the campaign (unmeasured in the rate): the walk in one replica. */
  planMs: number;
  /** From the campaign's start to its completion, as the replicas stored them. */
  ms: number;
  deleted: number;
  skipped: number;
  failed: number;
  /** Items that failed with a throttling code: throttling that outlasted the retries. */
  throttlingFailures: number;
  /** Items each replica settled, most first. */
  byReplica: number[];
  /** DeleteStream calls that reached the emulator, and of those, the ones it accepted and the ones it throttled. */
  deleteCalls: number;
  deletesAccepted: number;
  throttledDeletes: number;
  /** Throttled answers to every other action (GetPlayInfo, SearchMedia), retried. */
  throttledOther: number;
  /** The most DeleteStream calls that reached the emulator (accepted or throttled) in any sliding 1000 ms. */
  busiestSecond: number;
  /** Accepted DeleteStream calls per second, from the first accepted to the last. */
  achievedQps: number;
}

/**
 * A campaign of `items` items (one DeleteStream of two streams each) executed by `replicas` vod-ops processes, each
 * the product's composition (`openRuntime` and the sweeper, test/helpers/workflow-worker.ts) on one PostgreSQL
 * store with `VOD_MAX_QPS` `maxQps`, against the emulator in its own process enforcing Alibaba's documented limits
 * (50 DeleteStream, 360 GetPlayInfo, 50 SearchMedia calls in any sliding second). One replica plans the campaign
 * (unmeasured), another approves it; the run is measured from its start to its completion as stored.
 */
export async function benchCampaignExecute(options: {
  replicas: number;
  items: number;
  maxQps: number;
  databaseUrl: string;
}): Promise<ExecuteRunResult> {
  const emulator = await startEmulatorChild({
    credentials: [BENCH_KEY],
    bulk: { videos: options.items, streamsPerVideo: 3, seed: `campaign-execute-${options.replicas}` },
    qpsLimits: LIMITS,
  });
  const schema = `vodops_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const withSchema = new URL(options.databaseUrl);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  const replicas: WorkerProcess[] = [];
  let seen: Awaited<ReturnType<typeof emulator.stop>> | undefined;
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
      ALIBABA_CLOUD_ACCESS_KEY_ID: BENCH_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret,
      VOD_ENDPOINT: emulator.endpoint,
      VOD_MAX_QPS: String(options.maxQps),
      VOD_OPS_APPROVERS: approver.id,
      VOD_OPS_LOG_LEVEL: 'warn',
      DATABASE_URL: withSchema.toString(),
      // The product sweeps every 15 s; here every second, so the replicas join the run at once.
      TEST_SWEEP_MS: '1000',
    };
    for (let i = 0; i < options.replicas; i++) replicas.push(await startWorker(env));
    const [planner] = replicas;
    const decider = replicas.at(-1);
    if (!planner || !decider) throw new Error('no replica');
    const planStarted = performance.now();
    const planned = await planner.send<Campaign>({ cmd: 'plan-campaign', rule: RULE, requester });
    const planMs = performance.now() - planStarted;
    if (planned.plan.items !== options.items) {
      throw new Error(`planned ${planned.plan.items} items, expected ${options.items}`);
    }
    await decider.send({ cmd: 'vote-campaign', id: planned.id, approver });
    // A generous deadline: three times the least time the DeleteStream limit allows, plus a minute.
    const deadline = Date.now() + (3000 * options.items) / LIMITS.DeleteStream + 60_000;
    let done: Campaign | undefined;
    while (!done) {
      if (Date.now() > deadline) throw new Error(`campaign ${planned.id} did not complete in time`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const current = await planner.send<Campaign>({ cmd: 'campaign', id: planned.id });
      if (current.status === 'completed') done = current;
    }
    const counts = await admin.query<{ status: string; by: string | null; code: string | null; n: string }>(
      `SELECT status, data->'outcome'->>'by' AS by, data->'outcome'->>'code' AS code, count(*) AS n
       FROM ${schema}.campaign_items WHERE campaign_id = $1 GROUP BY 1, 2, 3`,
      [planned.id],
    );
    const count = (keep: (row: (typeof counts.rows)[number]) => boolean) =>
      counts.rows.filter(keep).reduce((n, row) => n + Number(row.n), 0);
    const byReplica = replicas.map((r) => count((row) => row.by === r.instanceId)).sort((a, b) => b - a);
    await Promise.all(replicas.splice(0).map((r) => r.stop()));
    seen = await emulator.stop();
    const accepted = [...seen.deletesAcceptedAt].sort((a, b) => a - b);
    const spanSeconds = ((accepted.at(-1) ?? 0) - (accepted[0] ?? 0)) / 1000;
    const throttledDeletes = seen.throttledByAction.DeleteStream ?? 0;
    return {
      replicas: options.replicas,
      items: options.items,
      limitQps: LIMITS.DeleteStream,
      maxQps: options.maxQps,
      planMs,
      ms: (done.execution?.finishedAt ?? 0) - (done.execution?.startedAt ?? 0),
      deleted: count((row) => row.status === 'deleted'),
      skipped: count((row) => row.status === 'skipped'),
      failed: count((row) => row.status === 'failed'),
      throttlingFailures: count((row) => row.status === 'failed' && /Throttling/.test(row.code ?? '')),
      byReplica,
      deleteCalls: seen.deletesArrivedAt.length,
      deletesAccepted: accepted.length,
      throttledDeletes,
      throttledOther: seen.throttled - throttledDeletes,
      busiestSecond: busiestWindow(seen.deletesArrivedAt, 1000),
      achievedQps: spanSeconds > 0 ? (accepted.length - 1) / spanSeconds : 0,
    };
  } finally {
    await Promise.all(replicas.map((r) => r.kill()));
    if (seen === undefined) await emulator.stop();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

/** A run met the target: at most the limit in any sliding second, every item deleted, no throttling reaching one. */
const clean = (r: ExecuteRunResult) =>
  r.busiestSecond <= r.limitQps && r.deleted === r.items && r.failed === 0 && r.throttlingFailures === 0;

/** One run of the section: three replicas at the limit, three at the product's default, and one alone. */
export interface ExecuteRuns {
  atLimit: ExecuteRunResult;
  atDefault: ExecuteRunResult;
  alone: ExecuteRunResult;
}

/** What the section measures, for docs/benchmarks.md: the prose above the table. */
export function campaignExecuteIntro(runs: readonly ExecuteRuns[]): string {
  const items = runs[0]?.atLimit.items ?? 0;
  const alone = runs[0]?.alone.items ?? 0;
  return `A campaign of ${items.toLocaleString('en')} items (${items.toLocaleString('en')} generated videos with LD, SD and HD mp4
streams; the rule deletes LD and SD, so each item is one DeleteStream of two streams and every video keeps its HD
one), planned by one replica and approved from another, then executed by three vod-ops processes, each the product's
composition (\`openRuntime\` and the sweeper, test/helpers/workflow-worker.ts, \`VOD_OPS_CAMPAIGN_CONCURRENCY\` at its
default 16), on one PostgreSQL store, against the emulator in its own process enforcing Alibaba's documented limits:
50 DeleteStream, 360 GetPlayInfo and 50 SearchMedia calls in any sliding second, the excess answered
\`Throttling.User\`. Each item is a GetPlayInfo re-read of its video and a DeleteStream, both paced under the budgets
every process of the store shares. Timed from the campaign's start to its completion as stored (\`execution.startedAt\`
to \`finishedAt\`); planning comes first and is not timed. The rate counts accepted DeleteStream calls from the first
to the last; "most in any sliding second" counts every DeleteStream that reached the emulator, throttled or not, over
every 1000 ms window starting at a call, as in the account-limit section above. The replicas sweep every second (the
product every 15 s), so all three join the run at once.

Three set-ups per run, one after the other: three replicas at \`VOD_MAX_QPS\` 50, the whole of the account's limit
(the target as it was set); three at the product's default, 48; and, as the baseline, one replica alone at 50 over
${alone.toLocaleString('en')} items (a fifth, to keep the section's time down; the rate is measured the same way).

Why the target is hard on both settings. At 50 the budget's slots are exactly 20 ms apart, the limit itself: a call
that leaves a few milliseconds late while the one fifty slots after it leaves on time puts 51 calls in one sliding
second, the emulator throttles one (as Alibaba would), and its retry takes another slot. That happens about once a
second, even for one replica alone; every throttled call was retried and none reached an item. The product's default,
48, leaves 2/s for it and saw almost no throttling, but its ceiling is 96% of the limit, so each slot a late process
gives up (a call that missed its slot by more than half a spacing takes the next one, see shared-rate-limiter.ts)
brings it closer to 95%. When this section was first measured (a run of it alone on 2026-12-04, the two cores
shared with other work, load average about 4), a one-off check right after it, under the same load, gave 47.78 calls/s
(busiest second 50, nothing throttled) for the account-limit section's bare calls at 48 (three processes × 500), and
47.72/s (busiest 52, 2 throttled) for a 1,500-item campaign on three replicas at 48: what a campaign adds to each
call (the re-read, the claim, the settling) costs next to nothing of the rate, and a busy machine costs about 1%. The
busiest seconds above 51 with three replicas at 50 are calls that started off their slots, most likely calls a busy
process let start after missing three slots in a row (\`MAX_RESERVATIONS\` in shared-rate-limiter.ts); not verified.`;
}

export function campaignExecuteMarkdown(runs: readonly ExecuteRuns[]): string {
  const first = runs[0];
  if (!first) return '';
  const row = (i: number, r: ExecuteRunResult) =>
    `| ${i + 1} | ${r.replicas} | ${r.maxQps} | ${r.items} | ${r.deleted} / ${r.skipped} / ${r.failed} (${r.throttlingFailures}) | ` +
    `${r.byReplica.join(' + ')} | ${fmt(r.ms / 1000, 1)} | ${fmt((1000 * r.items) / r.ms, 2)} | ` +
    `${r.deletesAccepted} / ${r.deleteCalls} | ${r.throttledDeletes} / ${r.throttledOther} | ${r.busiestSecond} | ` +
    `${fmt(r.achievedQps, 2)} (${fmt((100 * r.achievedQps) / r.limitQps, 1)}%) |`;
  const percentOf = (r: ExecuteRunResult) => (100 * r.achievedQps) / r.limitQps;
  const summary = (pick: (r: ExecuteRuns) => ExecuteRunResult) => {
    const picked = runs.map(pick);
    const one = picked[0] as ExecuteRunResult;
    return (
      `${one.replicas} replica${one.replicas === 1 ? '' : 's'} at \`VOD_MAX_QPS\` ${one.maxQps} ` +
      `(${one.items} items): accepted **${spread(picked.map(percentOf), 1)}%** of the limit, most calls in any ` +
      `sliding second ${spread(
        picked.map((r) => r.busiestSecond),
        0,
      )}, throttled DeleteStream answers ${spread(
        picked.map((r) => r.throttledDeletes),
        0,
      )} (retried), items failed by throttling ${spread(
        picked.map((r) => r.throttlingFailures),
        0,
      )}`
    );
  };
  const target = (pick: (r: ExecuteRuns) => ExecuteRunResult) =>
    verdict(runs.map(pick).map(percentOf), (p) => p >= 95, runs.map(pick).map(clean));
  const limit = first.atLimit.limitQps;
  return [
    '| run | replicas | `VOD_MAX_QPS` | items | deleted / skipped / failed (by throttling) | items settled by each replica | start → completed (s) | items/s | DeleteStream accepted / reaching the emulator | throttled answers: DeleteStream / reads (retried) | most DeleteStream in any sliding second | accepted DeleteStream/s (% of the limit) |',
    '| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.flatMap((r, i) => [row(i, r.atLimit), row(i, r.atDefault), row(i, r.alone)]),
    '',
    `${runs.length} runs, ${limit} DeleteStream/s enforced. ${summary((r) => r.atLimit)}. ${summary(
      (r) => r.atDefault,
    )}. Baseline, in the same runs: ${summary((r) => r.alone)}.`,
    '',
    `Target (at least 95% of ${limit}/s together, at most ${limit} in any sliding second, no throttling error ` +
      `reaching an item), three replicas at \`VOD_MAX_QPS\` ${first.atLimit.maxQps}: ${target((r) => r.atLimit)}; ` +
      `at the product's default ${first.atDefault.maxQps}: ${target((r) => r.atDefault)}.`,
  ].join('\n');
}
