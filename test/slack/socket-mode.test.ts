import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { type RunningServer, startServer } from '../../src/app/server.js';
import { startVodEmulator, type VodEmulator } from '../../src/sandbox/index.js';
import { ACTION_APPROVE } from '../../src/slack/blocks.js';
import { DEMO } from '../helpers/demo.js';
import { approvalMessageTs, type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { type FakeSocketMode, startFakeSocketMode } from '../helpers/fake-socket-mode.js';
import { blockActionPayload } from '../helpers/slack-request.js';
import { TEST_KEY } from '../helpers/vod-fixture.js';

// The Alibaba credential chain reads the process environment: set for this file's tests only.
beforeAll(() => {
  vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_ID', TEST_KEY.accessKeyId);
  vi.stubEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', TEST_KEY.accessKeySecret);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

let emulator: VodEmulator | undefined;
let slack: FakeSlack | undefined;
let socket: FakeSocketMode | undefined;
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  await socket?.close();
  await slack?.close();
  await emulator?.close();
});

it('takes /vod and an approval over Socket Mode, with no public HTTP endpoint', async () => {
  emulator = await startVodEmulator({ credentials: [TEST_KEY] });
  socket = await startFakeSocketMode();
  slack = await startFakeSlack({ socketModeUrl: socket.url });
  server = await startServer({
    env: {
      VOD_ENDPOINT: emulator.endpoint,
      VOD_OPS_DB_PATH: join(mkdtempSync(join(tmpdir(), 'vod-ops-socket-')), 'vod-ops.db'),
      VOD_OPS_APPROVERS: 'U0BOB',
      VOD_OPS_LOG_LEVEL: 'error',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: slack.url,
    },
    sandbox: false,
    port: 0,
    host: '127.0.0.1',
  });
  await socket.connected();
  expect(slack.callsTo('apps.connections.open')[0]?.token).toBe('xapp-test');
  const health = (await fetch(`${server.url}/healthz`).then((r) => r.json())) as { slack: string };
  expect(health.slack).toBe('socket');

  const ack = await socket.send('slash_commands', {
    command: '/vod',
    text: `delete-stream ${DEMO.keynote} ${DEMO.keynoteLd} cleanup`,
    user_id: 'U0ALICE',
    user_name: 'alice',
    channel_id: 'C0APPROVALS',
    team_id: 'T0TEST',
    trigger_id: 'trigger',
    response_url: slack.responseUrl('socket-cmd'),
  });
  expect(ack).toMatchObject({
    response_type: 'ephemeral',
    text: expect.stringMatching(/posted for approval/),
  });
  const posted = await slack.waitFor((c) => c.method === 'chat.postMessage');
  const requestId = JSON.stringify(posted.body.blocks).match(/"value":"(dr-[0-9a-z]+)"/)?.[1] ?? '';
  expect(requestId).toMatch(/^dr-/);

  await socket.send(
    'interactive',
    blockActionPayload({
      userId: 'U0BOB',
      requestId,
      actionId: ACTION_APPROVE,
      channel: 'C0APPROVALS',
      messageTs: approvalMessageTs(slack, requestId),
      responseUrl: slack.responseUrl('socket-click'),
    }),
  );
  await slack.waitFor((c) => c.method === 'chat.update' && /Alibaba RequestId/.test(JSON.stringify(c.body)));
  expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
});
