import type { AuditEntry } from '../requests/audit-entry.js';
import type { AuditPage } from '../store/audit-deliveries.js';

/** A gap in `seq` the deliverer stopped at: its first missing seq, when it began watching it, and what it waits for. */
export interface GapWatch {
  seq: number;
  /** Monotonic ms, when `bound` was taken. */
  seenAt: number;
  /**
   * A transaction id above every one assigned when the gap was first seen (`AuditDeliveries.auditWritersBound`,
   * asked after that read): every transaction that could fill the gap holds a smaller one.
   */
  bound: number;
}

/**
 * Which entries of `page` (read after `afterSeq`) may be delivered now, so that none is ever passed over.
 *
 * Entries go in `seq` order, and the cursor only moves forward, so an entry committed after a later one was
 * delivered would be skipped for ever. On PostgreSQL that happens: `seq` comes from a sequence, outside
 * transactions, so a transaction can take N, and commit after another took N + 1 and committed, or roll back and
 * leave N missing for good. The rule:
 * - deliver entries while their seqs follow one another;
 * - at a gap, stop and return it (`gap`); the caller then takes a `bound` on the transaction ids already assigned
 *   and watches the gap with it (a snapshot's `xmax` is no such bound: it is the last *completed* id + 1, and a
 *   transaction still running may hold an id at or above it, invisible to a later snapshot's `xmin`);
 * - pass the gap once a later read's `xmin` (the oldest transaction still running) has reached that bound, so
 *   every transaction that could fill it has committed or rolled back, and it has been watched `settleMs` since
 *   the bound was taken (the margin for a transaction between taking its seq and getting its transaction id).
 *   A gap still there is a rolled-back seq, or one a crash skipped.
 * A page without `writers` comes from a store that commits in `seq` order (SQLite): its gaps are final at once.
 * A long-running writing transaction on the database holds delivery back until it ends, never makes it skip.
 */
export function deliverableEntries(
  afterSeq: number,
  page: AuditPage,
  watch: GapWatch | undefined,
  now: number,
  settleMs: number,
): { entries: AuditEntry[]; gap?: number } {
  const entries: AuditEntry[] = [];
  let expected = afterSeq + 1;
  for (const entry of page.entries) {
    const seq = entry.seq ?? Number.NaN;
    if (seq > expected && page.writers !== undefined) {
      const settled =
        watch !== undefined &&
        watch.seq === expected &&
        now - watch.seenAt >= settleMs &&
        page.writers.xmin >= watch.bound;
      if (!settled) return { entries, gap: expected };
    }
    if (!(seq >= expected)) throw new RangeError(`audit entries out of order after ${afterSeq}: ${seq}`);
    entries.push(entry);
    expected = seq + 1;
  }
  return { entries };
}
