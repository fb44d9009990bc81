import { describe, expect, it } from 'vitest';
import { leaseLeavesTimeToSend, shouldHandOver } from '../../../src/core/audit-trail/lease-rules.js';

describe('when the holder of a webhook lease may send', () => {
  const lease = { claimedAt: 1000, leaseMs: 30_000 };

  it('sends when the lease outlasts the send timeout and a margin', () => {
    expect(leaseLeavesTimeToSend(lease, 1050, 10_000)).toBe(true);
    expect(leaseLeavesTimeToSend(lease, 19_999, 10_000)).toBe(true);
  });

  it('claims again first when the claim or the read ate the lease', () => {
    // 30 s lease, 10 s timeout, 1 s margin: from 20 s after the claim on, a send could outlive the lease.
    expect(leaseLeavesTimeToSend(lease, 20_000, 10_000)).toBe(false);
    expect(leaseLeavesTimeToSend(lease, 40_000, 10_000)).toBe(false);
  });

  it('keeps a tenth of a short lease as the margin', () => {
    const short = { claimedAt: 0, leaseMs: 1000 };
    expect(leaseLeavesTimeToSend(short, 399, 500)).toBe(true);
    expect(leaseLeavesTimeToSend(short, 400, 500)).toBe(false);
  });
});

describe('when a failing holder hands the lease over', () => {
  it('keeps the lease through failures shorter than a lease, however many', () => {
    expect(shouldHandOver({ count: 50, since: 0 }, 29_999, 30_000, 3)).toBe(false);
  });

  it('keeps the lease through fewer failures than the minimum, however long', () => {
    expect(shouldHandOver({ count: 2, since: 0 }, 600_000, 30_000, 3)).toBe(false);
  });

  it('gives it up after enough failures spanning a lease', () => {
    expect(shouldHandOver({ count: 3, since: 0 }, 30_000, 30_000, 3)).toBe(true);
  });
});
