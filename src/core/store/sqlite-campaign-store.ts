import type Database from 'better-sqlite3';
import type { Campaign, CampaignItem, ItemStatus } from '../campaigns/campaign.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { VideoId } from '../vod/input-rules.js';
import type { CampaignFilter, CampaignStore, ItemFilter } from './campaign-store.js';
import { NOW_MS_SQL } from './migrations.js';
import {
  assertNewCampaign,
  assertNextVersion,
  CAMPAIGN_LIMIT,
  clampLimit,
  countsFrom,
  ITEM_LIMIT,
  itemData,
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
      ).all(...values) as ItemRow[];
      return rows.map(toItem);
    },

    async countItems(campaignId) {
      const rows = prepared(
        `SELECT status, count(*) AS items, coalesce(sum(bytes), 0) AS bytes
         FROM campaign_items WHERE campaign_id = ? GROUP BY status`,
      ).all(campaignId) as { status: ItemStatus; items: number; bytes: number }[];
      return countsFrom(rows);
    },
  };
}

interface ItemRow {
  campaign_id: string;
  seq: number;
  video_id: string;
  job_ids: string;
  bytes: number;
  status: ItemStatus;
  data: string;
}

function toItem(row: ItemRow): CampaignItem {
  const data = JSON.parse(row.data) as Pick<CampaignItem, 'streams' | 'outcome'>;
  return {
    campaignId: row.campaign_id,
    seq: row.seq,
    // Written only from a planned item, whose id the input rules made.
    videoId: row.video_id as VideoId,
    jobIds: row.job_ids.split(','),
    bytes: row.bytes,
    status: row.status,
    ...data,
  };
}
