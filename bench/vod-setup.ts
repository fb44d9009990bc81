import { openSync } from 'node:fs';
import { pino } from 'pino';
import { createPromTelemetry } from '../src/app/metrics/prom-telemetry.js';
import { createMetrics } from '../src/app/metrics/registry.js';
import { systemClock } from '../src/core/clock.js';
import type { Env } from '../src/core/env.js';
import { createLogger } from '../src/core/logger.js';
import { createAlibabaVod } from '../src/core/vod/alibaba-vod.js';
import type { VodApi } from '../src/core/vod/vod-api.js';
import { loadVodConfig } from '../src/core/vod/vod-config.js';

export const BENCH_KEY = { accessKeyId: 'LTAIbenchkey0001', accessKeySecret: 'bench-secret-7hQ2' };

/**
 * The core adapter as `vod-ops serve` wires it (sync JSON log lines written to a file descriptor, default retry
 * policy, every call observed by the Prometheus metrics), logging to /dev/null so the terminal is not the
 * bottleneck, yet every line is still serialised and written.
 */
/** One set of metrics for the bench process, as one `vod-ops serve` process has (its default collectors included). */
const telemetry = createPromTelemetry(createMetrics());

export function createBenchVod(endpoint: string, env: Env = {}): VodApi {
  const logger = createLogger(pino.destination({ dest: openSync('/dev/null', 'w'), sync: true }));
  return createAlibabaVod({
    config: loadVodConfig({ VOD_ENDPOINT: endpoint, ...env }),
    credentials: { type: 'access-key', ...BENCH_KEY },
    logger,
    clock: systemClock,
    telemetry,
  });
}
