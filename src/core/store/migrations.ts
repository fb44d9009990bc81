/**
 * The schema of the deletion store, as ordered, numbered migrations: one logical change per entry, written
 * once per dialect so `SqliteStore` and `PostgresStore` always agree on what version N means. Each adapter's
 * `migrate()` applies, in one transaction holding a lock, every migration whose version is missing from
 * `schema_migrations`, and records it there. Never edit a released migration: append a new one.
 *
 * What the database itself guarantees, whatever code talks to it:
 * - at most one `pending` request per `dedupe_key` (a partial unique index);
 * - `audit_events` is append-only (triggers refuse UPDATE and DELETE, REPLACE in SQLite, TRUNCATE in PostgreSQL;
 *   in PostgreSQL the service can run as a role that may only SELECT and INSERT it: see `store-grants.ts`);
 * - a campaign's items are added only while it plans, and what an item deletes never changes (migration 7).
 */
export interface StoreMigration {
  /** 1, 2, 3...: applied in this order, recorded in `schema_migrations.version`. */
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

/** Creates the bookkeeping table; run under the migration lock, before reading which versions are applied. */
export const SCHEMA_MIGRATIONS_DDL = {
  sqlite: `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT;`,
  postgres: `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at bigint NOT NULL
);`,
} as const;

/** The database's clock as epoch ms, for bookkeeping columns only (the workflow's times live in `data`). */
export const NOW_MS_SQL = {
  sqlite: `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`,
  postgres: `floor(extract(epoch from clock_timestamp()) * 1000)::bigint`,
} as const;

/** The database's clock as fractional epoch ms, for the rate ledger's slots (SQLite: to the millisecond). */
export const NOW_MS_REAL_SQL = `((julianday('now') - 2440587.5) * 86400000.0)`;

/** Name of the partial unique index an adapter's insert names as its conflict target. */
export const PENDING_DEDUPE_INDEX = 'deletion_requests_pending_dedupe_key';

export const STORE_MIGRATIONS: readonly StoreMigration[] = [
  {
    version: 1,
    name: 'deletion requests and the append-only audit trail',
    sqlite: `
CREATE TABLE deletion_requests (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  version INTEGER NOT NULL,
  video_id TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data))
) STRICT;
CREATE UNIQUE INDEX ${PENDING_DEDUPE_INDEX} ON deletion_requests (dedupe_key) WHERE status = 'pending';
CREATE INDEX deletion_requests_status_expires_at ON deletion_requests (status, expires_at);
CREATE INDEX deletion_requests_video_id ON deletion_requests (video_id);
CREATE INDEX deletion_requests_created_at ON deletion_requests (created_at);

CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  request_id TEXT,
  video_id TEXT NOT NULL,
  actor_source TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  actor_client TEXT,
  details TEXT NOT NULL CHECK (json_valid(details))
) STRICT;
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_video_id ON audit_events (video_id);
CREATE INDEX audit_events_request_id ON audit_events (request_id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END;
`,
    postgres: `
CREATE TABLE deletion_requests (
  id text PRIMARY KEY,
  status text NOT NULL,
  version integer NOT NULL,
  video_id text NOT NULL,
  dedupe_key text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  data jsonb NOT NULL
);
CREATE UNIQUE INDEX ${PENDING_DEDUPE_INDEX} ON deletion_requests (dedupe_key) WHERE status = 'pending';
CREATE INDEX deletion_requests_status_expires_at ON deletion_requests (status, expires_at);
CREATE INDEX deletion_requests_video_id ON deletion_requests (video_id);
CREATE INDEX deletion_requests_created_at ON deletion_requests (created_at);

CREATE TABLE audit_events (
  seq bigserial PRIMARY KEY,
  at bigint NOT NULL,
  type text NOT NULL,
  request_id text,
  video_id text NOT NULL,
  actor_source text NOT NULL,
  actor_id text NOT NULL,
  actor_name text NOT NULL,
  actor_client text,
  details jsonb NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_video_id ON audit_events (video_id);
CREATE INDEX audit_events_request_id ON audit_events (request_id);
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
`,
  },
  {
    version: 2,
    name: 'where a request was shown for approval becomes front-end metadata (approvalMessage to announcement)',
    // A request shown for approval had `approvalMessage` (its ref), or one with an empty `ts` while a process was
    // claiming it. Both become `announcement`, claimed when the row was last written; the ref is copied as it is.
    // The version moves on, so a write prepared from the row as it was before fails its compare-and-set.
    sqlite: `
UPDATE deletion_requests
SET version = version + 1,
  data = json_set(
    json_remove(data, '$.approvalMessage'),
    '$.announcement',
    CASE WHEN json_extract(data, '$.approvalMessage.ts') = ''
      THEN json_object('claimedAt', updated_at)
      ELSE json_object('claimedAt', updated_at, 'ref', json(json_extract(data, '$.approvalMessage')))
    END,
    '$.version',
    version + 1)
WHERE json_type(data, '$.approvalMessage') = 'object';
`,
    postgres: `
UPDATE deletion_requests
SET version = version + 1,
  data = (data - 'approvalMessage') || jsonb_build_object(
    'announcement',
    CASE WHEN data->'approvalMessage'->>'ts' = ''
      THEN jsonb_build_object('claimedAt', updated_at)
      ELSE jsonb_build_object('claimedAt', updated_at, 'ref', data->'approvalMessage')
    END,
    'version',
    version + 1)
WHERE jsonb_typeof(data->'approvalMessage') = 'object';
`,
  },
  {
    version: 3,
    name: 'the audit trail refuses REPLACE, which would rewrite an entry without firing the delete trigger',
    // SQLite's INSERT OR REPLACE / REPLACE INTO deletes the conflicting row without firing delete triggers (unless a
    // connection turns recursive triggers on), then inserts: an entry rewritten. A row given the seq of an entry
    // that exists is refused before it is inserted, whatever the conflict clause.
    sqlite: `
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN NEW.seq IS NOT NULL AND EXISTS (SELECT 1 FROM audit_events WHERE seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: REPLACE refused'); END;
`,
    // PostgreSQL has no REPLACE: an upsert's DO UPDATE fires the update trigger, which refuses it.
    postgres: 'SELECT 1;',
  },
  {
    version: 4,
    name: 'rate budgets shared by every process of one store',
    // One row per budget (an action at an endpoint): the time, in epoch ms on the database's clock, of the next free
    // slot. Every reservation is one upsert on that row.
    sqlite: `
CREATE TABLE rate_slots (
  key TEXT PRIMARY KEY,
  next_slot REAL NOT NULL
) STRICT;
`,
    postgres: `
CREATE TABLE rate_slots (
  key text PRIMARY KEY,
  next_slot double precision NOT NULL
);
`,
  },
  {
    version: 5,
    name: 'keys seen once, for refusing replayed requests across replicas',
    sqlite: `
CREATE TABLE seen_once (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX seen_once_expires_at ON seen_once (expires_at);
`,
    postgres: `
CREATE TABLE seen_once (
  key text PRIMARY KEY,
  expires_at bigint NOT NULL
);
CREATE INDEX seen_once_expires_at ON seen_once (expires_at);
`,
  },
  {
    version: 6,
    name: 'indexes for the queries the product makes, so they stay flat as the store grows',
    // Requests are listed newest first, by status (the CLI, the sweeper, the announcer) or by video (dedupe): an
    // index in that order serves them without sorting every match. The trail is read by video and by request in
    // append order.
    sqlite: `
CREATE INDEX deletion_requests_status_created_at ON deletion_requests (status, created_at, id);
CREATE INDEX deletion_requests_video_id_created_at ON deletion_requests (video_id, created_at, id);
CREATE INDEX audit_events_video_id_seq ON audit_events (video_id, seq);
CREATE INDEX audit_events_request_id_seq ON audit_events (request_id, seq);
CREATE INDEX audit_events_at_seq ON audit_events (at, seq);
`,
    postgres: `
CREATE INDEX deletion_requests_status_created_at ON deletion_requests (status, created_at, id);
CREATE INDEX deletion_requests_video_id_created_at ON deletion_requests (video_id, created_at, id);
CREATE INDEX audit_events_video_id_seq ON audit_events (video_id, seq);
CREATE INDEX audit_events_request_id_seq ON audit_events (request_id, seq);
CREATE INDEX audit_events_at_seq ON audit_events (at, seq);
`,
  },
  {
    version: 7,
    name: 'clean-up campaigns and their items, frozen once planned',
    // A campaign is a row like a request (status, version, data), never removed or replaced, and once past planning
    // it never plans again. Its items are rows of their own, added only while the campaign is planning; what an item
    // deletes (its video, job IDs and bytes) never changes afterwards, and no item is ever removed or replaced: what
    // people approved is what the database holds.
    sqlite: `
CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  updated_at INTEGER NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data))
) STRICT;
CREATE INDEX campaigns_created_at ON campaigns (created_at, id);
CREATE INDEX campaigns_status_created_at ON campaigns (status, created_at, id);
CREATE INDEX campaigns_status_expires_at ON campaigns (status, expires_at);

CREATE TABLE campaign_items (
  campaign_id TEXT NOT NULL REFERENCES campaigns (id),
  seq INTEGER NOT NULL,
  video_id TEXT NOT NULL,
  job_ids TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  status TEXT NOT NULL,
  owner TEXT,
  lease_until INTEGER,
  data TEXT NOT NULL CHECK (json_valid(data)),
  PRIMARY KEY (campaign_id, seq)
) STRICT;
CREATE INDEX campaign_items_status_seq ON campaign_items (campaign_id, status, seq);
CREATE TRIGGER campaign_items_only_while_planning BEFORE INSERT ON campaign_items
WHEN (SELECT status FROM campaigns WHERE id = NEW.campaign_id) IS NOT 'planning'
BEGIN SELECT RAISE(ABORT, 'campaign_items: items are added only while their campaign is planning'); END;
CREATE TRIGGER campaign_items_frozen BEFORE UPDATE OF campaign_id, seq, video_id, job_ids, bytes ON campaign_items
WHEN NEW.campaign_id IS NOT OLD.campaign_id OR NEW.seq IS NOT OLD.seq OR NEW.video_id IS NOT OLD.video_id
  OR NEW.job_ids IS NOT OLD.job_ids OR NEW.bytes IS NOT OLD.bytes
BEGIN SELECT RAISE(ABORT, 'campaign_items: what an item deletes never changes'); END;
CREATE TRIGGER campaign_items_no_delete BEFORE DELETE ON campaign_items
BEGIN SELECT RAISE(ABORT, 'campaign_items: items are never removed'); END;
CREATE TRIGGER campaign_items_no_replace BEFORE INSERT ON campaign_items
WHEN EXISTS (SELECT 1 FROM campaign_items WHERE campaign_id = NEW.campaign_id AND seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'campaign_items: what an item deletes never changes (REPLACE refused)'); END;

CREATE TRIGGER campaigns_no_replace BEFORE INSERT ON campaigns
WHEN EXISTS (SELECT 1 FROM campaigns WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'campaigns: a campaign is never replaced'); END;
CREATE TRIGGER campaigns_no_delete BEFORE DELETE ON campaigns
BEGIN SELECT RAISE(ABORT, 'campaigns: a campaign is never removed'); END;
CREATE TRIGGER campaigns_id_fixed BEFORE UPDATE OF id ON campaigns
WHEN NEW.id IS NOT OLD.id
BEGIN SELECT RAISE(ABORT, 'campaigns: a campaign is never replaced'); END;
CREATE TRIGGER campaigns_plan_once BEFORE UPDATE OF status ON campaigns
WHEN NEW.status = 'planning' AND OLD.status <> 'planning'
BEGIN SELECT RAISE(ABORT, 'campaigns: a campaign past planning never plans again'); END;
`,
    postgres: `
CREATE TABLE campaigns (
  id text PRIMARY KEY,
  status text NOT NULL,
  version integer NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint,
  updated_at bigint NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX campaigns_created_at ON campaigns (created_at, id);
CREATE INDEX campaigns_status_created_at ON campaigns (status, created_at, id);
CREATE INDEX campaigns_status_expires_at ON campaigns (status, expires_at);

CREATE TABLE campaign_items (
  campaign_id text NOT NULL REFERENCES campaigns (id),
  seq integer NOT NULL,
  video_id text NOT NULL,
  job_ids text NOT NULL,
  bytes bigint NOT NULL,
  status text NOT NULL,
  owner text,
  lease_until bigint,
  data jsonb NOT NULL,
  PRIMARY KEY (campaign_id, seq)
);
CREATE INDEX campaign_items_status_seq ON campaign_items (campaign_id, status, seq);
CREATE FUNCTION campaign_items_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF (SELECT status FROM campaigns WHERE id = NEW.campaign_id) IS DISTINCT FROM 'planning' THEN
      RAISE EXCEPTION 'campaign_items: items are added only while their campaign is planning';
    END IF;
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    IF (NEW.campaign_id, NEW.seq, NEW.video_id, NEW.job_ids, NEW.bytes)
       IS DISTINCT FROM (OLD.campaign_id, OLD.seq, OLD.video_id, OLD.job_ids, OLD.bytes) THEN
      RAISE EXCEPTION 'campaign_items: what an item deletes never changes';
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'campaign_items: items are never removed (%)', TG_OP;
END;
$$;
CREATE TRIGGER campaign_items_guard BEFORE INSERT OR UPDATE OR DELETE ON campaign_items
  FOR EACH ROW EXECUTE FUNCTION campaign_items_guard();
CREATE TRIGGER campaign_items_no_truncate BEFORE TRUNCATE ON campaign_items
  FOR EACH STATEMENT EXECUTE FUNCTION campaign_items_guard();
CREATE FUNCTION campaigns_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.id IS DISTINCT FROM OLD.id THEN
      RAISE EXCEPTION 'campaigns: a campaign is never replaced';
    END IF;
    IF NEW.status = 'planning' AND OLD.status <> 'planning' THEN
      RAISE EXCEPTION 'campaigns: a campaign past planning never plans again';
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'campaigns: a campaign is never removed (%)', TG_OP;
END;
$$;
CREATE TRIGGER campaigns_guard BEFORE UPDATE OR DELETE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION campaigns_guard();
CREATE TRIGGER campaigns_no_truncate BEFORE TRUNCATE ON campaigns
  FOR EACH STATEMENT EXECUTE FUNCTION campaigns_guard();
`,
  },
  {
    version: 8,
    name: 'campaign items run under leases, and settle once',
    // Execution: an item is claimed (status running, its owner and lease, one more claim) only while its campaign
    // runs, settles (deleted, skipped, failed) only from running, and a settled item never changes again, so a
    // replica that lost its claim can never overwrite the outcome another recorded. `settled_at` gives the rate.
    sqlite: `
ALTER TABLE campaign_items ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaign_items ADD COLUMN settled_at INTEGER;
CREATE INDEX campaign_items_video_seq ON campaign_items (campaign_id, video_id, seq);
CREATE INDEX campaign_items_settled_at ON campaign_items (campaign_id, settled_at);
CREATE TRIGGER campaign_items_settled_once BEFORE UPDATE ON campaign_items
WHEN OLD.status IN ('deleted', 'skipped', 'failed')
BEGIN SELECT RAISE(ABORT, 'campaign_items: a settled item never changes'); END;
CREATE TRIGGER campaign_items_settle_from_running BEFORE UPDATE OF status ON campaign_items
WHEN NEW.status IN ('deleted', 'skipped', 'failed') AND OLD.status IS NOT 'running'
BEGIN SELECT RAISE(ABORT, 'campaign_items: an item settles only once claimed'); END;
CREATE TRIGGER campaign_items_run_while_running BEFORE UPDATE OF status ON campaign_items
WHEN NEW.status = 'running' AND (SELECT status FROM campaigns WHERE id = NEW.campaign_id) IS NOT 'running'
BEGIN SELECT RAISE(ABORT, 'campaign_items: items run only while their campaign is running'); END;
`,
    postgres: `
ALTER TABLE campaign_items ADD COLUMN claims integer NOT NULL DEFAULT 0;
ALTER TABLE campaign_items ADD COLUMN settled_at bigint;
CREATE INDEX campaign_items_video_seq ON campaign_items (campaign_id, video_id, seq);
CREATE INDEX campaign_items_settled_at ON campaign_items (campaign_id, settled_at);
CREATE OR REPLACE FUNCTION campaign_items_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF (SELECT status FROM campaigns WHERE id = NEW.campaign_id) IS DISTINCT FROM 'planning' THEN
      RAISE EXCEPTION 'campaign_items: items are added only while their campaign is planning';
    END IF;
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    IF (NEW.campaign_id, NEW.seq, NEW.video_id, NEW.job_ids, NEW.bytes)
       IS DISTINCT FROM (OLD.campaign_id, OLD.seq, OLD.video_id, OLD.job_ids, OLD.bytes) THEN
      RAISE EXCEPTION 'campaign_items: what an item deletes never changes';
    END IF;
    IF OLD.status IN ('deleted', 'skipped', 'failed') THEN
      RAISE EXCEPTION 'campaign_items: a settled item never changes';
    END IF;
    IF NEW.status IN ('deleted', 'skipped', 'failed') AND OLD.status <> 'running' THEN
      RAISE EXCEPTION 'campaign_items: an item settles only once claimed';
    END IF;
    IF NEW.status = 'running'
       AND (SELECT status FROM campaigns WHERE id = NEW.campaign_id) IS DISTINCT FROM 'running' THEN
      RAISE EXCEPTION 'campaign_items: items run only while their campaign is running';
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'campaign_items: items are never removed (%)', TG_OP;
END;
$$;
`,
  },
  {
    version: 9,
    name: 'where each audit webhook has delivered to, and which replica delivers it',
    // One row per webhook target (a hash of its URL, never the URL): the last entry it acknowledged (`last_seq`), the
    // replica delivering it under a lease on the database's clock, and the failures since its last success. Written
    // only by the deliverer, never with a request, so nothing a deletion does waits on it.
    sqlite: `
CREATE TABLE audit_deliveries (
  target TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  owner TEXT,
  lease_until INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  updated_at INTEGER NOT NULL
) STRICT;
`,
    postgres: `
CREATE TABLE audit_deliveries (
  target text PRIMARY KEY,
  last_seq bigint NOT NULL,
  owner text,
  lease_until bigint,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  updated_at bigint NOT NULL
);
`,
  },
];
