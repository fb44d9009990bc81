import { basename, dirname, join, resolve } from 'node:path';
import type { Env } from '../env.js';
import { AppError } from '../errors.js';

/** Which store to open: PostgreSQL (several replicas share one state) or one SQLite file. */
export type StoreConfig = { kind: 'postgres'; connectionString: string } | { kind: 'sqlite'; path: string };

const DEFAULT_DB_PATH = './data/vod-ops.db';

/** `DATABASE_URL` selects PostgreSQL; otherwise SQLite at `VOD_OPS_DB_PATH` (default ./data/vod-ops.db). */
export function loadStoreConfig(env: Env): StoreConfig {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('CONFIG', 'DATABASE_URL must be a postgres:// or postgresql:// connection string.');
  }
  return databaseUrl
    ? { kind: 'postgres', connectionString: databaseUrl }
    : { kind: 'sqlite', path: env.VOD_OPS_DB_PATH?.trim() || DEFAULT_DB_PATH };
}

/**
 * Where `--sandbox` keeps what it records between commands (the CLI's clean-up campaigns), so that
 * `cleanup plan --sandbox` and then `cleanup show <id> --sandbox` see the same campaign: `VOD_OPS_SANDBOX_DB_PATH`,
 * or `vod-ops-sandbox.db` beside the SQLite store (in ./data/ when the store is PostgreSQL). Never the real store:
 * a path that is the real SQLite file is refused, so no sandbox record ever reaches the real audit trail.
 */
export function loadSandboxStoreConfig(env: Env): { kind: 'sqlite'; path: string } {
  const real = loadStoreConfig(env);
  const realPath = real.kind === 'sqlite' ? real.path : DEFAULT_DB_PATH;
  const path = env.VOD_OPS_SANDBOX_DB_PATH?.trim() || join(dirname(realPath), SANDBOX_DB_FILE);
  if (real.kind === 'sqlite' && resolve(path) === resolve(real.path)) {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_SANDBOX_DB_PATH is the real store (${basename(real.path)}): give the sandbox a file of its own.`,
    );
  }
  return { kind: 'sqlite', path };
}

const SANDBOX_DB_FILE = 'vod-ops-sandbox.db';
