import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { AuditEntry } from '../requests/audit-entry.js';
import { type DeletionRequest, REQUEST_STATUSES } from '../requests/deletion-request.js';
import type { Principal } from '../requests/principal.js';
import type { AuditFilter, InsertResult, RequestFilter } from './deletion-store.js';
import { NOW_MS_SQL, PENDING_DEDUPE_INDEX, SCHEMA_MIGRATIONS_DDL, STORE_MIGRATIONS } from './migrations.js';
import { createPostgresAuditDeliveries } from './postgres-audit-deliveries.js';
import { createPostgresCampaignStore } from './postgres-campaign-store.js';
import { ParameterisedQuery } from './postgres-query.js';
import type { Store } from './store.js';
import { ROLE_NAME, RUNTIME_GRANTS } from './store-grants.js';
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

export interface PostgresStoreOptions {
  /**
   * `postgres://…`. The store works in whatever schema the connection's `search_path` names first, so
   * `?options=-c%20search_path%3Dvodops` selects a schema.
   */
  connectionString: string;
  /** Pool size; 10 by default. */
  max?: number;
  /** The monotonic clock rate-ledger slots are given on; `performance.now()` by default. */
  monotonic?: () => number;
}

/** Rows per INSERT of audit entries: 9 parameters each keeps a statement well under PostgreSQL's 65535. */
const AUDIT_ROWS_PER_STATEMENT = 1000;

/** How long opening a connection (TCP, TLS, authentication) may take. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * `PostgresStore`: the `DeletionStore` on PostgreSQL, for replicas on several hosts. Each write is one
 * transaction on a pooled connection at READ COMMITTED: a transition's `UPDATE … WHERE version = $expected`
 * makes concurrent writers of one row queue on its lock and re-check the version, so exactly one wins; an
 * insert's `ON CONFLICT … DO NOTHING` on the partial unique index waits for a concurrent insert of the same
 * key to settle. Migrations serialise on a transaction-scoped advisory lock keyed by the schema.
 * @see https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED
 * @see https://node-postgres.com/apis/pool
 */
/** The PostgreSQL store, which can also grant a runtime role what it needs (see store-grants.ts). */
export interface PostgresStore extends Store {
  /** Grants `role` the privileges of `RUNTIME_GRANTS` in the store's schema. Run by the tables' owner. */
  grantRuntimeRole(role: string): Promise<void>;
}

export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const monotonic = options.monotonic ?? (() => performance.now());
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    // A server that accepts the connection but never answers must not hang a start or a shutdown for ever.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle connection dropped by the server leaves the pool by itself; the next query opens a new one or
  // fails loudly. Without a listener the event would crash the process.
  pool.on('error', () => {});
  let ending: Promise<void> | undefined;

  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      // A connection that cannot roll back is discarded rather than returned to the pool.
      await client.query('ROLLBACK').then(
        () => client.release(),
        (rollbackError: unknown) => client.release(asError(rollbackError)),
      );
      throw error;
    }
  };

  const insertRequest = async (client: pg.PoolClient, request: DeletionRequest): Promise<boolean> => {
    const result = await client.query(
      `INSERT INTO deletion_requests
         (id, status, version, video_id, dedupe_key, created_at, expires_at, updated_at, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ${NOW_MS_SQL.postgres}, $8::jsonb)
       ON CONFLICT (dedupe_key) WHERE status = 'pending' DO NOTHING`,
      [
        request.id,
        request.status,
        request.version,
        request.videoId,
        request.dedupeKey,
        request.createdAt,
        request.expiresAt,
        JSON.stringify(request),
      ],
    );
    return result.rowCount === 1;
  };

  const missing = async (): Promise<number[]> => {
    const exists = await pool.query<{ found: string | null }>(
      `SELECT to_regclass('schema_migrations') AS found`,
    );
    if (exists.rows[0]?.found === null || exists.rows[0]?.found === undefined) return missingMigrations([]);
    const applied = await pool.query<{ version: number }>('SELECT version FROM schema_migrations');
    return missingMigrations(applied.rows.map((r) => r.version));
  };
  const upToDate = async (): Promise<boolean> => (await missing()).length === 0;

  return {
    ...createPostgresCampaignStore({ pool, transaction, insertAudit }),
    ...createPostgresAuditDeliveries({ pool, toAuditEntry }),

    missingMigrations: missing,

    async countByStatus() {
      const result = await pool.query<{ status: string; count: string }>(
        'SELECT status, count(*) AS count FROM deletion_requests GROUP BY status',
      );
      return countsByStatus(REQUEST_STATUSES, result.rows);
    },

    async migrate() {
      // Up to date: nothing to do, and nothing a role without DDL rights could not do (the service's own role,
      // when the migrations are run by the tables' owner).
      if (await upToDate()) return;
      await transaction(async (client) => {
        await client.query(
          `SELECT pg_advisory_xact_lock(hashtext('vod-ops.migrate:' || coalesce(current_schema(), '')))`,
        );
        await client.query(SCHEMA_MIGRATIONS_DDL.postgres);
        const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
        const versions = new Set(applied.rows.map((r) => r.version));
        for (const migration of STORE_MIGRATIONS) {
          if (versions.has(migration.version)) continue;
          await client.query(migration.postgres);
          await client.query(
            `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, ${NOW_MS_SQL.postgres})`,
            [migration.version, migration.name],
          );
        }
      });
    },

    async rememberOnce(key, expiresAt, now) {
      return transaction(async (client) => {
        await client.query('DELETE FROM seen_once WHERE expires_at <= $1', [now]);
        const inserted = await client.query(
          'INSERT INTO seen_once (key, expires_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
          [key, expiresAt],
        );
        return inserted.rowCount === 1;
      });
    },

    async grantRuntimeRole(role) {
      if (!ROLE_NAME.test(role)) throw new RangeError(`not a role name: ${role}`);
      const quoted = `"${role}"`;
      await transaction(async (client) => {
        await client.query(`GRANT USAGE ON SCHEMA ${quotedSchema(await currentSchema(client))} TO ${quoted}`);
        for (const grant of RUNTIME_GRANTS)
          await client.query(`GRANT ${grant.privileges} ON ${grant.on} TO ${quoted}`);
      });
    },

    async insert(request, audit) {
      assertInsertable(request);
      // The conflicting pending request may be transitioned away between our INSERT and SELECT (each
      // statement sees what is committed when it starts): then there is room again, so try once more.
      for (let attempt = 1; attempt <= 3; attempt++) {
        const result = await transaction(async (client): Promise<InsertResult | undefined> => {
          if (await insertRequest(client, request)) {
            await insertAudit(client, audit);
            return { inserted: true };
          }
          const existing = await client.query<DataRow>(
            `SELECT data FROM deletion_requests WHERE dedupe_key = $1 AND status = 'pending'`,
            [request.dedupeKey],
          );
          const row = existing.rows[0];
          return row === undefined ? undefined : { inserted: false, existing: row.data };
        });
        if (result !== undefined) return result;
      }
      throw new Error(
        `Insert of ${request.id} kept conflicting on ${PENDING_DEDUPE_INDEX} with no pending row`,
      );
    },

    async get(id) {
      const result = await pool.query<DataRow>('SELECT data FROM deletion_requests WHERE id = $1', [id]);
      return result.rows[0]?.data;
    },

    async transition(next, expectedVersion, audit) {
      assertNextVersion(next, expectedVersion);
      return transaction(async (client) => {
        const result = await client.query(
          `UPDATE deletion_requests
           SET status = $1, version = $2, expires_at = $3, updated_at = ${NOW_MS_SQL.postgres}, data = $4::jsonb
           WHERE id = $5 AND version = $6`,
          [next.status, next.version, next.expiresAt, JSON.stringify(next), next.id, expectedVersion],
        );
        if (result.rowCount !== 1) return false;
        await insertAudit(client, audit);
        return true;
      });
    },

    async list(filter: RequestFilter = {}) {
      const query = new ParameterisedQuery();
      if (filter.statuses !== undefined) {
        if (filter.statuses.length === 0) return [];
        query.where((p) => `status = ANY(${p}::text[])`, [...filter.statuses]);
      }
      if (filter.expiresAtOrBefore !== undefined) {
        query.where((p) => `expires_at <= ${p}`, filter.expiresAtOrBefore);
      }
      if (filter.videoId !== undefined) query.where((p) => `video_id = ${p}`, filter.videoId);
      if (filter.awaitingAnnouncement) {
        query.where(
          (p) =>
            `(COALESCE(data->'announcement', 'null'::jsonb) = 'null'::jsonb OR ` +
            `(COALESCE(data->'announcement'->'ref', 'null'::jsonb) = 'null'::jsonb ` +
            `AND (data->'announcement'->>'claimedAt')::bigint <= ${p}))`,
          filter.awaitingAnnouncement.claimedBefore,
        );
      }
      const limit = query.param(clampLimit(filter.limit, REQUEST_LIMIT));
      const result = await pool.query<DataRow>(
        `SELECT data FROM deletion_requests ${query.whereClause()}
         ORDER BY created_at DESC, id ASC LIMIT ${limit}`,
        query.values,
      );
      return result.rows.map((r) => r.data);
    },

    async reserve(key, spanMs) {
      // One statement on the database's clock, to the microsecond, which every replica shares. Its clock is read
      // as the statement starts, which on this process's clock is when the statement was sent (on a connection of
      // its own, not in the pool's queue): so a reply read late, behind other work, does not move the slot.
      const client = await pool.connect();
      try {
        const sent = monotonic();
        const result = await client.query<{ wait: number }>(
          `WITH t AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::double precision AS now)
           INSERT INTO rate_slots (key, next_slot) SELECT $1, t.now + $2::double precision FROM t
           ON CONFLICT (key) DO UPDATE
             SET next_slot = GREATEST(rate_slots.next_slot, excluded.next_slot - $2::double precision)
               + $2::double precision
           RETURNING rate_slots.next_slot - $2::double precision - (SELECT now FROM t) AS wait`,
          [key, spanMs],
        );
        return sent + Number(result.rows[0]?.wait ?? 0);
      } finally {
        client.release();
      }
    },

    async appendAudit(entries) {
      if (entries.length === 0) return;
      await transaction((client) => insertAudit(client, entries));
    },

    async listAudit(filter: AuditFilter = {}) {
      const query = new ParameterisedQuery();
      if (filter.since !== undefined) query.where((p) => `at >= ${p}`, filter.since);
      if (filter.videoId !== undefined) query.where((p) => `video_id = ${p}`, filter.videoId);
      if (filter.requestId !== undefined) query.where((p) => `request_id = ${p}`, filter.requestId);
      const limit = query.param(clampLimit(filter.limit, AUDIT_LIMIT));
      const result = await pool.query<AuditRow>(
        `SELECT * FROM audit_events ${query.whereClause()} ORDER BY ${auditOrder(filter)} LIMIT ${limit}`,
        query.values,
      );
      return result.rows.map(toAuditEntry);
    },

    close() {
      ending ??= pool.end();
      return ending;
    },
  };
}

async function insertAudit(client: pg.PoolClient, entries: readonly AuditEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += AUDIT_ROWS_PER_STATEMENT) {
    const query = new ParameterisedQuery();
    const rows = entries.slice(start, start + AUDIT_ROWS_PER_STATEMENT).map((e) => {
      const p = [
        e.at,
        e.type,
        e.requestId ?? null,
        e.videoId,
        e.actor.source,
        e.actor.id,
        e.actor.displayName,
        e.actor.clientName ?? null,
        JSON.stringify(e.details),
      ].map((value) => query.param(value));
      return `(${p.slice(0, 8).join(', ')}, ${p[8]}::jsonb)`;
    });
    await client.query(
      `INSERT INTO audit_events
         (at, type, request_id, video_id, actor_source, actor_id, actor_name, actor_client, details)
       VALUES ${rows.join(', ')}`,
      query.values,
    );
  }
}

/** `pg` parses `jsonb` itself; `data` is written only by this adapter, from a `DeletionRequest`. */
interface DataRow {
  data: DeletionRequest;
}

/** `bigint` and `bigserial` arrive as strings from `pg`: epoch ms and seq fit a double exactly. */
interface AuditRow {
  seq: string;
  at: string;
  type: AuditEntry['type'];
  request_id: string | null;
  video_id: string;
  actor_source: Principal['source'];
  actor_id: string;
  actor_name: string;
  actor_client: string | null;
  details: Record<string, unknown>;
}

function toAuditEntry(row: AuditRow): AuditEntry {
  const actor: Principal = { source: row.actor_source, id: row.actor_id, displayName: row.actor_name };
  if (row.actor_client !== null) actor.clientName = row.actor_client;
  const entry: AuditEntry = {
    seq: Number(row.seq),
    at: Number(row.at),
    type: row.type,
    actor,
    videoId: row.video_id,
    details: row.details,
  };
  if (row.request_id !== null) entry.requestId = row.request_id;
  return entry;
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

async function currentSchema(client: pg.PoolClient): Promise<string> {
  const result = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  const schema = result.rows[0]?.schema;
  if (!schema) throw new Error('no current schema: check search_path');
  return schema;
}

function quotedSchema(schema: string): string {
  return `"${schema.replaceAll('"', '""')}"`;
}
