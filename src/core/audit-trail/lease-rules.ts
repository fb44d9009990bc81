/**
 * When the holder of a webhook's lease may still send, and when it should let another process try. Both are
 * decided on this process's monotonic clock: the lease is on the database's, so this side counts it from just
 * before the claim was sent, which can only make it look shorter than it is.
 */

/** What is kept of the lease between the claim and the send. */
export interface HeldLease {
  /** Monotonic ms, taken just before the claim was sent. */
  claimedAt: number;
  leaseMs: number;
}

/** The part of a lease kept back for clock rate differences and the write that records the outcome. */
export function leaseMargin(leaseMs: number): number {
  return Math.min(1000, leaseMs / 10);
}

/**
 * Whether a send started at `now` ends, timeout included, while the lease still runs. When it would not (a slow
 * claim or read ate the lease), another process may have claimed it by the time the request is out, and two
 * senders would be out of order: the holder claims again first.
 */
export function leaseLeavesTimeToSend(lease: HeldLease, now: number, sendTimeoutMs: number): boolean {
  return lease.claimedAt + lease.leaseMs - now > sendTimeoutMs + leaseMargin(lease.leaseMs);
}

/** Failures in a row of the holder's own sends, since the last success or claim. */
export interface FailureRun {
  count: number;
  /** Monotonic ms of the first. */
  since: number;
}

/**
 * Whether the holder should give the lease up, after failures in a row: at least `minFailures`, spanning at least
 * one lease. Every failure renews the lease, so without this a replica that cannot reach the receiver (broken
 * egress) or whose signatures are refused (a skewed clock: 401) would keep it for ever while a healthy one waits.
 * Both conditions, so a receiver that is down for everyone is not handed round at every failure.
 */
export function shouldHandOver(run: FailureRun, now: number, leaseMs: number, minFailures: number): boolean {
  return run.count >= minFailures && now - run.since >= leaseMs;
}
