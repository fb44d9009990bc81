import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { createPostgresStore } from '../../../src/core/store/postgres-store.js';
import { describeAuditDeliveriesContract } from './audit-deliveries.contract.js';
import { describeCampaignStoreContract } from './campaign-store.contract.js';
import { describeDeletionStoreContract } from './deletion-store.contract.js';

const url = process.env.VOD_OPS_TEST_DATABASE_URL ?? '';
if (url === '') {
  console.warn(
    'PostgreSQL store tests SKIPPED: set VOD_OPS_TEST_DATABASE_URL ' +
      '(e.g. postgres://postgres@127.0.0.1:5432/test) to run them.',
  );
}

/** The same database, with a `search_path` naming only `schema`. */
function inSchema(connectionString: string, schema: string): string {
  const withPath = new URL(connectionString);
  withPath.searchParams.set('options', `-c search_path=${schema}`);
  return withPath.toString();
}

describe.skipIf(url === '')('PostgresStore', () => {
  // A schema of its own per run of this file, dropped at the end: runs never see each other's rows.
  const schema = `vodops_test_${randomBytes(6).toString('hex')}`;
  // A second connection, outside any store, for setup and for the raw SQL the contract runs.
  let admin: pg.Client | undefined;
  const connected = (): pg.Client => {
    if (admin === undefined) throw new Error('the admin connection is opened in beforeAll');
    return admin;
  };

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: inSchema(url, schema) });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  describeDeletionStoreContract(
    'PostgresStore',
    async () => createPostgresStore({ connectionString: inSchema(url, schema) }),
    async (sql) => (await connected().query(sql)).rows,
  );

  describeCampaignStoreContract(
    'PostgresStore',
    async () => createPostgresStore({ connectionString: inSchema(url, schema) }),
    async (sql) => (await connected().query(sql)).rows,
  );

  describeAuditDeliveriesContract(
    'PostgresStore',
    async () => createPostgresStore({ connectionString: inSchema(url, schema) }),
    async (sql) => (await connected().query(sql)).rows,
  );
});
