import type { DeletionStore } from '../../src/core/store/deletion-store.js';
import { createPostgresStore } from '../../src/core/store/postgres-store.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import { createTestSchema, TEST_DATABASE_URL } from './pg-schema.js';

/** Opens a fresh, empty store, with what removes it once the test is done. */
export type StoreBackend = () => Promise<{ store: DeletionStore; cleanup: () => Promise<void> }>;

/** The stores for `describe.each`: SQLite in memory, and PostgreSQL (a fresh schema) when the test database is set. */
export function storeBackends(): Array<[string, StoreBackend]> {
  const backends: Array<[string, StoreBackend]> = [
    ['SQLite', async () => ({ store: createSqliteStore({ path: ':memory:' }), cleanup: async () => {} })],
  ];
  if (TEST_DATABASE_URL) {
    backends.push([
      'PostgreSQL',
      async () => {
        const schema = await createTestSchema();
        return {
          store: createPostgresStore({ connectionString: schema.connectionString }),
          cleanup: schema.drop,
        };
      },
    ]);
  }
  return backends;
}
