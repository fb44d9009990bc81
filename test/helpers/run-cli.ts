import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment a CLI child gets: no credential chain probing, nothing inherited that could reach Alibaba,
 * a fresh empty HOME (no credential files, and no test ever writes in the real user's data folder), and a fresh
 * SQLite file of its own for the audit trail.
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'vod-ops-cli-'));
  return {
    PATH: process.env.PATH,
    HOME: home,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
    VOD_OPS_DB_PATH: join(home, 'vod-ops.db'),
    ...extra,
  };
}

/** Where the child runs: the test process's folder unless `cwd` says otherwise. */
export interface CliSpawnOptions {
  cwd?: string;
}

export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: CliSpawnOptions = {},
): ChildProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it).`);
  return spawn(process.execPath, [CLI, ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
}

/** Everything a child has written so far to stdout and stderr. */
export function captureOutput(child: ChildProcess): { stdout(): string; stderr(): string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return { stdout: () => stdout, stderr: () => stderr };
}

/** Runs the built `vod-ops` CLI to completion with stdin closed (not a terminal). */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: CliSpawnOptions = {},
): Promise<CliResult> {
  const child = spawnCli(args, env, options);
  child.stdin?.end();
  const output = captureOutput(child);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: output.stdout(), stderr: output.stderr() }));
  });
}
