import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BACKEND_UNAVAILABLE } from '../../src/app/mcp-stdio.js';
import { DEMO } from '../helpers/demo.js';
import { CLI, captureOutput, cliEnv, runCli, spawnCli } from '../helpers/run-cli.js';

/** The built `vod-ops mcp` over stdio, as a local MCP client starts it. */
interface StdioSession {
  client: Client;
  /** What the client could not read as the protocol: anything else written to stdout would land here. */
  protocolErrors: Error[];
  stderr: () => string;
  /** Resolves when stderr has a line matching `pattern`. */
  stderrLine: (pattern: RegExp) => Promise<void>;
}

let session: StdioSession | undefined;
afterEach(async () => {
  await session?.client.close();
  session = undefined;
});

async function startMcp(args: string[], env: Record<string, string> = {}): Promise<StdioSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    env: cliEnv(env) as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const w of waiters.filter((x) => x.pattern.test(stderr))) w.resolve();
  });
  const client = new Client({ name: 'stdio-test-client', version: '1.0.0' });
  const protocolErrors: Error[] = [];
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  session = {
    client,
    protocolErrors,
    stderr: () => stderr,
    stderrLine: (pattern) =>
      pattern.test(stderr)
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ${pattern} on stderr:\n${stderr}`)), 5000);
            waiters.push({
              pattern,
              resolve: () => {
                clearTimeout(timer);
                resolve();
              },
            });
          }),
  };
  return session;
}

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

it('serves the sandbox over stdio: only the protocol on stdout, logs on stderr', async () => {
  const { client, protocolErrors, stderr, stderrLine } = await startMcp(['--sandbox'], {
    VOD_OPS_LOG_LEVEL: 'info',
  });
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual([
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
  const listed = (await client.callTool({
    name: 'list_video_streams',
    arguments: { videoId: DEMO.keynote },
  })) as CallToolResult;
  expect(listed.isError).toBeFalsy();
  expect(listed.structuredContent).toMatchObject({ status: 'ok', video: { videoId: DEMO.keynote } });
  expect(stderr()).toMatch(/"msg":"vod-ops mcp on stdio: /);
  await stderrLine(/"action":"GetPlayInfo"/);
  expect(protocolErrors).toEqual([]);
});

it('opens the backend after the handshake, before any tool is called', async () => {
  const { stderr, stderrLine } = await startMcp(['--sandbox']);
  // The sandbox says so on stderr when its emulator starts: not before the handshake was answered, then
  // without any tool call.
  expect(stderr()).not.toMatch(/sandbox: an in-process VOD emulator/);
  await stderrLine(/sandbox: an in-process VOD emulator/);
});

it('answers every tool call with what to fix while the store cannot open, and recovers without a restart', async () => {
  // The database's directory cannot be made: a file is in the way.
  const blocker = join(mkdtempSync(join(tmpdir(), 'vod-ops-mcp-store-')), 'data');
  writeFileSync(blocker, 'not a directory');
  const { client, stderr, stderrLine } = await startMcp([], {
    VOD_OPS_DB_PATH: join(blocker, 'vod-ops.db'),
    VOD_ENDPOINT: 'http://127.0.0.1:9',
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAItestkey000001',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test-secret-not-real',
    VOD_OPS_LOG_LEVEL: 'error',
  });
  // The tools are listed at once; the failed warm-up is logged for the operator.
  expect((await client.listTools()).tools).toHaveLength(9);
  await stderrLine(/Could not open the SQLite file .*data.*Tool calls will try again/);

  const get = () =>
    client.callTool({
      name: 'get_deletion_request',
      arguments: { requestId: 'dr-0000000000000' },
    }) as Promise<CallToolResult>;
  const refused = await get();
  expect(refused.isError).toBe(true);
  const body = JSON.parse(text(refused)) as { error: string; message: string; hint: string };
  // The client learns that it failed and where the reason is; the reason (a path here) stays in the log.
  expect(body.error).toBe('CONFIG');
  expect(body.message).toBe(BACKEND_UNAVAILABLE);
  expect(body.hint).toMatch(/operator must fix/);
  expect(text(refused)).not.toMatch(/data|test-secret-not-real|\bat \w+ \(/);

  // Every failed open is logged, the tool call's as well as the warm-up's.
  expect(stderr().match(/could not open its backend/g)).toHaveLength(2);

  rmSync(blocker);
  const afterFix = await get();
  expect(JSON.parse(text(afterFix))).toMatchObject({ error: 'NOT_FOUND' });
});

it('stops at start, before any message, when a setting is wrong', async () => {
  const result = await runCli(['mcp', '--sandbox'], cliEnv({ VOD_OPS_MCP_APPROVAL: 'always' }));
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/VOD_OPS_MCP_APPROVAL/);
  const timeout = await runCli(['mcp'], cliEnv({ VOD_TIMEOUT_MS: 'soon' }));
  expect(timeout.code).toBe(2);
  expect(timeout.stderr).toMatch(/VOD_TIMEOUT_MS/);
  const lease = await runCli(['mcp'], cliEnv({ VOD_OPS_EXECUTION_LEASE_MS: '1000' }));
  expect(lease.code).toBe(2);
  expect(lease.stderr).toMatch(/VOD_OPS_EXECUTION_LEASE_MS=1000 is shorter/);
});

describe('shutdown: the server exits when the client goes, whatever it was doing', () => {
  const INITIALIZE = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  };
  const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };

  /** The built `vod-ops mcp`, spoken to in raw JSON-RPC lines, so the test decides when stdin closes. */
  async function rawSession(args: string[], env: Record<string, string> = {}) {
    const child = spawnCli(['mcp', ...args], cliEnv(env));
    const { stdout, stderr } = captureOutput(child);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const send = (message: object) => child.stdin?.write(`${JSON.stringify(message)}\n`);
    send(INITIALIZE);
    await vi.waitFor(() => expect(stdout()).toContain('"id":1'), { timeout: 5000, interval: 5 });
    /** Resolves with how the process ended; fails the test if it is still running after `ms`. */
    const exit = (ms = 5000) =>
      Promise.race([
        exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`vod-ops mcp still running ${ms} ms later; stderr:\n${stderr()}`));
          }, ms),
        ),
      ]);
    return { child, send, exit, stderr };
  }

  it('exits when stdin closes before the warm-up, without opening the backend', async () => {
    const s = await rawSession(['--sandbox']);
    s.send(INITIALIZED);
    s.child.stdin?.end();
    expect(await s.exit()).toEqual({ code: 0, signal: null });
    expect(s.stderr()).not.toMatch(/sandbox: an in-process VOD emulator/);
  });

  it('starts the warm-up once, however many times the client says it is initialised', async () => {
    const s = await rawSession(['--sandbox']);
    s.send(INITIALIZED);
    s.send(INITIALIZED);
    await new Promise((resolve) => setTimeout(resolve, 50));
    s.child.stdin?.end();
    expect(await s.exit()).toEqual({ code: 0, signal: null });
    expect(s.stderr()).not.toMatch(/sandbox: an in-process VOD emulator/);
  });

  it('ends at once on SIGTERM while it waits, at shutdown, for a database that never answers', async () => {
    // A "database" that accepts connections and never says a word.
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const s = await rawSession([], {
        DATABASE_URL: `postgres://vodops@127.0.0.1:${port}/vodops`,
        VOD_ENDPOINT: 'http://127.0.0.1:9',
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAItestkey000001',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test-secret-not-real',
      });
      s.send(INITIALIZED);
      s.send({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'get_deletion_request', arguments: { requestId: 'dr-0000000000000' } },
      });
      await vi.waitFor(() => expect(sockets.length).toBeGreaterThan(0), { timeout: 5000, interval: 5 });
      s.child.stdin?.end();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(s.child.exitCode).toBeNull();
      s.child.kill('SIGTERM');
      expect(await s.exit()).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
