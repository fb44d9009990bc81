/**
 * A process that sends DeleteStream calls through the product's VOD adapter, paced as the product paces them:
 * under the budget its store shares (`RATE_WORKER_SHARED=true`, the default) or by itself. Configured by the
 * environment like the product (VOD_ENDPOINT, VOD_MAX_QPS, DATABASE_URL or VOD_OPS_DB_PATH); told by the test,
 * over IPC, which streams to delete, all at once.
 */
import { createVodAdapter } from '../../src/app/runtime.js';
import { loadStoreSettings } from '../../src/app/settings.js';
import { AppError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { openStore } from '../../src/core/store/open-store.js';
import { parseJobIds, parseVideoId } from '../../src/core/vod/input-rules.js';
import { loadVodConfig } from '../../src/core/vod/vod-config.js';

const store = await openStore(loadStoreSettings(process.env).store);
const vod = createVodAdapter({
  config: loadVodConfig(process.env),
  credentials: {
    type: 'access-key',
    accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? '',
    accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '',
  },
  logger: createLogger({ write: () => {} }),
  ...(process.env.RATE_WORKER_SHARED === 'false' ? {} : { ledger: store }),
});

process.on('message', (message: { targets: Array<{ videoId: string; jobId: string }> }) => {
  void Promise.allSettled(
    message.targets.map((t) => vod.deleteStream(parseVideoId(t.videoId), parseJobIds([t.jobId]))),
  ).then(async (results) => {
    process.send?.({
      succeeded: results.filter((r) => r.status === 'fulfilled').length,
      failed: results.filter((r) => r.status === 'rejected').length,
      // Throttling that outlasted the retries and reached the caller, as it would reach a request.
      throttled: results.filter(
        (r) =>
          r.status === 'rejected' &&
          r.reason instanceof AppError &&
          /Throttling/.test(String(r.reason.detail.vodCode)),
      ).length,
    });
    vod.close();
    await store.close();
    process.exit(0);
  });
});
// A replica that has been serving: with RATE_WORKER_WARM_VIDEO_ID, one GetPlayInfo first (signing, the HTTP
// connection, the ledger's statement, all compiled), so the first deletions are not a cold process's.
const warmVideo = process.env.RATE_WORKER_WARM_VIDEO_ID;
if (warmVideo) await vod.getPlayInfo(parseVideoId(warmVideo));
process.send?.({ ready: true });
