import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, spawnCli } from '../helpers/run-cli.js';

/** A fresh HOME and a fresh current folder, with nothing saying where the store is. */
function place(extra: Record<string, string> = {}) {
  const { VOD_OPS_DB_PATH: _, ...env } = cliEnv(extra);
  const cwd = mkdtempSync(join(tmpdir(), 'vod-ops-cwd-'));
  const home = env.HOME as string;
  return { env, cwd, home, dataStore: join(home, '.local', 'share', 'vod-ops', 'vod-ops.db') };
}

/** A store at ./data/vod-ops.db of `cwd`, made the way an older vod-ops made it there. */
async function legacyStore(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const path = join(cwd, 'data', 'vod-ops.db');
  const made = await runCli(['migrate'], { ...env, VOD_OPS_DB_PATH: path }, { cwd });
  expect(made.code).toBe(0);
  return path;
}

describe('where the store is by default', () => {
  it('creates it in HOME/.local/share/vod-ops, not in the current folder', async () => {
    const { env, cwd, dataStore } = place();
    const result = await runCli(['migrate'], env, { cwd });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`The store is up to date: ${dataStore}.\n`);
    expect(existsSync(dataStore)).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('creates nothing for a command that only reads, and says where it looked', async () => {
    const { env, cwd, home, dataStore } = place();
    const result = await runCli(['requests', 'list'], env, { cwd });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`There is no vod-ops database at ${dataStore} yet`);
    expect(readdirSync(home)).toEqual([]);
  });

  it('creates it in XDG_DATA_HOME/vod-ops when XDG_DATA_HOME is absolute, and ignores a relative one', async () => {
    const xdg = mkdtempSync(join(tmpdir(), 'vod-ops-xdg-'));
    const absolute = place({ XDG_DATA_HOME: xdg });
    expect((await runCli(['migrate'], absolute.env, { cwd: absolute.cwd })).stdout).toContain(
      join(xdg, 'vod-ops', 'vod-ops.db'),
    );
    expect(existsSync(join(xdg, 'vod-ops', 'vod-ops.db'))).toBe(true);

    const relative = place({ XDG_DATA_HOME: 'xdg' });
    expect((await runCli(['migrate'], relative.env, { cwd: relative.cwd })).stdout).toContain(
      relative.dataStore,
    );
    expect(readdirSync(relative.cwd)).toEqual([]);
  });

  it('takes VOD_OPS_DB_PATH over the data folder', async () => {
    const { env, cwd, home } = place();
    const path = join(cwd, 'elsewhere', 'audit.db');
    const result = await runCli(['migrate'], { ...env, VOD_OPS_DB_PATH: path }, { cwd });
    expect(result.stdout).toBe(`The store is up to date: ${path}.\n`);
    expect(existsSync(path)).toBe(true);
    expect(existsSync(join(home, '.local'))).toBe(false);
  });

  it('keeps the sandbox’s campaigns beside the store in the data folder', async () => {
    const { env, cwd, home } = place();
    const planned = await runCli(
      ['cleanup', 'plan', '--sandbox', '--stream-status', 'Invisible', '--reason', 'stale', '--json'],
      env,
      { cwd },
    );
    expect(planned.code).toBe(0);
    expect(readdirSync(join(home, '.local', 'share', 'vod-ops'))).toEqual(['vod-ops-sandbox.db']);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('a store left in ./data/ by an older vod-ops', () => {
  it('is used while the data folder has none, with a warning saying how to move it, which works', async () => {
    const { env, cwd, dataStore } = place();
    const legacy = await legacyStore(cwd, env);

    const migrated = await runCli(['migrate'], env, { cwd });
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toBe(`The store is up to date: ${legacy}.\n`);
    const folder = join(dataStore, '..');
    const move = `mkdir -p ${folder} && mv ${legacy}* ${folder}/`;
    expect(migrated.stderr).toContain(`warning: Using the store in ${legacy}`);
    expect(migrated.stderr).toContain(move);
    expect(migrated.stderr).toContain(`VOD_OPS_DB_PATH=${legacy}`);
    expect(existsSync(dataStore)).toBe(false);

    // A command on the store warns once, through the log.
    const audit = await runCli(['audit', '--json'], env, { cwd });
    expect(audit.code).toBe(0);
    const warnings = audit.stderr.split('\n').filter((line) => line.includes('older vod-ops'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '')).toMatchObject({ level: 40, store: legacy });

    // The advice, followed as given: the store moves, and is then used from the data folder, without a warning.
    execFileSync('sh', ['-c', move], { cwd });
    expect(existsSync(dataStore)).toBe(true);
    const after = await runCli(['migrate'], env, { cwd });
    expect(after).toMatchObject({ code: 0, stderr: '', stdout: `The store is up to date: ${dataStore}.\n` });
  });

  it('is not used once the data folder has a store, and the warning says so', async () => {
    const { env, cwd, dataStore } = place();
    const legacy = await legacyStore(cwd, env);
    mkdirSync(join(dataStore, '..'), { recursive: true });
    await runCli(['migrate'], { ...env, VOD_OPS_DB_PATH: dataStore }, { cwd });

    const migrated = await runCli(['migrate'], env, { cwd });
    expect(migrated.stdout).toBe(`The store is up to date: ${dataStore}.\n`);
    expect(migrated.stderr).toContain(`${legacy}, where an older vod-ops kept it, exists and is not used`);
  });

  it('is not looked for when VOD_OPS_DB_PATH says where the store is', async () => {
    const { env, cwd } = place();
    await legacyStore(cwd, env);
    const path = join(cwd, 'chosen.db');
    const migrated = await runCli(['migrate'], { ...env, VOD_OPS_DB_PATH: path }, { cwd });
    expect(migrated).toMatchObject({ code: 0, stderr: '', stdout: `The store is up to date: ${path}.\n` });
  });
});

describe('vod-ops serve', () => {
  it('says where its store is when it starts', async () => {
    const { env, cwd, dataStore } = place({
      VOD_ENDPOINT: 'http://127.0.0.1:9',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAItestkey000001',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test-secret-not-real',
    });
    const child = spawnCli(['serve', '--port', '0'], env, { cwd });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', () => {
        if (stderr.includes('Ctrl-C to stop')) resolve();
      });
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    child.kill('SIGTERM');
    await exited;
    expect(stderr).toMatch(
      new RegExp(`vod-ops serving on http://\\S+ with the store at ${dataStore}; Ctrl-C`),
    );
    const serving = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; storeLocation?: string })
      .find((line) => line.msg === 'vod-ops serving');
    expect(serving?.storeLocation).toBe(dataStore);
  });
});
