import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningServer, startServer } from '../../src/app/server.js';
import { STORE_MIGRATIONS } from '../../src/core/store/migrations.js';
import { startVodEmulator, type VodEmulator } from '../../src/sandbox/index.js';
import { DEMO } from '../helpers/demo.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { parseSamples, sampleValue } from '../helpers/metrics-text.js';
import {
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
  warnIfPostgresSkipped,
} from '../helpers/pg-schema.js';
import { postSlashCommand } from '../helpers/slack-request.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { TEST_KEY } from '../helpers/vod-fixture.js';

const SECRET = 'slack-signing-secret-for-probe-tests';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function probe(path: '/healthz' | '/readyz'): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server!.url}${path}`);
  return { status: response.status, body: await response.json() };
}

describe('GET /readyz with Slack', () => {
  let slack: FakeSlack;
  // What the fake Slack refuses, read at every call: a test revokes the token by adding to it.
  const refusals: Record<string, string> = {};
  beforeAll(async () => {
    slack = await startFakeSlack({ errors: refusals });
  });
  afterAll(async () => {
    await slack.close();
  });

  /** `vod-ops serve --sandbox` with the fake Slack in HTTP mode. */
  const serveWithSlack = () =>
    startServer({
      env: {
        VOD_OPS_APPROVERS: 'U0BOB',
        VOD_OPS_LOG_LEVEL: 'silent',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.url,
      },
      sandbox: true,
      port: 0,
      host: '127.0.0.1',
    });

  it('is not ready while Slack answers auth.test with an error that is neither a refusal nor an outage', async () => {
    refusals['auth.test'] = 'ratelimited';
    try {
      server = await serveWithSlack();
      expect(await probe('/readyz')).toMatchObject({ status: 503 });
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(
        sampleValue(parseSamples(metrics), 'vodops_slack_api_errors_total', {
          method: 'auth.test',
          code: 'ratelimited',
        }),
      ).toBeGreaterThanOrEqual(1);
    } finally {
      delete refusals['auth.test'];
    }
  });

  it('is ready once Slack took the token, and not once Slack refuses it; liveness stays 200', async () => {
    server = await serveWithSlack();
    expect(await probe('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });

    // The token is revoked while the server runs: the next call the app makes says so.
    refusals['chat.postMessage'] = 'token_revoked';
    await postSlashCommand(server.url, SECRET, {
      text: `delete-stream ${DEMO.keynote} ${DEMO.keynoteLd} stale`,
      user_id: 'U0ALICE',
      channel_id: 'C0APPROVALS',
      response_url: slack.responseUrl('revoked'),
    });
    // The requester is told once the failed call was logged, and Slack's health with it.
    await slack.waitForResponse((r) => r.id === 'revoked');
    expect(await probe('/readyz')).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: 'Slack refuses the bot token (token_revoked)' },
    });
    expect(await probe('/healthz')).toMatchObject({
      status: 200,
      body: { status: 'ok', slackState: 'refused' },
    });
  });
});

warnIfPostgresSkipped('PostgreSQL readiness tests');

describe.skipIf(TEST_DATABASE_URL === '')('GET /readyz on PostgreSQL', () => {
  let schema: TestSchema;
  let emulator: VodEmulator;
  let proxy: TcpProxy;
  let raw: pg.Client;
  beforeAll(async () => {
    // The Alibaba credential chain reads the process environment: set for this file's tests only.
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_ID', TEST_KEY.accessKeyId);
    vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', TEST_KEY.accessKeySecret);
    schema = await createTestSchema();
    emulator = await startVodEmulator({ credentials: [TEST_KEY] });
    const direct = new URL(schema.connectionString);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    raw = new pg.Client({ connectionString: schema.connectionString });
    await raw.connect();
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await raw?.end();
    await proxy?.close();
    await emulator?.close();
    await schema?.drop();
  });

  it('answers 503 while the store is down or lacks a migration, 200 again when it is back; liveness stays 200', async () => {
    const throughProxy = new URL(schema.connectionString);
    throughProxy.hostname = '127.0.0.1';
    throughProxy.port = String(proxy.port);
    server = await startServer({
      env: {
        DATABASE_URL: throughProxy.toString(),
        VOD_ENDPOINT: emulator.endpoint,
        VOD_OPS_APPROVERS: 'U0BOB',
        VOD_OPS_LOG_LEVEL: 'silent',
      },
      sandbox: false,
      port: 0,
      host: '127.0.0.1',
      sweepIntervalMs: 60_000,
    });
    expect(await probe('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });

    // A schema behind the code (restored from an old backup, say): not ready until `vod-ops migrate`.
    const last = STORE_MIGRATIONS.at(-1)!;
    await raw.query('DELETE FROM schema_migrations WHERE version = $1', [last.version]);
    expect(await probe('/readyz')).toEqual({
      status: 503,
      body: {
        status: 'unavailable',
        reason: `the store lacks migrations ${last.version}: run vod-ops migrate`,
      },
    });
    await raw.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)', [
      last.version,
      last.name,
    ]);
    expect((await probe('/readyz')).status).toBe(200);

    // The database goes away: not ready, still live, and /metrics still answers without the store's gauges.
    await proxy.cut();
    expect(await probe('/readyz')).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: 'the store does not answer' },
    });
    expect((await probe('/healthz')).status).toBe(200);
    const scraped = await fetch(`${server.url}/metrics`);
    expect(scraped.status).toBe(200);
    const samples = parseSamples(await scraped.text());
    expect(sampleValue(samples, 'vodops_deletion_requests', { status: 'pending' })).toBeUndefined();
    expect(sampleValue(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);

    await proxy.restore();
    expect(await probe('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
  }, 30_000);
});
