import type { DeletionStore } from './deletion-store.js';
import type { RateLedger } from './rate-ledger.js';

/** What an opened store offers, on one database: the deletion requests and audit trail, and the rate ledger. */
export type Store = DeletionStore & RateLedger;
