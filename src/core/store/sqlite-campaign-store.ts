import type Database from 'better-sqlite3';
import {
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignItem,
  type ItemStatus,
} from '../campaigns/campaign.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { CampaignFilter, CampaignStore, ItemFilter } from './campaign-store.js';
import { NOW_MS_SQL } from './migrations.js';
import {
  assertNewCampaign,
  assertNextVersion,
  CAMPAIGN_LIMIT,
  clampLimit,
  countsByStatus,
  countsFrom,
  ITEM_LIMIT,
  type ItemRow,
  itemData,
  itemFrom,
} from './store-rules.js';

/** What `SqliteStore` lends its campaign half: the connection, its statement cache and its audit writer. */
export interface SqliteParts {
  db: Database.Database;
  prepared(sql: string): Database.Statement;
  insertAudit(entries: readonly AuditEntry[]): void;
  /** Runs a write's result past the checkpoint scheduler. */
  written<T>(result: T): T;
}

/**
 * The `CampaignStore` half of `SqliteStore`, on the same connection: every write is a `BEGIN IMMEDIATE`
 * transaction, so the version read under the write lock is still the version when the transaction commits.
 */
export function createSqliteCampaignStore(parts: SqliteParts): CampaignStore {
  const { db, prepared, insertAudit, written } = parts;

  const insertTx = db.transaction((campaign: Campaign, audit: readonly AuditEntry[]): void => {
    prepared(
      `INSERT INTO campaigns (id, status, version, created_at, expires_at, updated_at, data)
       VALUES (?, ?, ?, ?, ?, ${NOW_MS_SQL.sqlite}, ?)`,
    ).run(
      campaign.id,
      campaign.status,
      campaign.version,
      campaign.createdAt,
      campaign.expiresAt ?? null,
      JSON.stringify(campaign),
    );
    insertAudit(audit);
  });

  const updateTx = db.transaction(
    (
      next: Campaign,
      expectedVersion: number,
      audit: readonly AuditEntry[],
      items: readonly CampaignItem[],
    ): boolean => {
      const row = prepared('SELECT version FROM campaigns WHERE id = ?').get(next.id) as
        | { version: number }
        | undefined;
      if (row?.version !== expectedVersion) return false;
      // Items first: the database accepts them only while the campaign, as stored, is still planning.
      const insertItem = prepared(
        `INSERT INTO campaign_items (campaign_id, seq, video_id, job_ids, bytes, status, data)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const item of items) {
        insertItem.run(
          item.campaignId,
          item.seq,
          item.videoId,
          item.jobIds.join(','),
          item.bytes,
          item.status,
          JSON.stringify(itemData(item)),
        );
      }
      prepared(
        `UPDATE campaigns SET status = ?, version = ?, expires_at = ?, updated_at = ${NOW_MS_SQL.sqlite}, data = ?
         WHERE id = ?`,
      ).run(next.status, next.version, next.expiresAt ?? null, JSON.stringify(next), next.id);
      insertAudit(audit);
      return true;
    },
  );

  const claimTx = db.transaction(
    (campaignId: string, input: { owner: string; now: number; leaseUntil: number; limit: number }) => {
      const campaign = prepared('SELECT status FROM campaigns WHERE id = ?').get(campaignId) as
        | { status: string }
        | undefined;
      if (campaign?.status !== 'running') return [];
      return prepared(
        `UPDATE campaign_items SET status = 'running', owner = @owner, lease_until = @leaseUntil,
           claims = claims + 1
         WHERE campaign_id = @campaign AND seq IN (${CLAIMABLE_SQLITE})
         RETURNING *`,
      ).all({
        campaign: campaignId,
        owner: input.owner,
        now: input.now,
        leaseUntil: input.leaseUntil,
        limit: input.limit,
      }) as SqliteItemRow[];
    },
  );

  const settleTx = db.transaction(
    (next: CampaignItem, claim: { owner: string; claims: number }, audit: readonly AuditEntry[]): boolean => {
      const changed = prepared(
        `UPDATE campaign_items SET status = ?, owner = NULL, lease_until = NULL, settled_at = ?, data = ?
         WHERE campaign_id = ? AND seq = ? AND status = 'running' AND owner = ? AND claims = ?`,
      ).run(
        next.status,
        next.outcome?.at ?? null,
        JSON.stringify(itemData(next)),
        next.campaignId,
        next.seq,
        claim.owner,
        claim.claims,
      ).changes;
      if (changed !== 1) return false;
      insertAudit(audit);
      return true;
    },
  );

  return {
    async insertCampaign(campaign, audit) {
      assertNewCampaign(campaign);
      written(insertTx.immediate(campaign, audit));
    },

    async getCampaign(id) {
      const row = prepared('SELECT data FROM campaigns WHERE id = ?').get(id) as { data: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.data) as Campaign);
    },

    async listCampaigns(filter: CampaignFilter = {}) {
      const values: (string | number)[] = [];
      const where: string[] = [];
      if (filter.statuses !== undefined) {
        if (filter.statuses.length === 0) return [];
        where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
        values.push(...filter.statuses);
      }
      if (filter.expiresAtOrBefore !== undefined) {
        where.push('expires_at <= ?');
        values.push(filter.expiresAtOrBefore);
      }
      values.push(clampLimit(filter.limit, CAMPAIGN_LIMIT));
      const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
      const rows = prepared(
        `SELECT data FROM campaigns ${clause} ORDER BY created_at DESC, id ASC LIMIT ?`,
      ).all(...values) as { data: string }[];
      return rows.map((row) => JSON.parse(row.data) as Campaign);
    },

    async updateCampaign(next, expectedVersion, audit, items = []) {
      assertNextVersion(next, expectedVersion);
      return written(updateTx.immediate(next, expectedVersion, audit, items));
    },

    async listItems(campaignId, filter: ItemFilter = {}) {
      const values: (string | number)[] = [campaignId, filter.afterSeq ?? 0];
      let statuses = '';
      if (filter.statuses !== undefined) {
        if (filter.statuses.length === 0) return [];
        statuses = `AND status IN (${filter.statuses.map(() => '?').join(', ')})`;
        values.push(...filter.statuses);
      }
      values.push(clampLimit(filter.limit, ITEM_LIMIT));
      const rows = prepared(
        `SELECT * FROM campaign_items WHERE campaign_id = ? AND seq > ? ${statuses} ORDER BY seq LIMIT ?`,
      ).all(...values) as SqliteItemRow[];
      return rows.map(toItem);
    },

    async countItems(campaignId) {
      const rows = prepared(
        `SELECT status, count(*) AS items, coalesce(sum(bytes), 0) AS bytes
         FROM campaign_items WHERE campaign_id = ? GROUP BY status`,
      ).all(campaignId) as { status: ItemStatus; items: number; bytes: number }[];
      return countsFrom(rows);
    },

    async claimItems(campaignId, input) {
      const rows = written(claimTx.immediate(campaignId, input));
      return rows.map(toItem).sort((x, y) => x.seq - y.seq);
    },

    async settleItem(next, claim, audit) {
      return written(settleTx.immediate(next, claim, audit));
    },

    async releaseItem(item, claim) {
      const changed = prepared(
        `UPDATE campaign_items SET status = 'pending', owner = NULL, lease_until = NULL, claims = claims - 1
         WHERE campaign_id = ? AND seq = ? AND status = 'running' AND owner = ? AND claims = ?`,
      ).run(item.campaignId, item.seq, claim.owner, claim.claims).changes;
      return written(changed === 1);
    },

    async countSettledSince(campaignId, since) {
      const row = prepared(
        'SELECT count(*) AS n FROM campaign_items WHERE campaign_id = ? AND settled_at >= ?',
      ).get(campaignId, since) as { n: number };
      return row.n;
    },

    async countCampaignsByStatus() {
      const rows = prepared('SELECT status, count(*) AS count FROM campaigns GROUP BY status').all();
      return countsByStatus(CAMPAIGN_STATUSES, rows as { status: string; count: number }[]);
    },
  };
}

/** The first unsettled item of each video, in `seq` order, that nobody holds: what a claim may take. */
const CLAIMABLE_SQLITE = `
  SELECT i.seq FROM campaign_items i
  WHERE i.campaign_id = @campaign
    AND (i.status = 'pending' OR (i.status = 'running' AND i.lease_until <= @now))
    AND i.seq = (SELECT min(o.seq) FROM campaign_items o
                 WHERE o.campaign_id = i.campaign_id AND o.video_id = i.video_id
                   AND o.status IN ('pending', 'running'))
  ORDER BY i.seq LIMIT @limit`;

type SqliteItemRow = ItemRow & { data: string };

function toItem(row: SqliteItemRow): CampaignItem {
  return itemFrom(row, JSON.parse(row.data) as Pick<CampaignItem, 'streams' | 'outcome'>);
}
