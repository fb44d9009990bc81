import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSqliteStore } from '../src/core/store/sqlite-store.js';
import { fmt, percentile, spread } from './stats.js';

export interface CheckpointRun {
  /** Checkpoints in a worker thread (the product) or inside the commits, as SQLite does by itself. */
  worker: boolean;
  writes: number;
  p50Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Writes that held the event loop more than 5 ms. */
  over5Ms: number;
}

/**
 * How long one small write holds the event loop (better-sqlite3 commits on it): 6,000 replay keys remembered, as the
 * Slack request guard does for every request, five at a time with 3 ms between, on a file store whose checkpoints run
 * in a worker thread (the product) and on one that leaves them to SQLite, which runs one inside whichever commit takes
 * the WAL past 1000 pages. The two alternate, a fresh file each.
 */
export async function benchSqliteCheckpoints(worker: boolean, writes = 6000): Promise<CheckpointRun> {
  const dir = mkdtempSync(join(tmpdir(), 'vod-ops-bench-ckpt-'));
  const store = createSqliteStore({
    path: join(dir, 'bench.db'),
    checkpoints: worker ? { startAfterMs: 100, intervalMs: 1000 } : false,
  });
  try {
    await store.migrate();
    await store.rememberOnce(randomUUID(), Date.now() + 600_000, Date.now());
    // The worker starts 100 ms after the first write: measured once it is running.
    await sleep(500);
    const times: number[] = [];
    for (let i = 0; i < writes; i++) {
      const t0 = performance.now();
      await store.rememberOnce(randomUUID(), Date.now() + 600_000, Date.now());
      times.push(performance.now() - t0);
      if (i % 5 === 4) await sleep(3);
    }
    return {
      worker,
      writes,
      p50Ms: percentile(times, 50),
      p999Ms: percentile(times, 99.9),
      maxMs: Math.max(...times),
      over5Ms: times.filter((t) => t > 5).length,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function sqliteCheckpointsMarkdown(runs: readonly CheckpointRun[]): string {
  const row = (worker: boolean, name: string) => {
    const of = runs.filter((r) => r.worker === worker);
    return (
      `| ${name} | ${spread(of.map((r) => r.p50Ms))} | ${spread(
        of.map((r) => r.p999Ms),
        2,
      )} | ` +
      `**${spread(
        of.map((r) => r.maxMs),
        2,
      )}** | ${spread(
        of.map((r) => r.over5Ms),
        0,
      )} |`
    );
  };
  const runsEach = runs.filter((r) => r.worker).length;
  return [
    `| checkpoints | p50 (ms) | p99.9 (ms) | slowest write (ms) | writes over 5 ms (of ${fmt(runs[0]?.writes ?? 0, 0)}) |`,
    '| --- | ---: | ---: | ---: | ---: |',
    row(true, 'in a worker thread (vod-ops)'),
    row(false, "inside the commits (SQLite's default)"),
    '',
    `Each cell: min / median / max over ${runsEach} runs.`,
  ].join('\n');
}
