import { describe, expect, it } from 'vitest';
import { createNonceLedger } from '../../src/sandbox/index.js';

describe('createNonceLedger', () => {
  it('forgets a nonce once the window has passed', () => {
    const ledger = createNonceLedger({ windowMs: 1000 });
    expect(ledger.claim('n1', 0)).toBe(true);
    expect(ledger.claim('n1', 999)).toBe(false);
    expect(ledger.claim('n1', 1000)).toBe(true);
  });

  it('keeps its memory bounded by forgetting the oldest nonces first', () => {
    const ledger = createNonceLedger({ maxEntries: 3 });
    for (const nonce of ['a', 'b', 'c', 'd']) expect(ledger.claim(nonce, 0)).toBe(true);
    expect(ledger.size).toBe(3);
    expect(ledger.claim('a', 0)).toBe(true);
    expect(ledger.claim('d', 0)).toBe(false);
  });
});
