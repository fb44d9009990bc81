import type { AuditEntry } from '../requests/audit-entry.js';

/**
 * Where each audit webhook has delivered to, and which process delivers it: a durable cursor per target (the last
 * `seq` the receiver acknowledged) under a lease, so that among every process sharing the store one at a time sends,
 * and a new holder goes on from where the last one stopped. Leases are on the database's clock, which every replica
 * shares. Every write is a compare-and-set on the owner (and the cursor), so a process that lost its lease can
 * neither move the cursor nor undo another's move. Adapters: `SqliteStore`, `PostgresStore`.
 */
export interface AuditDeliveries {
  /**
   * Takes or renews the lease on `target` for `owner`, for `leaseMs` from now, and returns its cursor; a target
   * never seen starts before the first entry (`lastSeq` 0). Returns undefined, changing nothing, while another
   * owner's lease runs.
   */
  claimAuditDelivery(target: string, owner: string, leaseMs: number): Promise<AuditCursor | undefined>;

  /**
   * Moves the cursor from `fromSeq` to `toSeq`, clears the failures and renews the lease, if and only if `owner`
   * still holds it and the cursor is still at `fromSeq`. Returns false, writing nothing, otherwise.
   */
  advanceAuditDelivery(
    target: string,
    owner: string,
    move: { fromSeq: number; toSeq: number },
    leaseMs: number,
  ): Promise<boolean>;

  /**
   * Counts one more failed attempt (`error` says what failed: a status or a code, never a secret) and renews the
   * lease, if `owner` holds it. Returns the failures since the last success, or undefined when it lost the lease.
   */
  recordAuditDeliveryFailure(
    target: string,
    owner: string,
    error: string,
    leaseMs: number,
  ): Promise<number | undefined>;

  /** Gives the lease up, if `owner` holds it, so that another process takes over at once. */
  releaseAuditDelivery(target: string, owner: string): Promise<void>;

  /**
   * Up to `limit` entries after `afterSeq`, in `seq` order, with what the database says of the writers still at
   * work when they were read (see `AuditPage.writers`).
   */
  readAuditAfter(afterSeq: number, limit: number): Promise<AuditPage>;

  /**
   * A transaction id greater than every one the database has assigned so far, so above every writer already at
   * work (read before it, a gap's writers are among them); undefined where pages have no `writers` (SQLite). On
   * PostgreSQL a statement of its own that assigns itself an id (`pg_current_xact_id()`): ids are given in
   * increasing order. Asked once per gap, not per read, since it consumes a transaction id.
   * @see https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-PG-SNAPSHOT
   */
  auditWritersBound(): Promise<number | undefined>;

  /**
   * How far `target` is behind the trail, in seqs: the last entry's seq minus its cursor (every entry when it was
   * never claimed). Two index lookups, whatever the lag; a seq rolled back on PostgreSQL counts as an entry.
   */
  auditDeliveryLag(target: string): Promise<number>;
}

export interface AuditCursor {
  /** The last entry delivered; 0 before the first. */
  lastSeq: number;
  /** Failed attempts since the last success. */
  attempts: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /**
   * Absent when the store commits entries in `seq` order (SQLite: one writer at a time, and a rolled-back seq is
   * given again), so a gap is never filled later. PostgreSQL gives `seq` from a sequence outside transactions: a
   * transaction may take seq N and commit after another took N + 1, or roll back and leave N a gap for ever. There,
   * `xmin` of the snapshot the entries were read in: the oldest transaction still running. A gap is final once a
   * later read's `xmin` is at or past a bound taken when it was first seen (`auditWritersBound`). The snapshot's
   * `xmax` is not such a bound: it is the last completed transaction id + 1, and a transaction still running may
   * already hold an id at or above it, which no later `xmin` reflects until something after it completes.
   * @see https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-PG-SNAPSHOT-PARTS
   */
  writers?: { xmin: number };
}
