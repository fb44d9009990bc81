import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
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

  it.each([
    ['INSERT OR REPLACE', 'INSERT OR REPLACE INTO'],
    ['REPLACE INTO', 'REPLACE INTO'],
    ['REPLACE with recursive triggers on', 'REPLACE INTO'],
  ])('refuses %s on an audit event, so no entry can be rewritten', async (name, verb) => {
    const path = join(dir, `replace-${name.replaceAll(' ', '-')}.db`);
    const store = createSqliteStore({ path });
    await store.migrate();
    const entry = {
      at: 1,
      type: 'direct_deletion' as const,
      actor: { source: 'cli', id: 'ops', displayName: 'ops' },
      videoId: 'v',
      details: { outcome: 'succeeded' },
    };
    await store.appendAudit([entry]);
    const attacker = new Database(path);
    if (name.includes('recursive')) attacker.pragma('recursive_triggers = ON');
    expect(() =>
      attacker
        .prepare(
          `${verb} audit_events (seq, at, type, video_id, actor_source, actor_id, actor_name, details)
           VALUES (1, 2, 'vote', 'v', 'cli', 'mallory', 'mallory', '{}')`,
        )
        .run(),
    ).toThrow(/append-only/);
    attacker.close();
    expect(await store.listAudit()).toEqual([{ ...entry, seq: 1 }]);
    await store.close();
  });

  it.each([0o000, 0o022])(
    'keeps its file, WAL files and new folders private whatever the umask (%o)',
    async (umask) => {
      const previous = process.umask(umask);
      try {
        const path = join(dir, `private-${umask}`, 'nested', 'vod-ops.db');
        const store = createSqliteStore({ path });
        await store.migrate();
        await store.appendAudit([
          {
            at: 1,
            type: 'direct_deletion',
            actor: { source: 'cli', id: 'o', displayName: 'o' },
            videoId: 'v',
            details: {},
          },
        ]);
        const mode = (p: string) => statSync(p).mode & 0o777;
        expect(mode(path)).toBe(0o600);
        expect(mode(`${path}-wal`)).toBe(0o600);
        expect(mode(`${path}-shm`)).toBe(0o600);
        expect(mode(join(dir, `private-${umask}`, 'nested'))).toBe(0o700);
        expect(mode(join(dir, `private-${umask}`))).toBe(0o700);
        await store.close();
      } finally {
        process.umask(previous);
      }
    },
  );

  it('tightens an existing database file it opens', async () => {
    const path = join(dir, 'loose.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    const store = createSqliteStore({ path });
    await store.migrate();
    await store.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

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
