import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../helpers/demo.js';

const run = promisify(execFile);
/** What a fresh clone does not have: installed packages, a build, git's own files, local stores and scratch. */
const LEFT_OUT = new Set(['node_modules', 'dist', '.git', 'data', '.scratch']);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** npm, as a person runs it: none of the npm_* variables `npm test` passes to its children. */
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));

/** What the packed and globally installed `vod-ops` runs with: another folder, an empty HOME, nothing of ours. */
let bin: string;
let installed: string;
let cwd: string;
let env: Record<string, string>;
/** The copy, the pack, the install prefix, the folder and HOME it runs in: removed afterwards (about 140 MB). */
let work: string;

/**
 * One `npm pack` and one `npm install -g` for the whole file. The pack runs in a copy of the checkout without
 * dist/ (as a fresh clone, with its dependencies installed), so `prepack` must build, and the test never rebuilds
 * the dist/ the other test files run. The install compiles better-sqlite3 when its prebuilt binary cannot be
 * downloaded (about 80 s on 2 cores, docs/operations.md), hence the hook's long timeout.
 */
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'vod-ops-install-'));
  const clone = join(work, 'clone');
  cpSync(ROOT, clone, {
    recursive: true,
    filter: (source) => !LEFT_OUT.has(relative(ROOT, source)),
  });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(clone, 'node_modules'));
  const packs = join(work, 'packs');
  mkdirSync(packs);
  await run('npm', ['pack', '--pack-destination', packs], { cwd: clone, env: npmEnv });
  const [tarball] = readdirSync(packs);
  expect(tarball).toBe(`vod-ops-${VERSION}.tgz`);

  const prefix = join(work, 'prefix');
  await run(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      join(packs, tarball ?? ''),
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ],
    { cwd: work, env: npmEnv },
  );
  bin = join(prefix, 'bin', 'vod-ops');
  installed = join(prefix, 'lib', 'node_modules', 'vod-ops');
  cwd = join(work, 'elsewhere');
  mkdirSync(cwd);
  env = {
    PATH: process.env.PATH ?? '',
    HOME: join(work, 'home'),
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
  };
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const vodOps = (args: string[]) => run(bin, args, { cwd, env });

describe('the package, packed and installed globally', () => {
  it('ships what runs it, its licence, README and Slack manifest, and nothing of development', () => {
    expect(readdirSync(installed).sort()).toEqual([
      'LICENSE',
      'README.md',
      'dist',
      'manifest.yml',
      'node_modules',
      'package.json',
    ]);
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(
      /MIT License\s+Copyright \(c\) 2026 the vod-ops authors/,
    );
    expect(existsSync(join(installed, 'dist', 'cli', 'main.js'))).toBe(true);
  });

  it('prints package.json’s version with --version and -v, from any folder', async () => {
    expect((await vodOps(['--version'])).stdout).toBe(`${VERSION}\n`);
    expect((await vodOps(['-v'])).stdout).toBe(`${VERSION}\n`);
  });

  it('runs a sandbox command from another folder', async () => {
    const { stdout } = await vodOps(['streams', '--sandbox', DEMO.keynote, '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ video: { videoId: DEMO.keynote } });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('keeps its store in the user’s data folder, with the native SQLite driver it compiled', async () => {
    const store = join(env.HOME ?? '', '.local', 'share', 'vod-ops', 'vod-ops.db');
    expect((await vodOps(['migrate'])).stdout).toBe(`The store is up to date: ${store}.\n`);
    expect(existsSync(store)).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('serves MCP over stdio to the SDK’s client', async () => {
    const client = new Client({ name: 'install-test-client', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({ command: bin, args: ['mcp', '--sandbox'], env, cwd, stderr: 'pipe' }),
    );
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'vod-ops', version: VERSION });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('list_video_streams');
      const listed = (await client.callTool({
        name: 'list_video_streams',
        arguments: { videoId: DEMO.keynote },
      })) as CallToolResult;
      expect(listed.isError).toBeFalsy();
      expect(listed.structuredContent).toMatchObject({ status: 'ok', video: { videoId: DEMO.keynote } });
    } finally {
      await client.close();
    }
  });
});
