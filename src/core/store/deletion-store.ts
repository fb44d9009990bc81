import type { AuditEntry } from '../requests/audit-entry.js';
import type { DeletionRequest, RequestStatus } from '../requests/deletion-request.js';

/**
 * Durable state of deletion requests and the audit trail. Every state change is an atomic compare-and-set in
 * the database on `version`, written together with its audit entries in one transaction, so two processes
 * (or replicas) racing on one request can never both win. Adapters: `SqliteStore`, `PostgresStore`.
 */
export interface DeletionStore {
  /** Creates or upgrades the schema; safe to run at every start, by several processes at once. */
  migrate(): Promise<void>;

  /**
   * Inserts a new request (status `pending`, version 1) with its audit entries. When a `pending` request with
   * the same `dedupeKey` already exists, inserts nothing and returns it: at most one pending request per key,
   * enforced by the database.
   */
  insert(request: DeletionRequest, audit: readonly AuditEntry[]): Promise<InsertResult>;

  get(id: string): Promise<DeletionRequest | undefined>;

  /**
   * Replaces the stored request by `next` (whose `version` must be `expectedVersion` + 1) and appends `audit`,
   * atomically, if and only if the stored version is still `expectedVersion`. Returns false, writing nothing,
   * when another writer got there first.
   */
  transition(next: DeletionRequest, expectedVersion: number, audit: readonly AuditEntry[]): Promise<boolean>;

  /** Newest first. */
  list(filter?: RequestFilter): Promise<DeletionRequest[]>;

  /** Appends audit entries not tied to a transition (e.g. a direct deletion). */
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;

  /**
   * Oldest first by `seq`, or newest first with `newest`. From a time on (`since`), in time order (`at`, ties by
   * `seq`): the order a reader of a window expects across processes, and the one an index serves.
   */
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]>;

  /** How many requests are in each status, every status present: for the operator's gauges. */
  countByStatus(): Promise<Record<RequestStatus, number>>;

  /**
   * The versions of the migrations this code knows that `schema_migrations` does not record (all of them when the
   * table is missing); empty when the schema is up to date. Rejects when the database does not answer: what a
   * readiness probe asks.
   */
  missingMigrations(): Promise<number[]>;

  close(): Promise<void>;
}

export type InsertResult = { inserted: true } | { inserted: false; existing: DeletionRequest };

export interface RequestFilter {
  statuses?: readonly RequestStatus[];
  /** Only requests whose `expiresAt` is at or before this (epoch ms). */
  expiresAtOrBefore?: number;
  videoId?: string;
  /**
   * Only requests no front end is showing for approval: no `announcement`, or a claim without a `ref` made at
   * or before `claimedBefore` (epoch ms).
   */
  awaitingAnnouncement?: { claimedBefore: number };
  limit?: number;
}

export interface AuditFilter {
  /** Epoch ms, inclusive. */
  since?: number;
  /** The most recent `limit` entries (newest first) instead of the oldest. */
  newest?: boolean;
  videoId?: string;
  requestId?: string;
  limit?: number;
}
