import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DeletionRequest } from '../src/core/requests/deletion-request.js';
import type { Store } from '../src/core/store/store.js';
import { aDeletionRequest, aVideoId } from '../test/helpers/builders.js';
import { median, spread } from './stats.js';

/** One query the product makes, timed on a store with `requests` requests. */
export interface QueryFigure {
  query: string;
  /** The product's query, on the schema as migrated: each run's median. */
  nowMs: number[];
  /** The query as 3d42616 made it, on the schema before migration 6 (its indexes dropped): each run's median. */
  beforeMs: number[];
}

export interface StoreQueriesResult {
  store: 'SQLite' | 'PostgreSQL';
  requests: number;
  auditEntries: number;
  figures: QueryFigure[];
}

const T0 = Date.UTC(2026, 0, 1);
const STATUSES = ['succeeded', 'failed', 'rejected', 'expired', 'cancelled'] as const;
/** Migration 6's indexes: dropped for the "before" figures. */
const NEW_INDEXES = [
  'deletion_requests_status_created_at',
  'deletion_requests_video_id_created_at',
  'audit_events_video_id_seq',
  'audit_events_request_id_seq',
  'audit_events_at_seq',
];

/** A request a minute for `count` minutes: 98% decided, 2% pending, over 2,000 videos; two audit entries each. */
function* library(count: number): Generator<{ request: DeletionRequest; decided: boolean }> {
  const videos = Array.from({ length: 2000 }, () => aVideoId());
  for (let i = 0; i < count; i++) {
    const base = aDeletionRequest({
      videoId: videos[i % videos.length] ?? aVideoId(),
      createdAt: T0 + i * 60_000,
    });
    const decided = i % 50 !== 0;
    yield {
      request: decided ? { ...base, status: STATUSES[i % 5] ?? 'expired', version: 2 } : base,
      decided,
    };
  }
}

/**
 * The queries the product makes, timed in `runs` runs of 15 (each run's median) once the store holds `count` requests, against the
 * same queries as 3d42616 made them on the same data without migration 6's indexes: `requests list --status`,
 * the sweeper's and announcer's pending lists, a video's requests, `audit --since` over a quiet window and over a
 * busy one, a request's trail.
 */
export async function benchStoreQueries(
  kind: 'sqlite' | 'postgres',
  count: number,
  databaseUrl: string,
  runs = 3,
): Promise<StoreQueriesResult> {
  const opened = await openSeeded(kind, count, databaseUrl);
  try {
    const { store, raw } = opened;
    const sample = [...library(1)][0]?.request;
    const someVideo = (await store.list({ limit: 1 }))[0]?.videoId ?? sample?.videoId ?? '';
    const someRequest = (await store.list({ statuses: ['succeeded'], limit: 1 }))[0]?.id ?? '';
    const quiet = T0 + (count + 600) * 60_000;
    const busy = T0;
    const queries: Array<[string, string, string, unknown[]]> = [
      [
        'requests list --status succeeded (50)',
        `SELECT data FROM deletion_requests WHERE status IN ($1) ORDER BY created_at DESC, id ASC LIMIT 50`,
        `SELECT data FROM deletion_requests WHERE status IN ($1) ORDER BY created_at DESC, id ASC LIMIT 50`,
        ['succeeded'],
      ],
      [
        'pending requests (sweeper, announcer; 1000)',
        `SELECT data FROM deletion_requests WHERE status IN ($1) ORDER BY created_at DESC, id ASC LIMIT 1000`,
        `SELECT data FROM deletion_requests WHERE status IN ($1) ORDER BY created_at DESC, id ASC LIMIT 1000`,
        ['pending'],
      ],
      [
        "a video's requests (dedupe; 1000)",
        `SELECT data FROM deletion_requests WHERE video_id = $1 ORDER BY created_at DESC, id ASC LIMIT 1000`,
        `SELECT data FROM deletion_requests WHERE video_id = $1 ORDER BY created_at DESC, id ASC LIMIT 1000`,
        [someVideo],
      ],
      [
        'audit --since, a quiet window (1000)',
        `SELECT * FROM audit_events WHERE at >= $1 ORDER BY at DESC, seq DESC LIMIT 1000`,
        `SELECT * FROM audit_events WHERE at >= $1 ORDER BY seq DESC LIMIT 1000`,
        [quiet],
      ],
      [
        'audit --since, a busy window (1000)',
        `SELECT * FROM audit_events WHERE at >= $1 ORDER BY at DESC, seq DESC LIMIT 1000`,
        `SELECT * FROM audit_events WHERE at >= $1 ORDER BY seq DESC LIMIT 1000`,
        [busy],
      ],
      [
        "a request's trail (requests show)",
        `SELECT * FROM audit_events WHERE request_id = $1 ORDER BY seq ASC LIMIT 1000`,
        `SELECT * FROM audit_events WHERE request_id = $1 ORDER BY seq ASC LIMIT 1000`,
        [someRequest],
      ],
    ];
    /** `runs` runs of 15 timings each (after 3 untimed), over every query in turn: each run's median per query. */
    const timeAll = async (sqlOf: (q: (typeof queries)[number]) => string) => {
      const medians = queries.map(() => [] as number[]);
      for (let run = 0; run < runs; run++) {
        for (const [q, query] of queries.entries()) {
          const go = () => raw.query(sqlOf(query), query[3]);
          for (let i = 0; i < 3; i++) await go();
          const samples: number[] = [];
          for (let i = 0; i < 15; i++) {
            const t0 = performance.now();
            await go();
            samples.push(performance.now() - t0);
          }
          medians[q]?.push(median(samples));
        }
      }
      return medians;
    };
    // The "now" SQL is the stores' own (one statement each, see sqlite-store.ts / postgres-store.ts): timed raw like
    // the "before" SQL, so neither side carries the mapping of rows to entries. Checked here against the store.
    const viaStore = await store.listAudit({ since: busy, newest: true, limit: 1000 });
    const viaSql = (await raw.query(queries[4]?.[1] ?? '', [busy])) as Array<{ seq: number | string }>;
    if (viaStore.map((e) => Number(e.seq)).join() !== viaSql.map((r) => Number(r.seq)).join()) {
      throw new Error("bench/store-queries.ts: the audit SQL timed here is no longer the store's; update it");
    }
    const now = await timeAll((q) => q[1]);
    await raw.dropNewIndexes();
    const before = await timeAll((q) => q[2]);
    return {
      store: kind === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      requests: count,
      auditEntries: count * 2,
      figures: queries.map(([query], i) => ({
        query,
        nowMs: now[i] ?? [],
        beforeMs: before[i] ?? [],
      })),
    };
  } finally {
    await opened.close();
  }
}

interface Seeded {
  store: Store;
  raw: { query(sql: string, params: unknown[]): Promise<unknown>; dropNewIndexes(): Promise<void> };
  close(): Promise<void>;
}

/** A migrated store holding `count` requests and their audit entries, written in bulk. */
async function openSeeded(kind: 'sqlite' | 'postgres', count: number, databaseUrl: string): Promise<Seeded> {
  const rows = [...library(count)];
  const entries = rows.flatMap(({ request, decided }) => [
    [request.createdAt, 'created', request],
    ...(decided ? [[request.createdAt + 1, request.status, request] as const] : []),
  ]) as Array<[number, string, DeletionRequest]>;
  if (kind === 'sqlite') {
    const { createSqliteStore } = await import('../src/core/store/sqlite-store.js');
    const path = join(mkdtempSync(join(tmpdir(), 'vod-ops-queries-')), 'vod-ops.db');
    const store = createSqliteStore({ path });
    await store.migrate();
    const db = new Database(path);
    const insertRequest = db.prepare(
      `INSERT INTO deletion_requests (id, status, version, video_id, dedupe_key, created_at, expires_at, updated_at, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertAudit = db.prepare(
      `INSERT INTO audit_events (at, type, request_id, video_id, actor_source, actor_id, actor_name, details)
       VALUES (?, ?, ?, ?, 'slack', 'U0RITA', 'Rita', '{}')`,
    );
    db.transaction(() => {
      for (const { request: r } of rows) {
        insertRequest.run(
          r.id,
          r.status,
          r.version,
          r.videoId,
          r.dedupeKey,
          r.createdAt,
          r.expiresAt,
          r.createdAt,
          JSON.stringify(r),
        );
      }
      for (const [at, type, r] of entries) insertAudit.run(at, type, r.id, r.videoId);
    })();
    db.exec('ANALYZE');
    return {
      store,
      raw: {
        async query(sql, params) {
          return db.prepare(sql.replace(/\$\d+/g, '?')).all(...(params as unknown[]));
        },
        async dropNewIndexes() {
          for (const index of NEW_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index}`);
          db.exec('ANALYZE');
        },
      },
      async close() {
        db.close();
        await store.close();
      },
    };
  }
  const { createPostgresStore } = await import('../src/core/store/postgres-store.js');
  const schema = `vodops_bench_q_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const store = createPostgresStore({ connectionString: url.toString() });
  await store.migrate();
  await admin.query(`SET search_path = ${schema}`);
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000).map(({ request }) => request);
    await admin.query(
      `INSERT INTO deletion_requests (id, status, version, video_id, dedupe_key, created_at, expires_at, updated_at, data)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::jsonb[])`,
      [
        batch.map((r) => r.id),
        batch.map((r) => r.status),
        batch.map((r) => r.version),
        batch.map((r) => r.videoId),
        batch.map((r) => r.dedupeKey),
        batch.map((r) => r.createdAt),
        batch.map((r) => r.expiresAt),
        batch.map((r) => r.createdAt),
        batch.map((r) => JSON.stringify(r)),
      ],
    );
  }
  for (let i = 0; i < entries.length; i += 5000) {
    const batch = entries.slice(i, i + 5000);
    await admin.query(
      `INSERT INTO audit_events (at, type, request_id, video_id, actor_source, actor_id, actor_name, details)
       SELECT at, type, request_id, video_id, 'slack', 'U0RITA', 'Rita', '{}'::jsonb
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS t(at, type, request_id, video_id)`,
      [
        batch.map((e) => e[0]),
        batch.map((e) => e[1]),
        batch.map((e) => e[2].id),
        batch.map((e) => e[2].videoId),
      ],
    );
  }
  await admin.query('ANALYZE');
  return {
    store,
    raw: {
      async query(sql, params) {
        return (await admin.query(sql, params)).rows;
      },
      async dropNewIndexes() {
        for (const index of NEW_INDEXES) await admin.query(`DROP INDEX IF EXISTS ${index}`);
        await admin.query('ANALYZE');
      },
    },
    async close() {
      await store.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

export function storeQueriesMarkdown(results: readonly StoreQueriesResult[]): string {
  const runs = results[0]?.figures[0]?.nowMs.length ?? 0;
  return [
    `| store | query | now (ms), min / median / max of ${runs} runs | before migration 6 (ms) |`,
    '| --- | --- | ---: | ---: |',
    ...results.flatMap((r) =>
      r.figures.map(
        (f) => `| ${r.store} | ${f.query} | **${spread(f.nowMs, 2)}** | ${spread(f.beforeMs, 2)} |`,
      ),
    ),
    '',
    `Each store holds ${results[0]?.requests.toLocaleString('en') ?? 0} requests and ` +
      `${results[0]?.auditEntries.toLocaleString('en') ?? 0} audit entries.`,
  ].join('\n');
}
