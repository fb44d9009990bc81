import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/core/store/open-store.js';
import { aDeletionRequest } from '../../helpers/builders.js';
import { TEST_DATABASE_URL, warnIfPostgresSkipped } from '../../helpers/pg-schema.js';
import { cliEnv, runCli } from '../../helpers/run-cli.js';

warnIfPostgresSkipped('PostgreSQL runtime-role tests');

/**
 * The tables belong to one role, which runs the migrations (`vod-ops migrate --grant-to`); the service connects as
 * another, which may read and append the audit trail but neither rewrite it nor switch its triggers off.
 */
describe.skipIf(TEST_DATABASE_URL === '')(
  'a PostgreSQL runtime role that cannot rewrite the audit trail',
  () => {
    const suffix = randomBytes(5).toString('hex');
    const owner = `vodops_owner_${suffix}`;
    const runtime = `vodops_app_${suffix}`;
    const schema = `vodops_roles_${suffix}`;
    const as = (role: string) => {
      const url = new URL(TEST_DATABASE_URL);
      url.username = role;
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    };
    let admin: pg.Client;
    let attacker: pg.Client;

    beforeAll(async () => {
      admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE ROLE ${owner} LOGIN`);
      await admin.query(`CREATE ROLE ${runtime} LOGIN`);
      await admin.query(`CREATE SCHEMA ${schema} AUTHORIZATION ${owner}`);
      const migrated = await runCli(['migrate', '--grant-to', runtime], cliEnv({ DATABASE_URL: as(owner) }));
      expect(migrated.stderr).toBe('');
      expect(migrated.stdout).toMatch(/The store is up to date.*\n.*Granted vodops_app_/);
      expect(migrated.code).toBe(0);
      attacker = new pg.Client({ connectionString: as(runtime) });
      await attacker.connect();
    });
    afterAll(async () => {
      await attacker?.end();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.query(`DROP OWNED BY ${runtime}, ${owner}`);
      await admin.query(`DROP ROLE IF EXISTS ${runtime}`);
      await admin.query(`DROP ROLE IF EXISTS ${owner}`);
      await admin.end();
    });

    it('runs the service as that role: requests, decisions, the trail and the rate budget all work', async () => {
      const store = await openStore({ kind: 'postgres', connectionString: as(runtime) });
      try {
        const request = aDeletionRequest();
        const created = {
          at: 1,
          type: 'created' as const,
          actor: request.requester,
          requestId: request.id,
          videoId: request.videoId,
          details: {},
        };
        expect(await store.insert(request, [created])).toEqual({ inserted: true });
        expect(await store.transition({ ...request, status: 'cancelled', version: 2 }, 1, [])).toBe(true);
        expect(await store.listAudit({ requestId: request.id })).toHaveLength(1);
        expect(typeof (await store.reserve('DeleteStream@test', 20))).toBe('number');
      } finally {
        await store.close();
      }
    });

    it.each([
      ['UPDATE', 'UPDATE audit_events SET actor_id = $$mallory$$', /permission denied/],
      ['DELETE', 'DELETE FROM audit_events', /permission denied/],
      ['TRUNCATE', 'TRUNCATE audit_events', /permission denied/],
      [
        'an upsert',
        `INSERT INTO audit_events (seq, at, type, video_id, actor_source, actor_id, actor_name, details)
       VALUES (1, 1, 'vote', 'v', 'slack', 'mallory', 'mallory', '{}') ON CONFLICT (seq) DO UPDATE SET actor_id = 'mallory'`,
        /permission denied/,
      ],
      ['switching its triggers off', 'ALTER TABLE audit_events DISABLE TRIGGER ALL', /must be owner/],
      [
        'dropping a trigger',
        'DROP TRIGGER audit_events_no_update_or_delete ON audit_events',
        /must be owner/,
      ],
      ['skipping every trigger', 'SET session_replication_role = replica', /permission denied/],
    ])('refuses %s of the audit trail to that role', async (_name, sql, refusal) => {
      await expect(attacker.query(sql)).rejects.toThrow(refusal);
      const [{ count }] = (await admin.query(`SELECT count(*)::int AS count FROM ${schema}.audit_events`))
        .rows;
      expect(count).toBe(1);
    });

    it('stops a service on that role with pending migrations, saying who must run them', async () => {
      await admin.query(`DELETE FROM ${schema}.schema_migrations WHERE version = 4`);
      try {
        await expect(openStore({ kind: 'postgres', connectionString: as(runtime) })).rejects.toThrow(
          /run `vod-ops migrate` with the owner of the tables/,
        );
      } finally {
        await admin.query(
          `INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES (4, 'restored', 0)`,
        );
      }
    });
  },
);
