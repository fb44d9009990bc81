import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, expect, it } from 'vitest';
import { DEMO } from '../helpers/demo.js';
import { CLI, cliEnv, runCli } from '../helpers/run-cli.js';

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
    'cancel_deletion_request',
    'get_deletion_request',
    'list_video_streams',
    'request_stream_deletion',
  ]);
  const listed = (await client.callTool({
    name: 'list_video_streams',
    arguments: { videoId: DEMO.keynote },
  })) as CallToolResult;
  expect(listed.isError).toBeFalsy();
  expect(listed.structuredContent).toMatchObject({ status: 'ok', video: { videoId: DEMO.keynote } });
  expect(stderr()).toMatch(/"msg":"vod-ops mcp on stdio"/);
  await stderrLine(/"action":"GetPlayInfo"/);
  expect(protocolErrors).toEqual([]);
});

it('opens the backend after the handshake, before any tool is called', async () => {
  const { stderrLine } = await startMcp(['--sandbox']);
  // The sandbox says so on stderr when its emulator starts; no tool has been called.
  await stderrLine(/sandbox: an in-process VOD emulator/);
});

it('answers every tool call with what to fix while the store cannot open, and recovers without a restart', async () => {
  // The database's directory cannot be made: a file is in the way.
  const blocker = join(mkdtempSync(join(tmpdir(), 'vod-ops-mcp-store-')), 'data');
  writeFileSync(blocker, 'not a directory');
  const { client, stderrLine } = await startMcp([], {
    VOD_OPS_DB_PATH: join(blocker, 'vod-ops.db'),
    VOD_ENDPOINT: 'http://127.0.0.1:9',
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAItestkey000001',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test-secret-not-real',
    VOD_OPS_LOG_LEVEL: 'error',
  });
  // The tools are listed at once; the failed warm-up is logged for the operator.
  expect((await client.listTools()).tools).toHaveLength(4);
  await stderrLine(/Could not open the SQLite file .*data.*Tool calls will try again/);

  const get = () =>
    client.callTool({
      name: 'get_deletion_request',
      arguments: { requestId: 'dr-0000000000000' },
    }) as Promise<CallToolResult>;
  const refused = await get();
  expect(refused.isError).toBe(true);
  const body = JSON.parse(text(refused)) as { error: string; message: string; hint: string };
  expect(body.error).toBe('CONFIG');
  expect(body.message).toMatch(/Could not open the SQLite file .*data/);
  expect(body.hint).toMatch(/operator/);
  expect(text(refused)).not.toMatch(/test-secret-not-real|\bat \w+ \(/);

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
