import { type JobId, parseJobIds, parseVideoId, type VideoId } from '../../src/core/vod/input-rules.js';
import { DEMO_VIDEO_IDS } from '../../src/sandbox/index.js';

const video = (id: string): VideoId => parseVideoId(id);
const job = (id: string): JobId => parseJobIds(id)[0] as JobId;

/** The sandbox's demo catalogue (src/sandbox/catalogue.ts), by role, for tests: ids as the input rules make them. */
export const DEMO = {
  keynote: video(DEMO_VIDEO_IDS.keynote),
  podcast: video(DEMO_VIDEO_IDS.podcast),
  teaser: video(DEMO_VIDEO_IDS.teaser),
  rawUpload: video(DEMO_VIDEO_IDS.rawUpload),
  blocked: video(DEMO_VIDEO_IDS.blocked),
  keynoteLd: job('bbffd3db76aa4d4c98c5fa6f42f9bff9'),
  keynoteSd: job('6dedefbfa26d4a3258e58d5fa289f8f3'),
  keynoteStaleHd: job('dfb7def03fe74233558bb253bb58650a'),
  teaserOnly: job('789cf953f9e4440edf222f50c7beabcb'),
  /** A well-formed id that is no video or stream of the catalogue. */
  missing: video('00000000000000000000000000000000'),
} as const;
