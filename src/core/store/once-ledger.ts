/**
 * Keys seen once, kept in the store so that every process sharing it agrees: what a front end uses to refuse a
 * replayed request (the same signed request sent twice) whichever replica receives it.
 */
export interface OnceLedger {
  /**
   * Records `key` until `expiresAt` (epoch ms) and returns true, or returns false when it is already recorded and
   * not expired: the caller has seen it before. Entries expired at `now` are forgotten along the way.
   */
  rememberOnce(key: string, expiresAt: number, now: number): Promise<boolean>;
}
