import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { DEMO_VIDEO_IDS } from '../src/sandbox/index.js';
import { median, percentile, spread, verdict } from './stats.js';

/** A server started over stdio: what a local MCP client runs. */
interface StdioServer {
  label: string;
  args: string[];
  env?: Record<string, string>;
  /**
   * A cheap tool called right after the first `tools/list`, as an assistant's first call would be, and the error
   * code it is expected to answer, if any.
   */
  firstCall: { name: string; arguments: Record<string, unknown>; expectedError?: string };
}

export interface ColdStartSeries {
  label: string;
  /** The tool called first. */
  firstCall: string;
  command: string;
  /** Process start to the answer of `initialize` (the client's connect). */
  initializeMedianMs: number;
  /** Process start to the first `tools/list` answer: the figure compared. */
  medianMs: number;
  p90Ms: number;
  /** Process start to the answer of the first tool call, sent as soon as `tools/list` was answered. */
  firstCallMedianMs: number;
  tools: number;
}

export interface ColdStartResult {
  runs: number;
  vodOps: ColdStartSeries;
  reference: ColdStartSeries;
  /** `vod-ops mcp` without `--sandbox`: a SQLite file store and a (never called) VOD endpoint. */
  vodOpsProduction: ColdStartSeries;
  /** Median over the runs of each run's vod-ops / reference ratio (both measured back to back). */
  ratio: number;
  productionRatio: number;
  /** Median over the runs of each run's vod-ops / reference ratio for the first tool call answered. */
  firstCallRatio: number;
}

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** The reference server's stdio entry, from its package.json `bin`. */
export function referenceEntry(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@modelcontextprotocol/server-everything/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const bin = manifest.bin['mcp-server-everything'];
  if (!bin) throw new Error('@modelcontextprotocol/server-everything has no mcp-server-everything bin');
  return join(dirname(manifestPath), bin);
}

/**
 * Cold start over stdio: from just before the spawn to the first `tools/list` answer, through the SDK's
 * `StdioClientTransport` and `Client` (so the `initialize` handshake is included, as every client does it first).
 * `vod-ops mcp --sandbox` (the built CLI) against the MCP reference server `@modelcontextprotocol/server-everything`
 * (`node dist/index.js stdio`), started the same way with the same environment; each run starts each server once,
 * alternating which goes first. `vod-ops mcp` without `--sandbox` (SQLite file store, VOD endpoint never called)
 * is measured in the same runs, for how much the sandbox's emulator adds.
 */
export async function benchMcpColdStart(runs: number): Promise<ColdStartResult> {
  const home = mkdtempSync(join(tmpdir(), 'vod-ops-bench-mcp-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
    VOD_OPS_LOG_LEVEL: 'warn',
  };
  const vodOps: StdioServer = {
    label: 'vod-ops',
    args: [CLI, 'mcp', '--sandbox'],
    firstCall: { name: 'list_video_streams', arguments: { videoId: DEMO_VIDEO_IDS.keynote } },
  };
  const reference: StdioServer = {
    label: 'reference',
    args: [referenceEntry(), 'stdio'],
    firstCall: { name: 'echo', arguments: { message: 'hello' } },
  };
  const production: StdioServer = {
    label: 'vod-ops (production)',
    args: [CLI, 'mcp'],
    // Reads the store only: the VOD endpoint is never called.
    firstCall: {
      name: 'get_deletion_request',
      arguments: { requestId: 'dr-0000000000000' },
      expectedError: 'NOT_FOUND',
    },
    env: {
      VOD_ENDPOINT: 'http://127.0.0.1:9',
      VOD_OPS_DB_PATH: join(home, 'vod-ops.db'),
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIbenchkey0001',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'bench-secret-7hQ2',
    },
  };
  const servers = [vodOps, reference, production];
  const samples = new Map(servers.map((s) => [s, [] as Sample[]]));
  try {
    // One unmeasured start each: the first spawn of a run pays for the file system cache.
    for (const server of servers) await startOnce(server, env);
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) samples.get(server)!.push(await startOnce(server, env));
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  const series = (server: StdioServer): ColdStartSeries => {
    const xs = samples.get(server)!;
    const totals = xs.map((x) => x.toolsListMs);
    return {
      label: server.label,
      firstCall: server.firstCall.name,
      command: `node ${server.args.map((a) => (a.startsWith('/') ? shorten(a) : a)).join(' ')}`,
      initializeMedianMs: median(xs.map((x) => x.initializeMs)),
      medianMs: median(totals),
      p90Ms: percentile(totals, 90),
      firstCallMedianMs: median(xs.map((x) => x.firstCallMs)),
      tools: xs[0]?.tools ?? 0,
    };
  };
  const ratios = (a: StdioServer, of: (x: Sample) => number = (x) => x.toolsListMs) =>
    samples.get(a)!.map((x, i) => of(x) / of(samples.get(reference)![i]!));
  return {
    runs,
    vodOps: series(vodOps),
    reference: series(reference),
    vodOpsProduction: series(production),
    ratio: median(ratios(vodOps)),
    productionRatio: median(ratios(production)),
    firstCallRatio: median(ratios(vodOps, (x) => x.firstCallMs)),
  };
}

interface Sample {
  initializeMs: number;
  toolsListMs: number;
  firstCallMs: number;
  tools: number;
}

async function startOnce(server: StdioServer, env: Record<string, string>): Promise<Sample> {
  const t0 = performance.now();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: server.args,
    env: { ...env, ...server.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'vod-ops-bench', version: '0.1.0' });
  try {
    await client.connect(transport);
    const initializeMs = performance.now() - t0;
    // A plain request rather than listTools(), which then compiles a validator for every output schema:
    // the client's work, not the server's start-up.
    const { tools } = await client.request({ method: 'tools/list', params: {} }, ListToolsResultSchema);
    const toolsListMs = performance.now() - t0;
    const { name, arguments: args, expectedError } = server.firstCall;
    const result = await client.request(
      { method: 'tools/call', params: { name, arguments: args } },
      CallToolResultSchema,
    );
    const firstCallMs = performance.now() - t0;
    const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
    if (result.isError && !(expectedError && text.includes(expectedError))) {
      throw new Error(`${server.firstCall.name} failed: ${text}`);
    }
    return { initializeMs, toolsListMs, firstCallMs, tools: tools.length };
  } catch (error) {
    throw new Error(`${server.label} did not answer tools/list: ${String(error)}\n${stderr}`);
  } finally {
    await client.close();
  }
}

const shorten = (path: string) => path.replace(`${fileURLToPath(new URL('..', import.meta.url))}`, '');

export function mcpColdStartMarkdown(runs: readonly ColdStartResult[]): string {
  const first = runs[0];
  if (!first) return '';
  const row = (pick: (r: ColdStartResult) => ColdStartSeries) => {
    const series = runs.map(pick);
    const s = series[0]!;
    return (
      `| ${s.label} | \`${s.command}\` | ${s.tools} | ${spread(
        series.map((x) => x.initializeMedianMs),
        1,
      )} | ` +
      `**${spread(
        series.map((x) => x.medianMs),
        1,
      )}** | ${spread(
        series.map((x) => x.p90Ms),
        1,
      )} | ` +
      `\`${s.firstCall}\` ${spread(
        series.map((x) => x.firstCallMedianMs),
        1,
      )} |`
    );
  };
  const ratios = runs.map((r) => r.ratio);
  return [
    `| server | started as | tools | \`initialize\` answered (ms) | first \`tools/list\` answered (ms) | p90 of \`tools/list\` (ms) | first tool call answered (ms) |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    row((r) => r.vodOps),
    row((r) => r.reference),
    row((r) => r.vodOpsProduction),
    '',
    `Every time is from just before the spawn; each cell is min / median / max over ${runs.length} runs of the ` +
      `run's median over ${first.runs} starts. Ratio vod-ops / reference for the first \`tools/list\` (per run, the ` +
      `median of its starts' ratios): **${spread(ratios)}** (target at most 1.0: ${verdict(ratios, (x) => x <= 1)}); ` +
      `without \`--sandbox\`: ${spread(runs.map((r) => r.productionRatio))}. For the first tool call answered ` +
      `(vod-ops' \`list_video_streams\` against the reference's \`echo\`): **${spread(runs.map((r) => r.firstCallRatio))}**.`,
  ].join('\n');
}
