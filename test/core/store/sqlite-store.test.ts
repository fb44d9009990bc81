import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newCampaign } from '../../../src/core/campaigns/campaign-lifecycle.js';
import { parseSelectionRule } from '../../../src/core/campaigns/selection-rule.js';
import { createSqliteStore } from '../../../src/core/store/sqlite-store.js';
import { aDeletionRequest } from '../../helpers/builders.js';
import { describeAuditDeliveriesContract } from './audit-deliveries.contract.js';
import { describeCampaignStoreContract } from './campaign-store.contract.js';
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

  describeCampaignStoreContract(
    'SqliteStore',
    async () => createSqliteStore({ path: dbPath() }),
    async (sql) => {
      const statement = rawDb().prepare(sql);
      if (statement.reader) return statement.all() as Record<string, unknown>[];
      statement.run();
      return [];
    },
  );

  describeAuditDeliveriesContract(
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

  it('opens a file another process holds locked, once the lock is released, in WAL mode', async () => {
    const path = join(dir, 'locked', 'store.db');
    createSqliteStore({ path, checkpoints: false }).close();
    rmSync(path);
    // Another process creates the file and holds an exclusive lock on it for a moment, as a replica starting at
    // the same time does while it creates the schema; switching to WAL needs the file to itself.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(path)});
         db.exec('BEGIN EXCLUSIVE; CREATE TABLE t (x)'); process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await once(holder.stdout!, 'data');
    const store = createSqliteStore({ path, checkpoints: false });
    await store.migrate();
    await store.close();
    await once(holder, 'exit');
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses REPLACE of a campaign or of an item, which would rewrite what was planned', async () => {
    const store = createSqliteStore({ path: dbPath() });
    await store.migrate();
    const campaign = newCampaign({
      id: 'cp-replacetest01',
      rule: parseSelectionRule({ streams: { status: ['Invisible'] } }, Date.UTC(2026, 0, 1)),
      reason: 'test',
      requester: { source: 'cli', id: 'rita', displayName: 'rita' },
      requiredApprovals: 1,
      owner: 'host:1',
      leaseMs: 60_000,
      now: Date.UTC(2026, 0, 1),
    }).campaign;
    await store.insertCampaign(campaign, []);
    const item = `'${campaign.id}', 1, '${'a'.repeat(32)}', '${'b'.repeat(32)}', 5, 'pending', '{"streams":[]}'`;
    rawDb().exec(
      `INSERT INTO campaign_items (campaign_id, seq, video_id, job_ids, bytes, status, data) VALUES (${item})`,
    );
    const other = item.replace('b'.repeat(32), 'c'.repeat(32));
    expect(() =>
      rawDb().exec(
        `INSERT OR REPLACE INTO campaign_items (campaign_id, seq, video_id, job_ids, bytes, status, data) VALUES (${other})`,
      ),
    ).toThrow(/REPLACE refused/);
    expect(() =>
      rawDb().exec(
        `REPLACE INTO campaigns (id, status, version, created_at, updated_at, data) VALUES ('${campaign.id}', 'planning', 1, 0, 0, '{}')`,
      ),
    ).toThrow(/never replaced/);
    expect((await store.listItems(campaign.id))[0]?.jobIds).toEqual(['b'.repeat(32)]);
    await store.close();
  });

  describe('checkpoints off the event loop', () => {
    /** Writes some 250 pages of WAL: far from the 1000 pages at which SQLite checkpoints by itself. */
    const writeSome = async (store: ReturnType<typeof createSqliteStore>) => {
      for (let i = 0; i < 20; i++) {
        const request = aDeletionRequest({ reason: `clean-up ${i} ${'x'.repeat(3000)}` });
        const { id: requestId, videoId, requester: actor, createdAt: at } = request;
        await store.insert(request, [{ at, type: 'created', actor, requestId, videoId, details: {} }]);
      }
    };

    it('once a process has been writing, a worker thread copies the WAL into the file', async () => {
      const path = join(dir, 'checkpointed.db');
      const store = createSqliteStore({ path, checkpoints: { startAfterMs: 20, intervalMs: 20 } });
      await store.migrate();
      const before = statSync(path).size;
      await writeSome(store);
      // Without a checkpoint the new pages are only in the WAL: the file itself grows when one has run.
      await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 50_000), {
        timeout: 5000,
      });
      // And the store is as usable as ever, its writes and reads unaffected.
      expect((await store.list({ limit: 1000 })).length).toBe(20);
      await store.close();
    });

    it('without it, the same writes stay in the WAL (what the test above tells apart)', async () => {
      const path = join(dir, 'not-checkpointed.db');
      const store = createSqliteStore({ path, checkpoints: false });
      await store.migrate();
      const before = statSync(path).size;
      await writeSome(store);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(statSync(path).size).toBe(before);
      await store.close();
    });

    it('a process that stops before it has been writing for a while starts no thread', async () => {
      const path = join(dir, 'one-shot.db');
      const store = createSqliteStore({ path, checkpoints: { startAfterMs: 60_000, intervalMs: 20 } });
      await store.migrate();
      const before = statSync(path).size;
      await writeSome(store);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(statSync(path).size).toBe(before);
      // Closing is immediate: there is no thread to stop, and SQLite checkpoints as the last connection closes.
      await store.close();
      expect(statSync(path).size).toBeGreaterThan(before + 50_000);
    });
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
