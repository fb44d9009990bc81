import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/app/server.js';
import { DEMO } from '../helpers/demo.js';

const ALICE = 'alice-token-0123456789abcdef0123';
const BOB = 'bob-token-0123456789abcdef012345';
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

let server: RunningServer;
const clients: Client[] = [];
let monotonic = 0;
const clock = { now: () => Date.now(), monotonic: () => monotonic };

async function start(env: Record<string, string> = {}): Promise<void> {
  await server?.close();
  server = await startServer({
    env: { VOD_OPS_MCP_TOKENS: `alice=${ALICE},bob=${BOB}`, VOD_OPS_LOG_LEVEL: 'error', ...env },
    sandbox: true,
    port: 0,
    host: '127.0.0.1',
    clock,
  });
}
beforeEach(async () => {
  monotonic = 0;
  await start();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server.close();
});

/** A raw POST to /mcp with exactly these headers (fetch would not let a test set Host): initialize by default. */
function post(
  headers: Record<string, string>,
  message: object = INITIALIZE,
): Promise<{ status: number; sessionId?: string }> {
  const url = new URL(`${server.url}/mcp`);
  const body = JSON.stringify(message);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: '/mcp',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const sessionId = res.headers['mcp-session-id'];
          resolve({ status: res.statusCode ?? 0, ...(typeof sessionId === 'string' ? { sessionId } : {}) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'http-test-client', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  clients.push(client);
  return client;
}

describe('MCP over Streamable HTTP in vod-ops serve', () => {
  it('answers 401 without a token or with a wrong one', async () => {
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: 'Bearer not-a-token-of-ours-at-all-xx' })).status).toBe(401);
  });

  it('answers 403 for a foreign Host or Origin, even with a valid token', async () => {
    const auth = { authorization: `Bearer ${ALICE}` };
    expect((await post({ ...auth, host: 'evil.example:80' })).status).toBe(403);
    expect((await post({ ...auth, origin: 'https://evil.example' })).status).toBe(403);
  });

  it('serves the tools to a client with a valid token', async () => {
    const client = await connect(ALICE);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('list_video_streams');
    const result = (await client.callTool({
      name: 'list_video_streams',
      arguments: { videoId: DEMO.keynote },
    })) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ status: 'ok', video: { videoId: DEMO.keynote } });
  });

  it('keeps a session to the token that opened it', async () => {
    const opened = await post({ authorization: `Bearer ${ALICE}` });
    expect(opened.status).toBe(200);
    expect(opened.sessionId).toBeTruthy();
    const stolen = await post({ authorization: `Bearer ${BOB}`, 'mcp-session-id': opened.sessionId ?? '' });
    expect(stolen.status).toBe(403);
  });

  it('refuses deletion requests when no approval path is configured (fail closed)', async () => {
    const client = await connect(BOB);
    const result = (await client.callTool({
      name: 'request_stream_deletion',
      arguments: { videoId: DEMO.keynote, jobIds: [DEMO.keynoteLd], reason: 'x' },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
  });

  it('answers a tool call whose arguments are not an object with invalid params, saying what to send', async () => {
    const client = await connect(ALICE);
    for (const args of ['abc', 42, null, ['x']]) {
      const call = client.request(
        { method: 'tools/call', params: { name: 'list_video_streams', arguments: args as never } },
        CallToolResultSchema,
      );
      await expect(call).rejects.toMatchObject({
        code: -32602,
        message: expect.stringMatching(/"arguments" must be an object of list_video_streams's parameters/),
      });
    }
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });
});

describe('MCP sessions over HTTP are bounded', () => {
  const ping = (sessionId: string | undefined, token = ALICE) =>
    post(
      { authorization: `Bearer ${token}`, 'mcp-session-id': sessionId ?? '' },
      { jsonrpc: '2.0', id: 2, method: 'ping' },
    );

  it('keeps at most so many sessions per token, closing its least recently used for a new one', async () => {
    await start({ VOD_OPS_MCP_SESSIONS_PER_PRINCIPAL: '3' });
    const opened = [];
    for (let i = 0; i < 4; i++) {
      monotonic += 1000;
      opened.push(await post({ authorization: `Bearer ${ALICE}` }));
    }
    expect(opened.map((o) => o.status)).toEqual([200, 200, 200, 200]);
    expect((await ping(opened[0]?.sessionId)).status).toBe(404);
    for (const o of opened.slice(1)) expect((await ping(o.sessionId)).status).toBe(200);
    // A thousand more from the same token still leave three sessions open.
    for (let i = 0; i < 1000; i++) await post({ authorization: `Bearer ${ALICE}` });
    expect((await ping(opened[3]?.sessionId)).status).toBe(404);
  });

  it('refuses new sessions beyond the total, without closing another token’s', async () => {
    await start({ VOD_OPS_MCP_MAX_SESSIONS: '2' });
    const alice = [
      await post({ authorization: `Bearer ${ALICE}` }),
      await post({ authorization: `Bearer ${ALICE}` }),
    ];
    expect((await post({ authorization: `Bearer ${BOB}` })).status).toBe(503);
    for (const o of alice) expect((await ping(o.sessionId)).status).toBe(200);
  });

  it('closes a session left idle, freeing its place', async () => {
    await start({ VOD_OPS_MCP_SESSION_IDLE: '30m', VOD_OPS_MCP_SESSIONS_PER_PRINCIPAL: '1' });
    const first = await post({ authorization: `Bearer ${ALICE}` });
    monotonic += 29 * 60_000;
    expect((await ping(first.sessionId)).status).toBe(200);
    monotonic += 30 * 60_000 + 1;
    expect((await ping(first.sessionId)).status).toBe(404);
  });
});
