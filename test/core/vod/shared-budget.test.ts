import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createBulkCatalogue, startVodEmulator, type VodEmulator } from '../../../src/sandbox/index.js';
import { createTestSchema, TEST_DATABASE_URL, warnIfPostgresSkipped } from '../../helpers/pg-schema.js';
import { TEST_KEY } from '../../helpers/vod-fixture.js';

const WORKER = fileURLToPath(new URL('../../helpers/rate-worker.ts', import.meta.url));
/** The emulator plays an account allowed this many DeleteStream calls in any second. */
const ACCOUNT_LIMIT = 10;
const PER_WORKER = 15;

warnIfPostgresSkipped('PostgreSQL shared-budget tests');

let emulator: VodEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/** Two processes, each given its streams to delete all at once; what reached the emulator, and when. */
async function twoProcessesDelete(storeEnv: Record<string, string>, shared: boolean) {
  const bulk = { videos: 2 * PER_WORKER, streamsPerVideo: 1, seed: `shared-budget-${Math.random()}` };
  const catalogue = createBulkCatalogue(bulk);
  emulator = await startVodEmulator({
    credentials: [TEST_KEY],
    catalogue,
    qpsLimits: { DeleteStream: ACCOUNT_LIMIT },
  });
  const env = {
    ...process.env,
    ...storeEnv,
    VOD_ENDPOINT: emulator.endpoint,
    VOD_MAX_QPS: String(ACCOUNT_LIMIT - 1),
    ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
    RATE_WORKER_SHARED: String(shared),
  };
  const workers = [0, 1].map(() =>
    fork(WORKER, [], { env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  await Promise.all(workers.map((w) => once(w, 'message')));
  const results = workers.map((w) => once(w, 'message'));
  workers.forEach((w, i) => {
    const mine = catalogue.slice(i * PER_WORKER, (i + 1) * PER_WORKER);
    w.send({ targets: mine.map((v) => ({ videoId: v.videoId, jobId: v.streams[0]?.jobId })) });
  });
  const outcomes = (await Promise.all(results)).map(([m]) => m as { succeeded: number; failed: number });
  await Promise.all(workers.map((w) => (w.exitCode === null ? once(w, 'exit') : undefined)));
  const calls = emulator.callsTo('DeleteStream');
  // Every call that reached the account, throttled or not.
  const arrived = calls.map((c) => c.receivedAt);
  const busiestSecond = Math.max(...arrived.map((t) => arrived.filter((u) => u >= t && u < t + 1000).length));
  return {
    succeeded: outcomes.reduce((n, o) => n + o.succeeded, 0),
    throttled: calls.filter((c) => c.code?.startsWith('Throttling')).length,
    busiestSecond,
  };
}

const stores: Array<[string, () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>]> =
  [
    [
      'one SQLite file',
      async () => ({
        env: { VOD_OPS_DB_PATH: join(mkdtempSync(join(tmpdir(), 'vod-ops-budget-')), 'vod-ops.db') },
        cleanup: async () => {},
      }),
    ],
  ];
if (TEST_DATABASE_URL) {
  stores.push([
    'one PostgreSQL database',
    async () => {
      const schema = await createTestSchema();
      return { env: { DATABASE_URL: schema.connectionString }, cleanup: schema.drop };
    },
  ]);
}

describe.each(stores)(
  'the DeleteStream budget of processes sharing %s',
  { timeout: 60_000 },
  (_name, makeStore) => {
    it('is one budget for the account: never more than the limit in any second, nothing throttled', async () => {
      const store = await makeStore();
      try {
        const seen = await twoProcessesDelete(store.env, true);
        expect(seen.succeeded).toBe(2 * PER_WORKER);
        expect(seen.throttled).toBe(0);
        expect(seen.busiestSecond).toBeLessThanOrEqual(ACCOUNT_LIMIT);
      } finally {
        await store.cleanup();
      }
    });

    it('is needed: paced each by itself, the processes together go over the limit and get throttled', async () => {
      const store = await makeStore();
      try {
        const seen = await twoProcessesDelete(store.env, false);
        expect(seen.throttled).toBeGreaterThan(0);
      } finally {
        await store.cleanup();
      }
    });
  },
);
