import type { AuditDeliveries } from './audit-deliveries.js';
import type { CampaignStore } from './campaign-store.js';
import type { DeletionStore } from './deletion-store.js';
import type { OnceLedger } from './once-ledger.js';
import type { RateLedger } from './rate-ledger.js';

/**
 * What an opened store offers, on one database: the deletion requests and audit trail, the clean-up campaigns,
 * the rate ledger, the keys seen once, and where audit webhooks have delivered to.
 */
export type Store = DeletionStore & CampaignStore & RateLedger & OnceLedger & AuditDeliveries;
