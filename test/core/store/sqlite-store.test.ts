import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../src/core/store/sqlite-store.js';
import { describeDeletionStoreContract } from './deletion-store.contract.js';

describe('SqliteStore', () => {
  let dir = '';
  let raw: Database.Database | undefined;
  const dbPath = () => join(dir, 'state', 'vod-ops.db');
  /** A second connection to the suite's file, opened once the store has created it. */
  const rawDb = (): Database.Database => {
    raw ??= new Database(dbPath(), { timeout: 5000 });
    return raw;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vod-ops-sqlite-'));
  });
  afterAll(async () => {
    raw?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describeDeletionStoreContract(
    'SqliteStore',
    async () => createSqliteStore({ path: dbPath() }),
    async (sql) => {
      const statement = rawDb().prepare(sql);
      if (statement.reader) return statement.all() as Record<string, unknown>[];
      statement.run();
      return [];
    },
  );

  it('creates the missing directories of its file and uses WAL', async () => {
    const path = join(dir, 'a', 'b', 'c', 'store.db');
    const store = createSqliteStore({ path });
    await store.migrate();
    await store.close();
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('works in memory', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.migrate();
    await store.appendAudit([
      {
        at: 1,
        type: 'direct_deletion',
        actor: { source: 'cli', id: 'ops', displayName: 'ops' },
        videoId: 'v',
        details: {},
      },
    ]);
    expect(await store.listAudit()).toEqual([expect.objectContaining({ seq: 1, videoId: 'v' })]);
    await store.close();
  });
});
