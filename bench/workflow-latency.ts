import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { systemClock } from '../src/core/clock.js';
import { createLogger } from '../src/core/logger.js';
import { createAllowlistApprovers } from '../src/core/requests/approvers.js';
import { newRequestId } from '../src/core/requests/request-id.js';
import type { DeletionStore } from '../src/core/store/deletion-store.js';
import { createPostgresStore } from '../src/core/store/postgres-store.js';
import { createSqliteStore } from '../src/core/store/sqlite-store.js';
import { parseJobIds, parseVideoId } from '../src/core/vod/input-rules.js';
import { singleRegion } from '../src/core/vod/vod-regions.js';
import { createDeletionWorkflow } from '../src/core/workflow/deletion-workflow.js';
import { createBulkCatalogue } from '../src/sandbox/index.js';
import { startEmulatorChild } from './emulator-child.js';
import { fmt, percentile, spread } from './stats.js';
import { BENCH_KEY, createBenchVod } from './vod-setup.js';

export interface LatencyResult {
  store: string;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const approver = { source: 'slack' as const, id: 'U0BENCHAPPROVER', displayName: 'bench approver' };
const requester = { source: 'slack' as const, id: 'U0BENCHREQUESTER', displayName: 'bench requester' };

/**
 * Approve → executed: from the deciding vote to the request stored as `succeeded` (the vote's
 * compare-and-set, the execution claim, DeleteStream against an emulator answering at once, the outcome's
 * compare-and-set, with their audit rows). Requests are created beforehand, unmeasured. Approvals are spaced
 * 25 ms apart, unmeasured, so the DeleteStream rate limiter (48/s) never holds one: its pacing is not the
 * workflow's latency.
 */
export async function benchApproveToExecuted(samples: number): Promise<LatencyResult[]> {
  const bulk = { videos: samples, streamsPerVideo: 2, seed: 'workflow' };
  const catalogue = createBulkCatalogue(bulk);
  const results: LatencyResult[] = [];
  const stores: Array<
    [string, () => Promise<{ store: DeletionStore; cleanup: () => Promise<void> } | undefined>]
  > = [
    [
      'SQLite (file, WAL)',
      async () => ({
        store: createSqliteStore({ path: join(mkdtempSync(join(tmpdir(), 'vod-ops-bench-')), 'bench.db') }),
        cleanup: async () => {},
      }),
    ],
    ['PostgreSQL', openPostgres],
  ];
  for (const [name, open] of stores) {
    const opened = await open();
    if (!opened) continue;
    const emulator = await startEmulatorChild({ credentials: [BENCH_KEY], bulk });
    const logger = createLogger({ write: () => {} });
    try {
      await opened.store.migrate();
      const workflow = createDeletionWorkflow({
        store: opened.store,
        vod: singleRegion('cn-shanghai', createBenchVod(emulator.endpoint)),
        approvers: createAllowlistApprovers([approver.id], []),
        policy: { requiredApprovals: 1, ttlMs: 3_600_000, leaseMs: 60_000 },
        clock: systemClock,
        newId: () => newRequestId(randomBytes),
        logger,
        instanceId: 'bench',
      });
      const ids: string[] = [];
      for (const video of catalogue) {
        const { request } = await workflow.requestDeletion({
          videoId: parseVideoId(video.videoId),
          jobIds: parseJobIds([video.streams[0]!.jobId]),
          requester,
        });
        ids.push(request.id);
      }
      const times: number[] = [];
      for (const id of ids) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const t0 = performance.now();
        const vote = await workflow.vote(id, approver, 'approve');
        const done = vote.ok ? await vote.execution : undefined;
        times.push(performance.now() - t0);
        if (done?.status !== 'succeeded') throw new Error(`request ${id} ended ${done?.status}`);
      }
      const measured = times.slice(Math.min(20, Math.floor(times.length / 10)));
      results.push({
        store: name,
        samples: measured.length,
        p50Ms: percentile(measured, 50),
        p99Ms: percentile(measured, 99),
        maxMs: Math.max(...measured),
      });
    } finally {
      await emulator.stop();
      await opened.store.close();
      await opened.cleanup();
    }
  }
  return results;
}

async function openPostgres(): Promise<{ store: DeletionStore; cleanup: () => Promise<void> } | undefined> {
  const url = process.env.VOD_OPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `vodops_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch {
    process.stderr.write(`bench: PostgreSQL not reachable at ${url}: skipping its figures\n`);
    return undefined;
  }
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const withPath = new URL(url);
  withPath.searchParams.set('options', `-c search_path=${schema}`);
  return {
    store: createPostgresStore({ connectionString: withPath.toString() }),
    async cleanup() {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

export function latencyMarkdown(runs: ReadonlyArray<readonly LatencyResult[]>): string {
  const stores = [...new Set(runs.flatMap((run) => run.map((r) => r.store)))];
  const of = (store: string) => runs.flatMap((run) => run.filter((r) => r.store === store));
  return [
    `| store | approvals measured per run | p50 (ms), min / median / max of ${runs.length} runs | p99 (ms), min / median / max | slowest approval of all runs (ms) |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...stores.map((store) => {
      const results = of(store);
      return (
        `| ${store} | ${results[0]?.samples ?? 0} | ${spread(
          results.map((r) => r.p50Ms),
          2,
        )} | ` +
        `**${spread(
          results.map((r) => r.p99Ms),
          2,
        )}** | ${fmt(Math.max(...results.map((r) => r.maxMs)), 2)} |`
      );
    }),
  ].join('\n');
}
