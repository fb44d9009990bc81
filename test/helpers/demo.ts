import { DEMO_VIDEO_IDS } from '../../src/sandbox/index.js';

/** The sandbox's demo catalogue (src/sandbox/catalogue.ts), by role, for tests. */
export const DEMO = {
  ...DEMO_VIDEO_IDS,
  keynoteLd: 'bbffd3db76aa4d4c98c5fa6f42f9bff9',
  keynoteSd: '6dedefbfa26d4a3258e58d5fa289f8f3',
  keynoteStaleHd: 'dfb7def03fe74233558bb253bb58650a',
  teaserOnly: '789cf953f9e4440edf222f50c7beabcb',
  /** A well-formed id that is no video or stream of the catalogue. */
  missing: '00000000000000000000000000000000',
} as const;
