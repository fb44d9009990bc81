import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { AuditEntry } from '../requests/audit-entry.js';
import { type DeletionRequest, REQUEST_STATUSES } from '../requests/deletion-request.js';
import type { Principal } from '../requests/principal.js';
import type { AuditFilter, InsertResult, RequestFilter } from './deletion-store.js';
import {
  NOW_MS_REAL_SQL,
  NOW_MS_SQL,
  PENDING_DEDUPE_INDEX,
  SCHEMA_MIGRATIONS_DDL,
  STORE_MIGRATIONS,
} from './migrations.js';
import { preparePrivateFile } from './private-file.js';
import { createSqliteAuditDeliveries } from './sqlite-audit-deliveries.js';
import { createSqliteCampaignStore } from './sqlite-campaign-store.js';
import {
  createSqliteCheckpoints,
  DEFAULT_CHECKPOINTS,
  type SqliteCheckpoints,
} from './sqlite-checkpoints.js';
import type { Store } from './store.js';
import {
  AUDIT_LIMIT,
  assertInsertable,
  assertNextVersion,
  auditOrder,
  clampLimit,
  countsByStatus,
  missingMigrations,
  REQUEST_LIMIT,
} from './store-rules.js';

export interface SqliteStoreOptions {
  /**
   * Database file (0600; its folders are created 0700 if missing), or `':memory:'` for a private in-memory
   * database.
   */
  path: string;
  /** The monotonic clock rate-ledger slots are given on; `performance.now()` by default. */
  monotonic?: () => number;
  /** When checkpoints move to a worker thread (see `sqlite-checkpoints.ts`); `false` leaves them to SQLite. */
  checkpoints?: Partial<typeof DEFAULT_CHECKPOINTS> | false;
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * `SqliteStore`: the `DeletionStore` on one SQLite file, for a single host. Several processes may share the
 * file: WAL lets readers run beside the one writer, every write is a `BEGIN IMMEDIATE` transaction (it takes
 * the write lock up front, so it waits up to `busy_timeout` instead of failing half-way), and the
 * compare-and-set on `version` plus the partial unique index on pending `dedupe_key` settle every race.
 * better-sqlite3 is synchronous; the methods return promises to honour the port and turn throws into
 * rejections. Call `migrate()` before anything else.
 * @see https://www.sqlite.org/wal.html
 * @see https://github.com/WiseLibs/better-sqlite3/blob/master/docs/api.md#transactionfunction---function
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const monotonic = options.monotonic ?? (() => performance.now());
  if (options.path !== ':memory:' && options.path !== '') preparePrivateFile(options.path);
  const db = new Database(options.path, { timeout: BUSY_TIMEOUT_MS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  enterWal(db);
  db.pragma('foreign_keys = ON');
  // What better-sqlite3's SQLite does in WAL mode unless told otherwise, said here because it is a promise:
  // a commit survives the process crashing; a power cut or an OS crash may lose the last commits (never the
  // file's consistency). Syncing every commit (FULL) made each write about 1 ms instead of 0.2 on this class of
  // machine, all of it on the event loop (docs/operations.md).
  // @see https://www.sqlite.org/pragma.html#pragma_synchronous
  db.pragma('synchronous = NORMAL');
  const inFile = options.path !== ':memory:' && options.path !== '';
  const checkpoints: SqliteCheckpoints | undefined =
    inFile && options.checkpoints !== false
      ? createSqliteCheckpoints(db, options.path, {
          ...DEFAULT_CHECKPOINTS,
          ...options.checkpoints,
          busyTimeoutMs: BUSY_TIMEOUT_MS,
        })
      : undefined;
  /** Runs a write, then tells the checkpoints: the first write of a process schedules their thread. */
  const written = <T>(result: T): T => {
    checkpoints?.wrote();
    return result;
  };

  // Statements are compiled once per SQL text: preparing on every call was most of a read's cost.
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const insertAudit = (entries: readonly AuditEntry[]): void => {
    if (entries.length === 0) return;
    const statement = prepared(
      `INSERT INTO audit_events
         (at, type, request_id, video_id, actor_source, actor_id, actor_name, actor_client, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const e of entries) {
      statement.run(
        e.at,
        e.type,
        e.requestId ?? null,
        e.videoId,
        e.actor.source,
        e.actor.id,
        e.actor.displayName,
        e.actor.clientName ?? null,
        JSON.stringify(e.details),
      );
    }
  };

  const selectPending = (dedupeKey: string): DeletionRequest | undefined => {
    const row = prepared(
      `SELECT data FROM deletion_requests WHERE dedupe_key = ? AND status = 'pending'`,
    ).get(dedupeKey) as DataRow | undefined;
    return row === undefined ? undefined : parseRequest(row);
  };

  const insertTx = db.transaction(
    (request: DeletionRequest, audit: readonly AuditEntry[]): InsertResult | undefined => {
      const { changes } = prepared(
        `INSERT INTO deletion_requests
             (id, status, version, video_id, dedupe_key, created_at, expires_at, updated_at, data)
           VALUES (?, ?, ?, ?, ?, ?, ?, ${NOW_MS_SQL.sqlite}, ?)
           ON CONFLICT (dedupe_key) WHERE status = 'pending' DO NOTHING`,
      ).run(
        request.id,
        request.status,
        request.version,
        request.videoId,
        request.dedupeKey,
        request.createdAt,
        request.expiresAt,
        JSON.stringify(request),
      );
      if (changes === 1) {
        insertAudit(audit);
        return { inserted: true };
      }
      const existing = selectPending(request.dedupeKey);
      return existing === undefined ? undefined : { inserted: false, existing };
    },
  );

  const transitionTx = db.transaction(
    (next: DeletionRequest, expectedVersion: number, audit: readonly AuditEntry[]): boolean => {
      const { changes } = prepared(
        `UPDATE deletion_requests
           SET status = ?, version = ?, expires_at = ?, updated_at = ${NOW_MS_SQL.sqlite}, data = ?
           WHERE id = ? AND version = ?`,
      ).run(next.status, next.version, next.expiresAt, JSON.stringify(next), next.id, expectedVersion);
      if (changes !== 1) return false;
      insertAudit(audit);
      return true;
    },
  );

  const appendAuditTx = db.transaction(insertAudit);

  const rememberOnceTx = db.transaction((key: string, expiresAt: number, now: number): boolean => {
    prepared('DELETE FROM seen_once WHERE expires_at <= ?').run(now);
    const { changes } = prepared(
      'INSERT INTO seen_once (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
    ).run(key, expiresAt);
    return changes === 1;
  });

  // The database's clock, shared by every process on this host, to the millisecond.
  const reserveTx = db.transaction((key: string, spanMs: number): number => {
    const { now } = prepared(`SELECT ${NOW_MS_REAL_SQL} AS now`).get() as { now: number };
    const at = monotonic();
    const row = prepared(
      `INSERT INTO rate_slots (key, next_slot) VALUES (?, ? + ?)
       ON CONFLICT (key) DO UPDATE SET next_slot = max(next_slot, excluded.next_slot - ?) + ?
       RETURNING next_slot`,
    ).get(key, now, spanMs, spanMs, spanMs) as { next_slot: number };
    return at + (row.next_slot - spanMs - now);
  });

  const migrateTx = db.transaction((): void => {
    db.exec(SCHEMA_MIGRATIONS_DDL.sqlite);
    const applied = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    );
    const record = db.prepare(
      `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ${NOW_MS_SQL.sqlite})`,
    );
    for (const migration of STORE_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sqlite);
      record.run(migration.version, migration.name);
    }
  });

  return {
    ...createSqliteCampaignStore({ db, prepared, insertAudit, written }),
    ...createSqliteAuditDeliveries({ db, prepared, toAuditEntry, written }),

    async migrate() {
      migrateTx.immediate();
    },

    async insert(request, audit) {
      assertInsertable(request);
      // Only a pending request transitioned away between the two statements could leave no winner to
      // return; under the write lock that cannot happen, so undefined here means a broken database.
      const result = written(insertTx.immediate(request, audit));
      if (result === undefined) {
        throw new Error(`Insert of ${request.id} conflicted on ${PENDING_DEDUPE_INDEX} with no pending row`);
      }
      return result;
    },

    async get(id) {
      const row = prepared('SELECT data FROM deletion_requests WHERE id = ?').get(id) as DataRow | undefined;
      return row === undefined ? undefined : parseRequest(row);
    },

    async transition(next, expectedVersion, audit) {
      assertNextVersion(next, expectedVersion);
      return written(transitionTx.immediate(next, expectedVersion, audit));
    },

    async countByStatus() {
      const rows = prepared('SELECT status, count(*) AS count FROM deletion_requests GROUP BY status').all();
      return countsByStatus(REQUEST_STATUSES, rows as { status: string; count: number }[]);
    },

    async missingMigrations() {
      const table = prepared(
        "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
      ).get();
      if (table === undefined) return missingMigrations([]);
      const rows = prepared('SELECT version FROM schema_migrations').all() as { version: number }[];
      return missingMigrations(rows.map((r) => r.version));
    },

    async list(filter: RequestFilter = {}) {
      const where: string[] = [];
      const values: (string | number)[] = [];
      if (filter.statuses !== undefined) {
        if (filter.statuses.length === 0) return [];
        where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
        values.push(...filter.statuses);
      }
      if (filter.expiresAtOrBefore !== undefined) {
        where.push('expires_at <= ?');
        values.push(filter.expiresAtOrBefore);
      }
      if (filter.videoId !== undefined) {
        where.push('video_id = ?');
        values.push(filter.videoId);
      }
      if (filter.awaitingAnnouncement) {
        // In SQLite, not in JavaScript: announcers ask every few seconds, and most pending requests are shown.
        where.push(
          "(json_extract(data, '$.announcement') IS NULL OR (json_extract(data, '$.announcement.ref') IS NULL " +
            "AND json_extract(data, '$.announcement.claimedAt') <= ?))",
        );
        values.push(filter.awaitingAnnouncement.claimedBefore);
      }
      values.push(clampLimit(filter.limit, REQUEST_LIMIT));
      const rows = prepared(
        `SELECT data FROM deletion_requests ${whereClause(where)}
           ORDER BY created_at DESC, id ASC LIMIT ?`,
      ).all(...values) as DataRow[];
      return rows.map(parseRequest);
    },

    async reserve(key, spanMs) {
      return written(reserveTx.immediate(key, spanMs));
    },

    async rememberOnce(key, expiresAt, now) {
      return written(rememberOnceTx.immediate(key, expiresAt, now));
    },

    async appendAudit(entries) {
      written(appendAuditTx.immediate(entries));
    },

    async listAudit(filter: AuditFilter = {}) {
      const where: string[] = [];
      const values: (string | number)[] = [];
      if (filter.since !== undefined) {
        where.push('at >= ?');
        values.push(filter.since);
      }
      if (filter.videoId !== undefined) {
        where.push('video_id = ?');
        values.push(filter.videoId);
      }
      if (filter.requestId !== undefined) {
        where.push('request_id = ?');
        values.push(filter.requestId);
      }
      values.push(clampLimit(filter.limit, AUDIT_LIMIT));
      const rows = prepared(
        `SELECT * FROM audit_events ${whereClause(where)} ORDER BY ${auditOrder(filter)} LIMIT ?`,
      ).all(...values) as AuditRow[];
      return rows.map(toAuditEntry);
    },

    async close() {
      await checkpoints?.close();
      if (db.open) db.close();
    },
  };
}

/**
 * Puts the file in WAL mode. The change needs the file to itself and SQLite does not wait for it (the busy handler
 * is not called): a process starting while another holds a lock (two replicas starting at once on a new file) got
 * "database is locked". The mode is kept in the file, so the usual case finds it set; otherwise the change is tried
 * again every 20 ms, for as long as a write would wait.
 * @see https://www.sqlite.org/wal.html#activating_and_configuring_wal_mode
 */
function enterWal(db: Database.Database): void {
  const deadline = performance.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      if (db.pragma('journal_mode', { simple: true }) === 'wal') return;
      // An in-memory database answers `memory`, and stays so.
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || performance.now() > deadline) throw error;
    }
    // The store is opened synchronously (better-sqlite3 is), before the process serves anything.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

interface DataRow {
  data: string;
}

interface AuditRow {
  seq: number;
  at: number;
  type: AuditEntry['type'];
  request_id: string | null;
  video_id: string;
  actor_source: Principal['source'];
  actor_id: string;
  actor_name: string;
  actor_client: string | null;
  details: string;
}

/** `data` is written only by this adapter, from a `DeletionRequest`. */
function parseRequest(row: DataRow): DeletionRequest {
  return JSON.parse(row.data) as DeletionRequest;
}

function toAuditEntry(row: AuditRow): AuditEntry {
  const actor: Principal = { source: row.actor_source, id: row.actor_id, displayName: row.actor_name };
  if (row.actor_client !== null) actor.clientName = row.actor_client;
  const entry: AuditEntry = {
    seq: row.seq,
    at: row.at,
    type: row.type,
    actor,
    videoId: row.video_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
  if (row.request_id !== null) entry.requestId = row.request_id;
  return entry;
}

function whereClause(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
}
