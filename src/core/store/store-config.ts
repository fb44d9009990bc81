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
