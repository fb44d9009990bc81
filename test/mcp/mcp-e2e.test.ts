import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { type RunningServer, startServer } from '../../src/app/server.js';
import { startVodEmulator, type VodEmulator } from '../../src/sandbox/index.js';
import { ACTION_APPROVE } from '../../src/slack/blocks.js';
import { DEMO } from '../helpers/demo.js';
import { approvalMessageTs, type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { CLI } from '../helpers/run-cli.js';
import { blockActionPayload, postInteraction } from '../helpers/slack-request.js';
import { TEST_KEY } from '../helpers/vod-fixture.js';

const SECRET = 'slack-signing-secret-for-tests';
const CHANNEL = 'C0APPROVALS';

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
let server: RunningServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  await slack?.close();
  await emulator?.close();
});

it('takes an assistant’s request over stdio to a person’s approval in Slack and back, with the RequestId', async () => {
  emulator = await startVodEmulator({ credentials: [TEST_KEY] });
  slack = await startFakeSlack();
  const shared = {
    VOD_ENDPOINT: emulator.endpoint,
    VOD_OPS_DB_PATH: join(mkdtempSync(join(tmpdir(), 'vod-ops-mcp-')), 'vod-ops.db'),
    VOD_OPS_APPROVERS: 'U0BOB',
    VOD_OPS_APPROVAL_CHANNEL: CHANNEL,
    VOD_OPS_LOG_LEVEL: 'error',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
  };
  server = await startServer({ env: shared, sandbox: false, port: 0, host: '127.0.0.1' });

  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp'],
    env: {
      ...shared,
      PATH: process.env.PATH ?? '',
      HOME: '/nonexistent',
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
      ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
      VOD_OPS_MCP_PRINCIPAL: 'alice',
    },
    stderr: 'pipe',
  });
  client = new Client({ name: 'e2e-assistant', version: '1.0.0' });
  await client.connect(transport);
  expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual([
    'cancel_cleanup_campaign',
    'cancel_deletion_request',
    'get_cleanup_campaign',
    'get_deletion_request',
    'list_video_streams',
    'pause_cleanup_campaign',
    'plan_stream_cleanup',
    'request_stream_deletion',
    'resume_cleanup_campaign',
  ]);

  const requested = (await client.callTool({
    name: 'request_stream_deletion',
    arguments: { videoId: DEMO.keynote, jobIds: [DEMO.keynoteStaleHd], reason: 'stale re-transcode' },
  })) as CallToolResult;
  const { requestId, status } = requested.structuredContent as { requestId: string; status: string };
  expect(status).toBe('pending_approval');

  // vod-ops serve finds the assistant's request in the store and posts it for approval.
  const posted = await slack.waitFor(
    (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body).includes(requestId),
    10_000,
  );
  expect(posted.body.channel).toBe(CHANNEL);
  expect(JSON.stringify(posted.body.blocks)).toMatch(/AI assistant.*e2e-assistant.*alice/);

  const click = await postInteraction(
    server.url,
    SECRET,
    blockActionPayload({
      userId: 'U0BOB',
      requestId,
      actionId: ACTION_APPROVE,
      channel: CHANNEL,
      messageTs: approvalMessageTs(slack, requestId),
      responseUrl: slack.responseUrl('c'),
    }),
  );
  expect(click.status).toBe(200);
  await slack.waitFor(
    (c) => c.method === 'chat.update' && /Alibaba RequestId/.test(JSON.stringify(c.body)),
    10_000,
  );

  const deletes = emulator.callsTo('DeleteStream');
  expect(deletes).toHaveLength(1);
  const outcome = (await client.callTool({
    name: 'get_deletion_request',
    arguments: { requestId },
  })) as CallToolResult;
  expect(outcome.structuredContent).toMatchObject({
    status: 'succeeded',
    alibabaRequestId: deletes[0]?.requestId,
  });
});
