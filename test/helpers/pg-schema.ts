import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.VOD_OPS_TEST_DATABASE_URL ?? '';

/** Says once, loudly, that PostgreSQL tests are skipped and how to run them. */
export function warnIfPostgresSkipped(what: string): void {
  if (TEST_DATABASE_URL === '') {
    console.warn(
      `${what} SKIPPED: set VOD_OPS_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them.`,
    );
  }
}

/** The same database, with a `search_path` naming only `schema`. */
export function inSchema(connectionString: string, schema: string): string {
  const withPath = new URL(connectionString);
  withPath.searchParams.set('options', `-c search_path=${schema}`);
  return withPath.toString();
}

export interface TestSchema {
  /** A connection string whose every connection works inside the schema. */
  connectionString: string;
  drop(): Promise<void>;
}

/** A fresh schema in the test database, so runs never see each other's rows. */
export async function createTestSchema(): Promise<TestSchema> {
  const schema = `vodops_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  return {
    connectionString: inSchema(TEST_DATABASE_URL, schema),
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
