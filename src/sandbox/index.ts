export { createSandboxAccessKey } from './access-key.js';
export {
  ACS3_ALGORITHM,
  type Acs3Checks,
  type Acs3FailureCode,
  type Acs3Verification,
  acs3Encode,
  MAX_CLOCK_SKEW_MS,
  type SignedHttpRequest,
  verifyAcs3Request,
} from './acs3-signature.js';
export { type BulkCatalogueOptions, createBulkCatalogue } from './bulk-catalogue.js';
export {
  createDemoCatalogue,
  createStream,
  DEMO_VIDEO_IDS,
  type EmulatorStream,
  type EmulatorVideo,
  type StreamDefinition,
  type StreamFormat,
  type StreamSeed,
  type StreamStatus,
  type VideoHead,
  type VideoStatus,
} from './catalogue.js';
export type { EmulatorFault } from './fault-queue.js';
export {
  createLibraryCatalogue,
  type LibraryCatalogue,
  type LibraryCatalogueOptions,
} from './library-catalogue.js';
export { MAX_MATCH_VIDEO_IDS } from './match-expression.js';
export { createNonceLedger, type NonceLedger, type NonceLedgerOptions } from './nonce-ledger.js';
export { DEFAULT_SCROLL_TOKEN_TTL_MS } from './scroll-tokens.js';
export { MAX_SEARCH_PAGE_SIZE, SCROLL_WINDOW, UNSCROLLED_HIT_LIMIT } from './search-media.js';
export type { EmulatorCatalogue } from './video-state.js';
export {
  MAX_JOB_IDS,
  VOD_ACTIONS,
  VOD_API_VERSION,
  type VodActionError,
  type VodActionName,
  type VodActionOutcome,
} from './vod-actions.js';
export {
  type EmulatorCall,
  type EmulatorCredential,
  startVodEmulator,
  type VodEmulator,
  type VodEmulatorOptions,
} from './vod-emulator.js';
