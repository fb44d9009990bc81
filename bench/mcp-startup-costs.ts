import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { referenceEntry } from './mcp-cold-start.js';
import { spread } from './stats.js';

export interface StartupCost {
  what: string;
  command: string;
  /** One time per spawn, spawn to exit. */
  samplesMs: number[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const IMPORT_ALL = 'for (const m of process.argv.slice(1)) await import(m);';

/**
 * Where `vod-ops mcp`'s start-up goes: fresh Node processes, each timed from spawn to exit, that import one
 * module graph and do nothing else (no server started), beside Node alone and the reference server's graph.
 * Rounds go through every row in turn, so all rows see the same machine state.
 */
export async function measureMcpStartupCosts(runs: number): Promise<StartupCost[]> {
  const imports = (...specifiers: string[]) => ['--input-type=module', '-e', IMPORT_ALL, ...specifiers];
  const rows: Array<{ what: string; command: string; args: string[] }> = [
    { what: 'Node alone', command: "node -e ''", args: ['-e', ''] },
    {
      what: 'the vod-ops entry, bundled: commander and every command’s definition (no command run)',
      command: 'node dist/cli/main.js --version',
      args: [join(ROOT, 'dist/cli/main.js'), '--version'],
    },
    {
      what: 'the MCP SDK server and stdio transport as separate modules (both servers use them; vod-ops bundles them)',
      command: 'import @modelcontextprotocol/sdk/server/{mcp,stdio}.js',
      args: imports('@modelcontextprotocol/sdk/server/mcp.js', '@modelcontextprotocol/sdk/server/stdio.js'),
    },
    {
      what: 'the reference server’s graph',
      command: 'import server-everything dist/server/index.js + SDK stdio',
      args: imports(
        pathToFileURL(join(dirname(referenceEntry()), 'server/index.js')).href,
        '@modelcontextprotocol/sdk/server/stdio.js',
      ),
    },
    {
      what: 'Alibaba’s engine, which `vod-ops mcp` loads after the handshake',
      command: 'import @alicloud/openapi-core @alicloud/credentials',
      args: imports('@alicloud/openapi-core', '@alicloud/credentials'),
    },
    {
      what: 'the SQLite driver, which `vod-ops mcp` loads after the handshake',
      command: 'import better-sqlite3',
      args: imports('better-sqlite3'),
    },
  ];
  const samples = rows.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [r, row] of rows.entries()) samples[r]!.push(await timeProcess(row.args));
  }
  return rows.map((row, r) => ({ what: row.what, command: row.command, samplesMs: samples[r]! }));
}

async function timeProcess(args: string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited with ${code}: ${stderr}`);
  return ms;
}

export function mcpStartupCostsMarkdown(costs: readonly StartupCost[]): string {
  return [
    `| what | fresh process, spawn to exit (ms), min / median / max of ${costs[0]?.samplesMs.length ?? 0} |`,
    '| --- | ---: |',
    ...costs.map((c) => `| ${c.what}: \`${c.command}\` | ${spread(c.samplesMs, 1)} |`),
  ].join('\n');
}
