import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { assembleCore, PRINCIPAL_SOURCES } from '../../src/app/runtime.js';
import type { Clock } from '../../src/core/clock.js';
import { createAllowlistApprovers } from '../../src/core/requests/approvers.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import { createVodRegions } from '../../src/core/vod/vod-regions.js';
import { createRequestRateLimit } from '../../src/mcp/rate-limit.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createDemoCatalogue } from '../../src/sandbox/index.js';
import { DEMO } from '../helpers/demo.js';
import { startVodFixture } from '../helpers/vod-fixture.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** The MCP server on a core serving two regions (Shanghai: keynote; Singapore: teaser), through the SDK client. */
async function connect() {
  const demo = createDemoCatalogue();
  const only = (...ids: string[]) => demo.filter((v) => ids.includes(v.videoId));
  const shanghai = await startVodFixture({ emulator: { catalogue: only(DEMO.keynote) } });
  const singapore = await startVodFixture({ emulator: { catalogue: only(DEMO.teaser) } });
  const vod = createVodRegions([
    ['cn-shanghai', shanghai.vod],
    ['ap-southeast-1', singapore.vod],
  ]);
  const store = createSqliteStore({ path: ':memory:' });
  await store.migrate();
  const clock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
  const { workflow, directDeletion, campaigns } = assembleCore({
    store,
    vod,
    approvers: createAllowlistApprovers(['U0BOB'], PRINCIPAL_SOURCES),
    settings: { requiredApprovals: 1, ttlMs: 86_400_000, leaseMs: 60_000 },
    clock,
    logger: shanghai.logger,
    instanceId: 'mcp-regions-test',
  });
  const server = createMcpServer({
    backend: async () => ({ workflow, directDeletion, campaigns, vod }),
    logger: shanghai.logger,
    clock,
    principal: { source: 'mcp', id: 'alice', displayName: 'alice' },
    approval: 'slack',
    rateLimit: createRequestRateLimit(100, () => Date.now()),
    readOnly: false,
    sandbox: false,
    version: '0.0.0-test',
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'regions-test-client', version: '1.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  close = async () => {
    await client.close();
    await workflow.idle();
    await store.close();
    await shanghai.close();
    await singapore.close();
  };
  return { client, workflow, store, shanghai, singapore };
}

const call = (client: Client, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

/** The message of a tool's error result (a JSON document with `error` and `message`). */
const textOf = (result: CallToolResult) =>
  String(
    (
      JSON.parse(result.content.map((part) => (part.type === 'text' ? part.text : '')).join('')) as {
        message: string;
      }
    ).message,
  );

describe('MCP tools on a deployment serving two regions', () => {
  it('lists a video’s streams from the region that holds it, and says which', async () => {
    const { client } = await connect();
    const result = await call(client, 'list_video_streams', { videoId: DEMO.teaser });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      region: 'ap-southeast-1',
      video: { videoId: DEMO.teaser },
    });
  });

  it('records a request in the video’s region, shows it, and executes it there once approved', async () => {
    const { client, workflow, shanghai, singapore } = await connect();
    const result = await call(client, 'request_stream_deletion', {
      videoId: DEMO.teaser,
      jobIds: [DEMO.teaserOnly],
      reason: 'retired teaser',
    });
    expect(result.structuredContent).toMatchObject({ status: 'pending_approval', region: 'ap-southeast-1' });
    const requestId = String((result.structuredContent as { requestId: string }).requestId);

    const voted = await workflow.vote(
      requestId,
      { source: 'slack', id: 'U0BOB', displayName: 'bob' },
      'approve',
    );
    expect(voted.ok && (await voted.execution)?.status).toBe('succeeded');
    expect(singapore.emulator.callsTo('DeleteStream').map((c) => c.params.VideoId)).toEqual([DEMO.teaser]);
    expect(shanghai.emulator.callsTo('DeleteStream')).toHaveLength(0);

    const got = await call(client, 'get_deletion_request', { requestId });
    expect(got.structuredContent).toMatchObject({ status: 'succeeded', region: 'ap-southeast-1' });
  });

  it('refuses an unknown video and a region it does not serve, requesting nothing', async () => {
    const { client, store } = await connect();
    const unknown = await call(client, 'request_stream_deletion', {
      videoId: DEMO.missing,
      jobIds: [DEMO.keynoteLd],
      reason: 'gone',
    });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/not found in any region vod-ops serves \(cn-shanghai, ap-southeast-1\)/);
    const elsewhere = await call(client, 'list_video_streams', {
      videoId: DEMO.keynote,
      region: 'eu-central-1',
    });
    expect(elsewhere.isError).toBe(true);
    expect(textOf(elsewhere)).toMatch(
      /does not serve region "eu-central-1": use one of cn-shanghai, ap-southeast-1/,
    );
    const malformed = await call(client, 'list_video_streams', {
      videoId: DEMO.keynote,
      region: 'EU Central',
    });
    expect(malformed.isError).toBe(true);
    expect(await store.list({ limit: 10 })).toHaveLength(0);
  });
});
