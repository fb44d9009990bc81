/** Remembers signature nonces so that a replayed request is refused, in bounded memory. */
export interface NonceLedger {
  /**
   * Claims a nonce at `nowMs`. Returns false when the same nonce was claimed within the window (a replay), true
   * otherwise (and remembers it).
   */
  claim(nonce: string, nowMs: number): boolean;
  /** How many nonces are currently remembered. */
  readonly size: number;
}

export interface NonceLedgerOptions {
  /** How long a nonce stays remembered; Alibaba refuses a nonce reused within 15 minutes. */
  windowMs?: number;
  /** Upper bound on remembered nonces; the oldest are forgotten first when it is reached. */
  maxEntries?: number;
}

const NONCE_WINDOW_MS = 15 * 60 * 1000;

/**
 * Creates a ledger of signature nonces. Entries are kept in claim order (a Map preserves insertion order), so
 * forgetting expired ones is a walk from the front that stops at the first live entry: O(1) amortised per claim.
 */
export function createNonceLedger(options: NonceLedgerOptions = {}): NonceLedger {
  const windowMs = options.windowMs ?? NONCE_WINDOW_MS;
  const maxEntries = options.maxEntries ?? 200_000;
  const seen = new Map<string, number>();

  const forgetExpired = (nowMs: number): void => {
    for (const [nonce, at] of seen) {
      if (at > nowMs - windowMs && seen.size < maxEntries) break;
      seen.delete(nonce);
    }
  };

  return {
    claim(nonce, nowMs) {
      forgetExpired(nowMs);
      const at = seen.get(nonce);
      if (at !== undefined && Math.abs(nowMs - at) < windowMs) return false;
      seen.delete(nonce);
      seen.set(nonce, nowMs);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
