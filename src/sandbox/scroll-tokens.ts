import { randomBytes } from 'node:crypto';
import type { CreationKey } from './video-state.js';

/** Where a SearchMedia answer left its walk. */
export interface ScrollPosition {
  /** The query it belongs to: SearchType, SortBy and Match as sent. */
  readonly query: string;
  /** PageNo × PageSize of the page answered: the window of the next pages counts from here. */
  readonly end: number;
  /** The last hit the client was given; the walk goes on after it. Absent when it was given none. */
  readonly after?: CreationKey;
}

/** The ScrollTokens an emulator has handed out. */
export interface ScrollTokens {
  issue(position: ScrollPosition, nowMs: number): string;
  /** What a token marks; `expired` when it is older than the TTL, or unknown (never issued, or forgotten). */
  redeem(token: string, nowMs: number): ScrollPosition | 'expired';
}

export const DEFAULT_SCROLL_TOKEN_TTL_MS = 30 * 60_000;

/**
 * Tokens are 32 random hex characters, the length Alibaba documents, and the emulator remembers what each marks:
 * a client can read or forge nothing from one, and the emulator can tell a token of another query from one whose
 * walk moved on. Tokens older than `ttlMs` (on the emulator's clock) are forgotten as new ones are issued, so a
 * long-running sandbox holds only the live ones; a forgotten token is answered as expired, whose remedy (start
 * again at page 1) is the right one either way.
 */
export function createScrollTokens(
  ttlMs: number = DEFAULT_SCROLL_TOKEN_TTL_MS,
  newToken: () => string = () => randomBytes(16).toString('hex'),
): ScrollTokens {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new RangeError(`scroll token TTL must be > 0 ms, got ${ttlMs}`);
  const issued = new Map<string, { position: ScrollPosition; issuedAt: number }>();
  const stale = (issuedAt: number, nowMs: number) => nowMs - issuedAt > ttlMs;
  return {
    issue(position, nowMs) {
      // Issued in time order, so the stale ones are at the front.
      for (const [token, entry] of issued) {
        if (!stale(entry.issuedAt, nowMs)) break;
        issued.delete(token);
      }
      const token = newToken();
      issued.set(token, { position, issuedAt: nowMs });
      return token;
    },
    redeem(token, nowMs) {
      const entry = issued.get(token);
      if (entry === undefined || stale(entry.issuedAt, nowMs)) return 'expired';
      return entry.position;
    },
  };
}
