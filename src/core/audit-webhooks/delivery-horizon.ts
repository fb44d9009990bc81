import type { AuditEntry } from '../requests/audit-entry.js';
import type { AuditPage } from '../store/audit-deliveries.js';

/** A gap in `seq` the deliverer stopped at: its first missing seq, when it was first seen, and under what snapshot. */
export interface GapWatch {
  seq: number;
  /** Monotonic ms. */
  seenAt: number;
  /** The snapshot's `xmax` when first seen: every transaction that could fill the gap started before it. */
  xmax: number;
}

/**
 * Which entries of `page` (read after `afterSeq`) may be delivered now, so that none is ever passed over.
 *
 * Entries go in `seq` order, and the cursor only moves forward, so an entry committed after a later one was
 * delivered would be skipped for ever. On PostgreSQL that happens: `seq` comes from a sequence, outside
 * transactions, so a transaction can take N, and commit after another took N + 1 and committed, or roll back and
 * leave N missing for good. The rule:
 * - deliver entries while their seqs follow one another;
 * - at a gap, stop, and remember the snapshot's `xmax` (every transaction that took a missing seq had begun before
 *   the later entry was committed, so before that snapshot);
 * - pass the gap once a later read's `xmin` (the oldest transaction still running) has reached that `xmax`, so
 *   every transaction that could fill it has committed or rolled back, and it has been watched `settleMs` (the
 *   margin for a transaction between taking its seq and getting its transaction id). A gap still there is a
 *   rolled-back seq, or one a crash skipped.
 * A page without `writers` comes from a store that commits in `seq` order (SQLite): its gaps are final at once.
 * A long-running writing transaction on the database holds delivery back until it ends, never makes it skip.
 */
export function deliverableEntries(
  afterSeq: number,
  page: AuditPage,
  watch: GapWatch | undefined,
  now: number,
  settleMs: number,
): { entries: AuditEntry[]; watch?: GapWatch } {
  const entries: AuditEntry[] = [];
  let expected = afterSeq + 1;
  let watching = watch;
  for (const entry of page.entries) {
    const seq = entry.seq ?? Number.NaN;
    if (seq > expected && page.writers !== undefined) {
      const settled =
        watching !== undefined &&
        watching.seq === expected &&
        now - watching.seenAt >= settleMs &&
        page.writers.xmin >= watching.xmax;
      if (!settled) {
        if (watching?.seq !== expected) watching = { seq: expected, seenAt: now, xmax: page.writers.xmax };
        return { entries, watch: watching };
      }
    }
    if (!(seq >= expected)) throw new RangeError(`audit entries out of order after ${afterSeq}: ${seq}`);
    entries.push(entry);
    expected = seq + 1;
    watching = undefined;
  }
  return { entries };
}
