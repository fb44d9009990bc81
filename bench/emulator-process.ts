import { writeFileSync } from 'node:fs';
import { createBulkCatalogue, createLibraryCatalogue, startVodEmulator } from '../src/sandbox/index.js';

/**
 * Runs a VOD emulator in a process of its own, as Alibaba's endpoint is another machine: the measured client
 * process then does only client work. Settings come as JSON in argv[2]. Prints `{"port":N}` when ready; when
 * stdin closes, writes `{"calls":N,"throttled":N,"deletesAcceptedAt":[…],…}` to the file named in argv[3] (a line of
 * half a megabyte through a pipe was cut short when the process exited), prints `{"done":true}` and exits.
 */
const settings = JSON.parse(process.argv[2] ?? '{}') as {
  credentials: Array<{ accessKeyId: string; accessKeySecret: string }>;
  bulk?: { videos: number; streamsPerVideo: number; seed: string };
  /** A generated library (campaigns) instead of the bulk catalogue. */
  library?: { videos: number; seed: string };
  qpsLimits?: Record<string, number>;
  /** Added before every answer, as a slow Alibaba endpoint would; default 0. */
  latencyMs?: number;
};
const emulator = await startVodEmulator({
  credentials: settings.credentials,
  catalogue: settings.library
    ? createLibraryCatalogue(settings.library)
    : createBulkCatalogue(settings.bulk ?? { videos: 0, streamsPerVideo: 0, seed: 'none' }),
  ...(settings.qpsLimits ? { qpsLimits: settings.qpsLimits } : {}),
  ...(settings.latencyMs ? { latencyMs: settings.latencyMs } : {}),
});
process.stdout.write(`${JSON.stringify({ port: emulator.port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  const throttled = emulator.calls.filter((c) => c.code?.startsWith('Throttling')).length;
  // When each DeleteStream arrived (and each accepted one), for the busiest second and the rate.
  const deletesAcceptedAt = emulator.calls
    .filter((c) => c.action === 'DeleteStream' && c.code === undefined)
    .map((c) => c.receivedAt);
  const deletesArrivedAt = emulator.calls.filter((c) => c.action === 'DeleteStream').map((c) => c.receivedAt);
  const byAction: Record<string, number> = {};
  const throttledByAction: Record<string, number> = {};
  for (const call of emulator.calls) {
    byAction[call.action] = (byAction[call.action] ?? 0) + 1;
    if (call.code?.startsWith('Throttling')) {
      throttledByAction[call.action] = (throttledByAction[call.action] ?? 0) + 1;
    }
  }
  writeFileSync(
    process.argv[3] ?? '',
    JSON.stringify({
      calls: emulator.calls.length,
      throttled,
      byAction,
      throttledByAction,
      deletesAcceptedAt,
      deletesArrivedAt,
    }),
  );
  process.stdout.write(`${JSON.stringify({ done: true })}\n`, () => {
    void emulator.close().then(() => process.exit(0));
  });
});
