import type pg from 'pg';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { AuditDeliveries } from './audit-deliveries.js';
import { NOW_MS_SQL } from './migrations.js';
import { AUDIT_LIMIT, clampLimit } from './store-rules.js';

/** What `PostgresStore` lends its audit deliveries: its pool and how it reads an entry. */
export interface PostgresDeliveryParts {
  pool: pg.Pool;
  toAuditEntry(row: never): AuditEntry;
}

const NOW = NOW_MS_SQL.postgres;

/**
 * The `AuditDeliveries` half of `PostgresStore`. Each write is one statement: the claim an upsert whose update
 * happens only when the lease is free, expired or the claimant's own, which PostgreSQL decides under the row's
 * lock, so two replicas claiming at once cannot both win.
 */
export function createPostgresAuditDeliveries(parts: PostgresDeliveryParts): AuditDeliveries {
  const { pool } = parts;
  return {
    async claimAuditDelivery(target, owner, leaseMs) {
      const result = await pool.query<{ last_seq: string; attempts: number }>(
        `INSERT INTO audit_deliveries (target, last_seq, owner, lease_until, attempts, updated_at)
         VALUES ($1, 0, $2, ${NOW} + $3::bigint, 0, ${NOW})
         ON CONFLICT (target) DO UPDATE
           SET owner = excluded.owner, lease_until = excluded.lease_until, updated_at = excluded.updated_at
           WHERE audit_deliveries.owner IS NULL OR audit_deliveries.owner = excluded.owner
             OR audit_deliveries.lease_until <= excluded.updated_at
         RETURNING last_seq, attempts`,
        [target, owner, leaseMs],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : { lastSeq: Number(row.last_seq), attempts: row.attempts };
    },

    async advanceAuditDelivery(target, owner, move, leaseMs) {
      const result = await pool.query(
        `UPDATE audit_deliveries
         SET last_seq = $1, attempts = 0, last_error = NULL, lease_until = ${NOW} + $2::bigint, updated_at = ${NOW}
         WHERE target = $3 AND owner = $4 AND last_seq = $5`,
        [move.toSeq, leaseMs, target, owner, move.fromSeq],
      );
      return result.rowCount === 1;
    },

    async recordAuditDeliveryFailure(target, owner, error, leaseMs) {
      const result = await pool.query<{ attempts: number }>(
        `UPDATE audit_deliveries
         SET attempts = attempts + 1, last_error = $1, lease_until = ${NOW} + $2::bigint, updated_at = ${NOW}
         WHERE target = $3 AND owner = $4
         RETURNING attempts`,
        [error, leaseMs, target, owner],
      );
      return result.rows[0]?.attempts;
    },

    async releaseAuditDelivery(target, owner) {
      await pool.query(
        `UPDATE audit_deliveries SET owner = NULL, lease_until = NULL, updated_at = ${NOW}
         WHERE target = $1 AND owner = $2`,
        [target, owner],
      );
    },

    async readAuditAfter(afterSeq, limit) {
      // One statement, so the entries and the snapshot described are the same: xid8 values fit a double.
      const result = await pool.query<{ snap_xmin: string }>(
        `WITH s AS (SELECT pg_current_snapshot() AS snap)
         SELECT e.*, pg_snapshot_xmin(s.snap)::text AS snap_xmin
         FROM audit_events e, s WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
        [afterSeq, clampLimit(limit, AUDIT_LIMIT)],
      );
      const first = result.rows[0];
      return {
        entries: result.rows.map((row) => parts.toAuditEntry(row as never)),
        ...(first === undefined ? {} : { writers: { xmin: Number(first.snap_xmin) } }),
      };
    },

    async auditWritersBound() {
      // Its own autocommitted statement: the id it assigns itself is above every id assigned before it.
      const result = await pool.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
      return Number(result.rows[0]?.xid);
    },

    async auditDeliveryLag(target) {
      const result = await pool.query<{ lag: string }>(
        `SELECT coalesce((SELECT max(seq) FROM audit_events), 0)
           - coalesce((SELECT last_seq FROM audit_deliveries WHERE target = $1), 0) AS lag`,
        [target],
      );
      return Number(result.rows[0]?.lag ?? 0);
    },
  };
}
