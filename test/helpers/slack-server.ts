import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import { type RunningServer, type ServerOptions, startServer } from '../../src/app/server.js';
import type { Env } from '../../src/core/env.js';
import type { VodEmulator } from '../../src/sandbox/index.js';
import type { FakeSlack } from './fake-slack.js';
import { TEST_KEY } from './vod-fixture.js';

/** The signing secret the served Slack app checks, and the tests sign their requests with. */
export const SIGNING_SECRET = 'slack-signing-secret-for-tests';

/** Stubs the test key into the env the Alibaba credential chain reads, for the calling file's tests only. */
export function stubAlibabaCredentials(): void {
  beforeAll(() => {
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_ID', TEST_KEY.accessKeyId);
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', TEST_KEY.accessKeySecret);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });
}

/** A fresh SQLite file's path in its own temporary directory named after `name`. */
export function tempDbPath(name: string): string {
  return join(mkdtempSync(join(tmpdir(), `vod-ops-${name}-`)), 'vod-ops.db');
}

/** What `startSlackServer` serves against; any other server option (clock, sandbox, timings) passes through. */
export type SlackServerSetup = Partial<Omit<ServerOptions, 'env'>> & {
  /** The one region's emulator (VOD_ENDPOINT); left out when `env` sets VOD_REGIONS. */
  emulator?: VodEmulator;
  slack: FakeSlack;
  dbPath: string;
  approvers: readonly string[];
  /** Added to the usual environment, and winning over it. */
  env?: Env;
};

/** `vod-ops serve` (startServer) on a free port against the emulator and a fake Slack, with the usual test env. */
export function startSlackServer(setup: SlackServerSetup): Promise<RunningServer> {
  const { emulator, slack, dbPath, approvers, env, ...options } = setup;
  return startServer({
    env: {
      ...(emulator ? { VOD_ENDPOINT: emulator.endpoint } : {}),
      VOD_OPS_DB_PATH: dbPath,
      VOD_OPS_APPROVERS: approvers.join(','),
      VOD_OPS_LOG_LEVEL: 'error',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      ...env,
    },
    sandbox: false,
    port: 0,
    host: '127.0.0.1',
    sweepIntervalMs: 50,
    ...options,
  });
}
