import type Database from 'better-sqlite3';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { AuditDeliveries } from './audit-deliveries.js';
import { NOW_MS_SQL } from './migrations.js';
import { AUDIT_LIMIT, clampLimit } from './store-rules.js';

/** What `SqliteStore` lends its audit deliveries: the connection, its statement cache and how it reads an entry. */
export interface SqliteDeliveryParts {
  db: Database.Database;
  prepared(sql: string): Database.Statement;
  toAuditEntry(row: never): AuditEntry;
  /** Runs a write's result past the checkpoint scheduler. */
  written<T>(result: T): T;
}

const NOW = NOW_MS_SQL.sqlite;

/**
 * The `AuditDeliveries` half of `SqliteStore`. Each write is one statement, so atomic by itself; SQLite has one
 * writer at a time and gives a rolled-back seq again, so entries are committed in `seq` order and a page has no
 * `writers` and no writers' bound.
 */
export function createSqliteAuditDeliveries(parts: SqliteDeliveryParts): AuditDeliveries {
  const { prepared, written } = parts;
  return {
    async claimAuditDelivery(target, owner, leaseMs) {
      const row = prepared(
        `INSERT INTO audit_deliveries (target, last_seq, owner, lease_until, attempts, updated_at)
         VALUES (?, 0, ?, ${NOW} + ?, 0, ${NOW})
         ON CONFLICT (target) DO UPDATE
           SET owner = excluded.owner, lease_until = excluded.lease_until, updated_at = excluded.updated_at
           WHERE audit_deliveries.owner IS NULL OR audit_deliveries.owner = excluded.owner
             OR audit_deliveries.lease_until <= excluded.updated_at
         RETURNING last_seq, attempts`,
      ).get(target, owner, leaseMs) as { last_seq: number; attempts: number } | undefined;
      written(row);
      return row === undefined ? undefined : { lastSeq: row.last_seq, attempts: row.attempts };
    },

    async advanceAuditDelivery(target, owner, move, leaseMs) {
      const { changes } = prepared(
        `UPDATE audit_deliveries
         SET last_seq = ?, attempts = 0, last_error = NULL, lease_until = ${NOW} + ?, updated_at = ${NOW}
         WHERE target = ? AND owner = ? AND last_seq = ?`,
      ).run(move.toSeq, leaseMs, target, owner, move.fromSeq);
      return written(changes === 1);
    },

    async recordAuditDeliveryFailure(target, owner, error, leaseMs) {
      const row = prepared(
        `UPDATE audit_deliveries
         SET attempts = attempts + 1, last_error = ?, lease_until = ${NOW} + ?, updated_at = ${NOW}
         WHERE target = ? AND owner = ?
         RETURNING attempts`,
      ).get(error, leaseMs, target, owner) as { attempts: number } | undefined;
      return written(row?.attempts);
    },

    async releaseAuditDelivery(target, owner) {
      written(
        prepared(
          `UPDATE audit_deliveries SET owner = NULL, lease_until = NULL, updated_at = ${NOW}
           WHERE target = ? AND owner = ?`,
        ).run(target, owner),
      );
    },

    async readAuditAfter(afterSeq, limit) {
      const rows = prepared('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?').all(
        afterSeq,
        clampLimit(limit, AUDIT_LIMIT),
      ) as never[];
      return { entries: rows.map(parts.toAuditEntry) };
    },

    async auditWritersBound() {
      return undefined;
    },

    async auditDeliveryLag(target) {
      const row = prepared(
        `SELECT coalesce((SELECT max(seq) FROM audit_events), 0)
           - coalesce((SELECT last_seq FROM audit_deliveries WHERE target = ?), 0) AS lag`,
      ).get(target) as { lag: number };
      return row.lag;
    },
  };
}
