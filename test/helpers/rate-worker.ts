/**
 * A process that sends DeleteStream calls through the product's VOD adapter, paced as the product paces them:
 * under the budget its store shares (`RATE_WORKER_SHARED=true`, the default) or by itself. Configured by the
 * environment like the product (VOD_ENDPOINT, VOD_MAX_QPS, DATABASE_URL or VOD_OPS_DB_PATH); told by the test,
 * over IPC, which streams to delete, all at once.
 */
import { createVodAdapter } from '../../src/app/runtime.js';
import { createLogger } from '../../src/core/logger.js';
import { openStore } from '../../src/core/store/open-store.js';
import { loadStoreConfig } from '../../src/core/store/store-config.js';
import { parseJobIds, parseVideoId } from '../../src/core/vod/input-rules.js';
import { loadVodConfig } from '../../src/core/vod/vod-config.js';

const store = await openStore(loadStoreConfig(process.env));
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
    });
    vod.close();
    await store.close();
    process.exit(0);
  });
});
process.send?.({ ready: true });
