import { describe, expect, it } from 'vitest';
import { deliverableEntries, type GapWatch } from '../../../src/core/audit-trail/delivery-horizon.js';
import type { AuditEntry } from '../../../src/core/requests/audit-entry.js';
import type { AuditPage } from '../../../src/core/store/audit-deliveries.js';

const entry = (seq: number): AuditEntry => ({
  seq,
  at: 0,
  type: 'direct_deletion',
  actor: { source: 'cli', id: 'o', displayName: 'o' },
  videoId: 'v',
  details: {},
});
const page = (seqs: number[], writers?: AuditPage['writers']): AuditPage => ({
  entries: seqs.map(entry),
  ...(writers ? { writers } : {}),
});
const seqs = (result: { entries: AuditEntry[] }) => result.entries.map((e) => e.seq);
const SETTLE = 2000;

describe('which entries may be delivered', () => {
  it('delivers entries that follow one another', () => {
    const result = deliverableEntries(4, page([5, 6, 7], { xmin: 10 }), undefined, 0, SETTLE);
    expect(seqs(result)).toEqual([5, 6, 7]);
    expect(result.gap).toBeUndefined();
  });

  it('passes gaps at once from a store that commits in seq order', () => {
    expect(seqs(deliverableEntries(0, page([2, 5]), undefined, 0, SETTLE))).toEqual([2, 5]);
  });

  it('stops at a gap while writers below the bound taken when it was seen may still fill it', () => {
    const first = deliverableEntries(4, page([5, 7, 8], { xmin: 20 }), undefined, 1000, SETTLE);
    expect(seqs(first)).toEqual([5]);
    expect(first.gap).toBe(6);
    // Long watched, but a transaction below the bound (xid 24) is still running: seq 6 may yet commit.
    const watch: GapWatch = { seq: 6, seenAt: 1000, bound: 25 };
    const later = deliverableEntries(5, page([7, 8], { xmin: 24 }), watch, 60_000, SETTLE);
    expect(seqs(later)).toEqual([]);
    expect(later.gap).toBe(6);
  });

  it('delivers the late entry in its place once it commits', () => {
    const watch: GapWatch = { seq: 6, seenAt: 1000, bound: 25 };
    expect(seqs(deliverableEntries(5, page([6, 7, 8], { xmin: 24 }), watch, 1100, SETTLE))).toEqual([
      6, 7, 8,
    ]);
  });

  it('passes a gap once every writer below the bound has ended and it has been watched long enough', () => {
    const watch: GapWatch = { seq: 6, seenAt: 1000, bound: 25 };
    // Every writer below xid 25 has ended, but only just watched: not yet.
    expect(seqs(deliverableEntries(5, page([7, 8], { xmin: 25 }), watch, 1500, SETTLE))).toEqual([]);
    const passed = deliverableEntries(5, page([7, 8], { xmin: 25 }), watch, 3000, SETTLE);
    expect(seqs(passed)).toEqual([7, 8]);
    expect(passed.gap).toBeUndefined();
  });

  it('never passes a gap it has no bound for yet, however long ago it was seen', () => {
    expect(deliverableEntries(5, page([7, 8], { xmin: 1_000_000 }), undefined, 60_000, 0).gap).toBe(6);
  });

  it('watches a new gap afresh, even one after a gap it passed', () => {
    const watch: GapWatch = { seq: 6, seenAt: 0, bound: 25 };
    const result = deliverableEntries(5, page([7, 9], { xmin: 30 }), watch, 5000, SETTLE);
    expect(seqs(result)).toEqual([7]);
    expect(result.gap).toBe(8);
  });
});
