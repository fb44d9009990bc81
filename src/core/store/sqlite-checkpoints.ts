import { once } from 'node:events';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * Where a long-running process's SQLite checkpoints run: in a worker thread, not on the event loop. A checkpoint
 * copies the WAL back into the database file and syncs both. By default SQLite runs one inside whichever commit
 * takes the WAL past 1000 pages, and better-sqlite3 runs commits on the event loop: on this class of machine that
 * commit held the loop 15–20 ms, about once every hundred Slack commands, in the middle of other people's
 * acknowledgements (docs/benchmarks.md).
 *
 * So once a process has been writing for `startAfterMs` (a one-shot CLI command has ended by then and starts no
 * thread), a worker with its own connection runs a PASSIVE checkpoint every `intervalMs` (PASSIVE never waits for
 * readers or writers), and this connection's automatic checkpoints are turned off. If the worker fails, they are
 * turned back on: the store is then as it was without it. Written here rather than taken from a package: it is
 * SQLite's own advice (application-initiated checkpoints in a separate thread), a few lines on better-sqlite3, and
 * no maintained package does it.
 * @see https://www.sqlite.org/wal.html#application_initiated_checkpoints
 */
export interface SqliteCheckpoints {
  /** Call after each write: the first one schedules the worker's start. */
  wrote(): void;
  /** Stops the worker after a last checkpoint; automatic checkpoints are back on meanwhile. */
  close(): Promise<void>;
}

export interface SqliteCheckpointOptions {
  /** From the first write to the worker's start. */
  startAfterMs: number;
  intervalMs: number;
  busyTimeoutMs: number;
}

export const DEFAULT_CHECKPOINTS: Omit<SqliteCheckpointOptions, 'busyTimeoutMs'> = {
  startAfterMs: 2000,
  intervalMs: 1000,
};

/** SQLite's own default: a checkpoint once the WAL holds this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;
const STOP_WAIT_MS = 2000;

// A CommonJS script evaluated in the worker: it needs no file of its own in the package or the bundle.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs, fileMustExist: true });
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try { checkpoint(); } finally { db.close(); parentPort.close(); }
});
parentPort.postMessage('ready');
`;

export function createSqliteCheckpoints(
  db: Database.Database,
  path: string,
  options: SqliteCheckpointOptions,
): SqliteCheckpoints {
  let scheduled: NodeJS.Timeout | undefined;
  let worker: Worker | undefined;
  let over = false;
  const automatic = (on: boolean) => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${on ? AUTOCHECKPOINT_PAGES : 0}`);
  };

  const start = () => {
    scheduled = undefined;
    if (over) return;
    let started: Worker;
    try {
      started = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          driver: createRequire(import.meta.url).resolve('better-sqlite3'),
          path,
          intervalMs: options.intervalMs,
          busyTimeoutMs: options.busyTimeoutMs,
        },
      });
    } catch {
      // No thread to be had: checkpoints stay with the commits, as SQLite does by itself.
      over = true;
      return;
    }
    worker = started;
    // Never what keeps a process alive.
    started.unref();
    started.once('message', () => {
      if (worker === started) automatic(false);
    });
    started.once('error', () => {
      // Checkpoints go back to the commits, and no other worker is started.
      over = true;
      if (worker === started) worker = undefined;
      automatic(true);
    });
  };

  return {
    wrote() {
      if (over || worker !== undefined || scheduled !== undefined) return;
      scheduled = setTimeout(start, options.startAfterMs);
      scheduled.unref();
    },
    async close() {
      over = true;
      clearTimeout(scheduled);
      const stopping = worker;
      worker = undefined;
      if (stopping === undefined) return;
      automatic(true);
      // Held open until the worker has stopped (or been stopped), so a process ending now waits for the last
      // checkpoint rather than exiting under it.
      stopping.ref();
      const exited = once(stopping, 'exit').catch(() => undefined);
      stopping.postMessage('stop');
      const timeout = new AbortController();
      const late = sleep(STOP_WAIT_MS, 'late', { signal: timeout.signal }).catch(() => undefined);
      const outcome = await Promise.race([exited, late]);
      timeout.abort();
      if (outcome === 'late') await stopping.terminate();
    },
  };
}
