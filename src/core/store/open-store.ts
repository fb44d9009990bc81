import { existsSync } from 'node:fs';
import { AppError, safeErrorText } from '../errors.js';
import type { Store } from './store.js';
import type { StoreConfig } from './store-config.js';

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
      `There is no vod-ops database at ${config.path} yet (nothing has been recorded there). Run from the ` +
        'directory vod-ops runs in, or set VOD_OPS_DB_PATH or DATABASE_URL.',
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
    throw new AppError('CONFIG', `Could not open ${where}: ${safeErrorText(error)}.`, { cause: error });
  }
}
