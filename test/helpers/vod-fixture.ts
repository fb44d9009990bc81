import { systemClock } from '../../src/core/clock.js';
import { createLogger, type Logger } from '../../src/core/logger.js';
import {
  type AlibabaVodOptions,
  createAlibabaVod,
  type VodCredentials,
} from '../../src/core/vod/alibaba-vod.js';
import type { RetryPolicy } from '../../src/core/vod/call-policy.js';
import type { VodApi } from '../../src/core/vod/vod-api.js';
import { loadVodConfig } from '../../src/core/vod/vod-config.js';
import { singleRegion, type VodRegions } from '../../src/core/vod/vod-regions.js';
import { startVodEmulator, type VodEmulator, type VodEmulatorOptions } from '../../src/sandbox/index.js';

export const TEST_KEY = { accessKeyId: 'LTAItestkey0001', accessKeySecret: 'test-secret-Zq8vN3' };

/** Short backoff so retry tests take milliseconds; the shape of the policy is the production one. */
export const FAST_RETRY: RetryPolicy = { maxAttempts: 4, minDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50 };

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface VodFixture {
  emulator: VodEmulator;
  vod: VodApi;
  /** The same adapter as the one region served (the config's), as the workflows take it. */
  regions: VodRegions<VodApi>;
  logger: Logger;
  logs: LogLine[];
  /** Every log line as raw text, to prove no secret was written. */
  rawLog: () => string;
  close(): Promise<void>;
}

/** A real emulator on 127.0.0.1 and the real adapter talking HTTP to it, with logs captured as JSON. */
export async function startVodFixture(
  options: {
    emulator?: Partial<VodEmulatorOptions>;
    env?: Record<string, string>;
    credentials?: VodCredentials;
    retry?: RetryPolicy;
    sleep?: (ms: number) => Promise<void>;
    /** A log destination that throws on every write, as a closed stderr can. */
    brokenLog?: boolean;
    /** The adapter's limiters; default its own, at each action's rate. */
    limiterFor?: AlibabaVodOptions['limiterFor'];
    telemetry?: AlibabaVodOptions['telemetry'];
  } = {},
): Promise<VodFixture> {
  const emulator = await startVodEmulator({ credentials: [TEST_KEY], ...options.emulator });
  const raw: string[] = [];
  const logs: LogLine[] = [];
  const logger = createLogger({
    write(line: string) {
      if (options.brokenLog) throw new Error('EPIPE: broken pipe, write');
      raw.push(line);
      logs.push(JSON.parse(line) as LogLine);
    },
  });
  const config = loadVodConfig({ VOD_ENDPOINT: emulator.endpoint, VOD_MAX_QPS: '50', ...options.env });
  const vod = createAlibabaVod({
    config,
    credentials: options.credentials ?? { type: 'access-key', ...TEST_KEY },
    logger,
    clock: systemClock,
    retry: options.retry ?? FAST_RETRY,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.limiterFor ? { limiterFor: options.limiterFor } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  });
  return {
    emulator,
    vod,
    regions: singleRegion(config.region, vod),
    logger,
    logs,
    rawLog: () => raw.join(''),
    close: () => emulator.close(),
  };
}

export function vodCallLines(logs: LogLine[]): LogLine[] {
  return logs.filter((l) => l.msg === 'vod call');
}
