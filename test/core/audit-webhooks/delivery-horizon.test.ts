import { describe, expect, it } from 'vitest';
import { deliverableEntries, type GapWatch } from '../../../src/core/audit-webhooks/delivery-horizon.js';
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
    const result = deliverableEntries(4, page([5, 6, 7], { xmin: 10, xmax: 10 }), undefined, 0, SETTLE);
    expect(seqs(result)).toEqual([5, 6, 7]);
    expect(result.watch).toBeUndefined();
  });

  it('passes gaps at once from a store that commits in seq order', () => {
    expect(seqs(deliverableEntries(0, page([2, 5]), undefined, 0, SETTLE))).toEqual([2, 5]);
  });

  it('stops at a gap while writers that began before it was seen may still fill it', () => {
    const first = deliverableEntries(4, page([5, 7, 8], { xmin: 20, xmax: 25 }), undefined, 1000, SETTLE);
    expect(seqs(first)).toEqual([5]);
    expect(first.watch).toEqual({ seq: 6, seenAt: 1000, xmax: 25 });
    // Long watched, but a transaction that began before (xid 24) is still running: seq 6 may yet commit.
    const later = deliverableEntries(5, page([7, 8], { xmin: 24, xmax: 40 }), first.watch, 60_000, SETTLE);
    expect(seqs(later)).toEqual([]);
    expect(later.watch).toEqual(first.watch);
  });

  it('delivers the late entry in its place once it commits', () => {
    const watch: GapWatch = { seq: 6, seenAt: 1000, xmax: 25 };
    expect(seqs(deliverableEntries(5, page([6, 7, 8], { xmin: 24, xmax: 40 }), watch, 1100, SETTLE))).toEqual(
      [6, 7, 8],
    );
  });

  it('passes a gap once every writer that could fill it has ended and it has been watched long enough', () => {
    const watch: GapWatch = { seq: 6, seenAt: 1000, xmax: 25 };
    // Every writer before xid 25 has ended, but only just watched: not yet.
    expect(seqs(deliverableEntries(5, page([7, 8], { xmin: 25, xmax: 30 }), watch, 1500, SETTLE))).toEqual(
      [],
    );
    const passed = deliverableEntries(5, page([7, 8], { xmin: 25, xmax: 30 }), watch, 3000, SETTLE);
    expect(seqs(passed)).toEqual([7, 8]);
    expect(passed.watch).toBeUndefined();
  });

  it('watches a new gap afresh, even one after a gap it passed', () => {
    const watch: GapWatch = { seq: 6, seenAt: 0, xmax: 25 };
    const result = deliverableEntries(5, page([7, 9], { xmin: 30, xmax: 31 }), watch, 5000, SETTLE);
    expect(seqs(result)).toEqual([7]);
    expect(result.watch).toEqual({ seq: 8, seenAt: 5000, xmax: 31 });
  });
});
