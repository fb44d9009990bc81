import { readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';

/**
 * Builds the `vod-ops` executable: src/cli/main.ts bundled into dist/cli, one file for what every command loads
 * and one chunk per lazily loaded part (a command's action, the runtime, the Slack server). A bundle loads as a
 * handful of files instead of hundreds of modules, which is most of a CLI's start-up: `vod-ops mcp` answers its
 * first `tools/list` in about two thirds of the time of the MCP reference server (docs/benchmarks.md).
 *
 * Kept outside the bundle, resolved from node_modules at run time: packages with native code (better-sqlite3),
 * optional native peers (pg) or run-time file lookups (Bolt, Express, Alibaba's engine). Each is loaded only when
 * needed: Alibaba's engine with the first command that calls VOD, a store's driver when that store opens, Bolt and
 * Express by `serve`. None of them is on the path of the MCP server's start-up.
 */
export const EXTERNAL = [
  'better-sqlite3',
  'pg',
  '@alicloud/credentials',
  '@alicloud/openapi-core',
  '@darabonba/typescript',
  '@slack/bolt',
  'express',
];

const root = new URL('..', import.meta.url);
const manifest = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));
for (const name of EXTERNAL) {
  if (!manifest.dependencies[name]) throw new Error(`${name} is external to the bundle but not a dependency`);
}

await rm(new URL('dist', root), { recursive: true, force: true });
await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/cli',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Maps give stack traces their file and line; the package ships no sources, so the maps carry none either.
  sourcesContent: false,
  external: EXTERNAL,
  // The version is package.json's, embedded: an installed CLI reads no file to know it (src/app/version.ts).
  define: { VOD_OPS_BUILD_VERSION: JSON.stringify(manifest.version) },
  // Bundled CommonJS packages (pino, ajv, commander) call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __vodOpsCreateRequire } from 'node:module'; const require = __vodOpsCreateRequire(import.meta.url);",
  },
  legalComments: 'linked',
  logLevel: 'warning',
});
