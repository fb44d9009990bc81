import { randomBytes } from 'node:crypto';
import { createAlibabaVod, type VodCredentials } from '../core/alibaba-vod.js';
import { systemClock } from '../core/clock.js';
import { type Env, loadVodConfig, type VodConfig } from '../core/config.js';
import { createStderrLogger, type Logger, parseLogLevel } from '../core/logger.js';
import type { VodApi } from '../core/vod-api.js';
import { startVodEmulator, type VodEmulator } from '../sandbox/index.js';

export const USER_AGENT = 'vod-ops/0.1.0';

/** Everything a command needs, wired from the environment. The one place the CLI touches process.env. */
export interface CliRuntime {
  vod: VodApi;
  config: VodConfig;
  logger: Logger;
  /** Set when the command runs against an in-process emulator. */
  sandbox?: VodEmulator;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  sandbox: boolean;
  env: Env;
}

/**
 * Builds the VOD adapter from the environment, or, with `sandbox`, against a fresh in-process emulator with
 * the demo catalogue and a throwaway AccessKey pair, so no account and no credential is needed.
 */
export async function createCliRuntime(options: RuntimeOptions): Promise<CliRuntime> {
  const logger = createStderrLogger(parseLogLevel(options.env.VOD_OPS_LOG_LEVEL));
  if (!options.sandbox) {
    const config = loadVodConfig(options.env);
    const credentials: VodCredentials = { type: 'default-chain' };
    const vod = createAlibabaVod({ config, credentials, logger, clock: systemClock, userAgent: USER_AGENT });
    return { vod, config, logger, close: async () => {} };
  }
  const accessKey = createSandboxAccessKey();
  const emulator = await startVodEmulator({ credentials: [accessKey] });
  const sandboxLogger = logger.child({ sandbox: true });
  process.stderr.write(
    'sandbox: an in-process VOD emulator with demo videos; nothing on Alibaba Cloud is touched\n',
  );
  const config = loadVodConfig({ ...options.env, VOD_ENDPOINT: emulator.endpoint });
  const vod = createAlibabaVod({
    config,
    credentials: { type: 'access-key', ...accessKey },
    logger: sandboxLogger,
    clock: systemClock,
    userAgent: USER_AGENT,
  });
  return { vod, config, logger: sandboxLogger, sandbox: emulator, close: () => emulator.close() };
}

/** A fresh, random AccessKey pair for a sandbox: it opens nothing but the local emulator it was made for. */
export function createSandboxAccessKey(): { accessKeyId: string; accessKeySecret: string } {
  return {
    accessKeyId: `LTAIsandbox${randomBytes(6).toString('hex')}`,
    accessKeySecret: randomBytes(15).toString('base64url'),
  };
}
