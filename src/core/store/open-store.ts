import { existsSync } from 'node:fs';
import { AppError, safeErrorText } from '../errors.js';
import type { PostgresStore } from './postgres-store.js';
import type { Store } from './store.js';
import type { StoreConfig } from './store-config.js';
import { ROLE_NAME } from './store-grants.js';

/**
 * Opens the configured store and brings its schema up to date: PostgreSQL when `DATABASE_URL` is set (several
 * replicas share one state), SQLite otherwise. A store that cannot be opened is a CONFIG error that says which.
 */
export async function openStore(config: StoreConfig, options: { mustExist?: boolean } = {}): Promise<Store> {
  if (
    options.mustExist &&
    config.kind === 'sqlite' &&
    config.path !== ':memory:' &&
    !existsSync(config.path)
  ) {
    throw new AppError(
      'NOT_FOUND',
      `There is no vod-ops database at ${config.path} yet (nothing has been recorded there). If the store is ` +
        'elsewhere, set VOD_OPS_DB_PATH (or DATABASE_URL).',
    );
  }
  let store: Store | undefined;
  try {
    // Each driver is loaded only when it is the one configured.
    store =
      config.kind === 'postgres'
        ? (await import('./postgres-store.js')).createPostgresStore({
            connectionString: config.connectionString,
          })
        : (await import('./sqlite-store.js')).createSqliteStore({ path: config.path });
    await store.migrate();
    return store;
  } catch (error) {
    await store?.close().catch(() => undefined);
    const where =
      config.kind === 'postgres'
        ? 'the PostgreSQL database in DATABASE_URL'
        : `the SQLite file ${config.path}`;
    // 42501: the role may not change the schema (a runtime role, while migrations are pending).
    const hint =
      (error as { code?: unknown }).code === '42501'
        ? ' Its schema needs migrations this role may not run: run `vod-ops migrate` with the owner of the tables.'
        : '';
    throw new AppError('CONFIG', `Could not open ${where}: ${safeErrorText(error)}.${hint}`, {
      cause: error,
    });
  }
}

/**
 * Brings the store's schema up to date (what every start does), and, for PostgreSQL, grants `grantTo` what the
 * service's own role needs and no more (store-grants.ts): run by the owner of the tables, so that the service, as
 * that role, can neither rewrite the audit trail nor disable the triggers that guard it.
 */
export async function migrateStore(config: StoreConfig, options: { grantTo?: string } = {}): Promise<void> {
  if (options.grantTo !== undefined) {
    if (config.kind !== 'postgres') {
      throw new AppError(
        'INVALID_INPUT',
        '--grant-to names a PostgreSQL role; the store is a SQLite file (set DATABASE_URL for PostgreSQL).',
      );
    }
    if (!ROLE_NAME.test(options.grantTo)) {
      throw new AppError('INVALID_INPUT', `"${options.grantTo}" is not a PostgreSQL role name.`);
    }
  }
  const store = await openStore(config);
  try {
    if (options.grantTo !== undefined) await (store as PostgresStore).grantRuntimeRole(options.grantTo);
  } catch (error) {
    throw new AppError(
      'CONFIG',
      `Could not grant ${options.grantTo} its privileges: ${safeErrorText(error)}.`,
      {
        cause: error,
      },
    );
  } finally {
    await store.close();
  }
}
