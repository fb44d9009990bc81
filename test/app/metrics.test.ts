import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/app/server.js';
import { ACTION_APPROVE } from '../../src/slack/blocks.js';
import { DEMO } from '../helpers/demo.js';
import { approvalMessageTs, type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import { parseSamples, sampleValue } from '../helpers/metrics-text.js';
import { promtool } from '../helpers/promtool.js';
import { blockActionPayload, postInteraction, postSlashCommand } from '../helpers/slack-request.js';

const SECRET = 'slack-signing-secret-for-metrics-tests';
const TOKEN = 'ops-token-0123456789abcdef0123456';
const CHANNEL = 'C0APPROVALS';

let server: RunningServer | undefined;
let slack: FakeSlack | undefined;
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
  await slack?.close();
  slack = undefined;
});

async function start(env: Record<string, string> = {}): Promise<RunningServer> {
  slack = await startFakeSlack();
  server = await startServer({
    env: {
      VOD_OPS_APPROVERS: 'U0BOB',
      VOD_OPS_LOG_LEVEL: 'silent',
      VOD_OPS_MCP_TOKENS: `ops=${TOKEN}`,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      ...env,
    },
    sandbox: true,
    port: 0,
    host: '127.0.0.1',
  });
  return server;
}

async function scrape(url: string): Promise<{ body: string; contentType: string | null }> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  return { body: await response.text(), contentType: response.headers.get('content-type') };
}

describe('GET /metrics on vod-ops serve', () => {
  it('counts a deletion requested and approved in Slack, executed on VOD, and an MCP tool call; promtool accepts it', async () => {
    const { url } = await start();
    const fake = slack!;

    // A request in Slack, approved by a signed click: one DeleteStream, one execution.
    const asked = await postSlashCommand(url, SECRET, {
      text: `delete-stream ${DEMO.keynote} ${DEMO.keynoteLd} stale rendition`,
      user_id: 'U0ALICE',
      channel_id: CHANNEL,
      response_url: fake.responseUrl('cmd'),
    });
    expect(asked.status).toBe(200);
    const posted = await fake.waitFor((c) => c.method === 'chat.postMessage' && !c.body.thread_ts);
    const requestId = JSON.stringify(posted.body.blocks).match(/"value":"(dr-[a-z0-9]+)"/)?.[1];
    expect(requestId).toBeDefined();
    const clicked = await postInteraction(
      url,
      SECRET,
      blockActionPayload({
        userId: 'U0BOB',
        requestId: requestId!,
        actionId: ACTION_APPROVE,
        channel: CHANNEL,
        messageTs: approvalMessageTs(fake, requestId!),
        responseUrl: fake.responseUrl('click'),
      }),
    );
    expect(clicked.status).toBe(200);
    await fake.waitFor((c) => c.method === 'chat.update' && /Alibaba RequestId/.test(JSON.stringify(c.body)));

    // One tool call over /mcp with the SDK's client.
    const client = new Client({ name: 'metrics-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      }),
    );
    clients.push(client);
    const listed = await client.callTool({
      name: 'list_video_streams',
      arguments: { videoId: DEMO.keynote },
    });
    expect(listed.isError).toBeFalsy();
    const refused = await client.callTool({
      name: 'get_deletion_request',
      arguments: { requestId: 'dr-nope' },
    });
    expect(refused.isError).toBe(true);

    const { body, contentType } = await scrape(url);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseSamples(body);
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels);
    const region = { region: 'cn-shanghai' };
    expect(
      value('vodops_vod_calls_total', { ...region, action: 'DeleteStream', outcome: 'ok', code: 'none' }),
    ).toBe(1);
    expect(
      value('vodops_vod_call_duration_seconds_count', { ...region, action: 'DeleteStream', outcome: 'ok' }),
    ).toBe(1);
    // Known in advance, so exported before the first call: an action nobody called yet.
    expect(
      value('vodops_vod_calls_total', { ...region, action: 'SearchMedia', outcome: 'ok', code: 'none' }),
    ).toBe(0);
    expect(value('vodops_vod_throttled_total', { ...region, action: 'DeleteStream' })).toBe(0);
    expect(value('vodops_vod_rate_wait_seconds_count', { ...region, action: 'DeleteStream' })).toBe(1);
    expect(value('vodops_executions_total', { outcome: 'succeeded' })).toBe(1);
    expect(value('vodops_executions_total', { outcome: 'failed' })).toBe(0);
    expect(value('vodops_request_decision_seconds_count', { outcome: 'approved' })).toBe(1);
    expect(value('vodops_request_execution_delay_seconds_count', { outcome: 'succeeded' })).toBe(1);
    expect(value('vodops_deletion_requests', { status: 'succeeded' })).toBe(1);
    expect(value('vodops_deletion_requests', { status: 'pending' })).toBe(0);
    expect(value('vodops_campaigns', { status: 'running' })).toBe(0);
    // The command and the click.
    expect(value('vodops_slack_ack_duration_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(value('vodops_mcp_tool_calls_total', { tool: 'list_video_streams', outcome: 'ok' })).toBe(1);
    expect(value('vodops_mcp_tool_calls_total', { tool: 'get_deletion_request', outcome: 'error' })).toBe(1);
    expect(value('vodops_mcp_tool_call_duration_seconds_count', { tool: 'list_video_streams' })).toBe(1);
    expect(
      value('vodops_store_operation_duration_seconds_count', { operation: 'insert', outcome: 'ok' }),
    ).toBe(1);
    expect(value('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value('nodejs_eventloop_lag_seconds')).toBeDefined();

    // No id of any kind is a label value: not the request's, the video's, a stream's, a user's or a token's.
    for (const id of [requestId!, DEMO.keynote, DEMO.keynoteLd, 'U0ALICE', 'U0BOB', TOKEN]) {
      expect(body).not.toContain(id);
    }
    // Prometheus' own linter: exit 0 and nothing to say (prom-client's misnamed gauges are left out).
    expect(body).not.toMatch(/^nodejs_active_\w+_total/m);
    expect(promtool(['check', 'metrics'], body)).toEqual({ code: 0, output: '' });
  }, 30_000);

  it('counts a failed Slack call by method and Slack’s code', async () => {
    slack = await startFakeSlack({ errors: { 'chat.postMessage': 'not_in_channel' } });
    server = await startServer({
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
    await postSlashCommand(server.url, SECRET, {
      text: `delete-stream ${DEMO.keynote} ${DEMO.keynoteLd} stale`,
      user_id: 'U0ALICE',
      channel_id: CHANNEL,
      response_url: slack.responseUrl('r'),
    });
    // The requester is told after the failed call was logged and counted.
    await slack.waitForResponse((r) => r.id === 'r');
    const samples = parseSamples((await scrape(server.url)).body);
    expect(
      sampleValue(samples, 'vodops_slack_api_errors_total', {
        method: 'chat.postMessage',
        code: 'not_in_channel',
      }),
    ).toBe(1);
  });

  it('is not served with VOD_OPS_METRICS_DISABLED=true', async () => {
    const { url } = await start({ VOD_OPS_METRICS_DISABLED: 'true' });
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
