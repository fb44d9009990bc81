import type pg from 'pg';
import type { Campaign, CampaignItem, ItemStatus } from '../campaigns/campaign.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { VideoId } from '../vod/input-rules.js';
import type { CampaignFilter, CampaignStore, ItemFilter } from './campaign-store.js';
import { NOW_MS_SQL } from './migrations.js';
import { ParameterisedQuery } from './postgres-query.js';
import {
  assertNewCampaign,
  assertNextVersion,
  CAMPAIGN_LIMIT,
  clampLimit,
  countsFrom,
  ITEM_LIMIT,
  itemData,
} from './store-rules.js';

/** What `PostgresStore` lends its campaign half: its pool, its transactions and its audit writer. */
export interface PostgresParts {
  pool: pg.Pool;
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  insertAudit(client: pg.PoolClient, entries: readonly AuditEntry[]): Promise<void>;
}

/** Item rows per INSERT: 7 parameters each keeps a statement well under PostgreSQL's 65535. */
const ITEM_ROWS_PER_STATEMENT = 1000;

/**
 * The `CampaignStore` half of `PostgresStore`. An update locks the campaign's row (`FOR UPDATE`) before it checks
 * the version, so two planners or deciders of one campaign queue and exactly one wins.
 */
export function createPostgresCampaignStore(parts: PostgresParts): CampaignStore {
  const { pool, transaction, insertAudit } = parts;

  return {
    async insertCampaign(campaign, audit) {
      assertNewCampaign(campaign);
      await transaction(async (client) => {
        await client.query(
          `INSERT INTO campaigns (id, status, version, created_at, expires_at, updated_at, data)
           VALUES ($1, $2, $3, $4, $5, ${NOW_MS_SQL.postgres}, $6::jsonb)`,
          [
            campaign.id,
            campaign.status,
            campaign.version,
            campaign.createdAt,
            campaign.expiresAt ?? null,
            JSON.stringify(campaign),
          ],
        );
        await insertAudit(client, audit);
      });
    },

    async getCampaign(id) {
      const result = await pool.query<{ data: Campaign }>('SELECT data FROM campaigns WHERE id = $1', [id]);
      return result.rows[0]?.data;
    },

    async listCampaigns(filter: CampaignFilter = {}) {
      const query = new ParameterisedQuery();
      if (filter.statuses !== undefined) {
        if (filter.statuses.length === 0) return [];
        query.where((p) => `status = ANY(${p}::text[])`, [...filter.statuses]);
      }
      if (filter.expiresAtOrBefore !== undefined) {
        query.where((p) => `expires_at <= ${p}`, filter.expiresAtOrBefore);
      }
      const limit = query.param(clampLimit(filter.limit, CAMPAIGN_LIMIT));
      const result = await pool.query<{ data: Campaign }>(
        `SELECT data FROM campaigns ${query.whereClause()} ORDER BY created_at DESC, id ASC LIMIT ${limit}`,
        query.values,
      );
      return result.rows.map((row) => row.data);
    },

    async updateCampaign(next, expectedVersion, audit, items = []) {
      assertNextVersion(next, expectedVersion);
      return transaction(async (client) => {
        const current = await client.query<{ version: number }>(
          'SELECT version FROM campaigns WHERE id = $1 FOR UPDATE',
          [next.id],
        );
        if (current.rows[0]?.version !== expectedVersion) return false;
        await insertItems(client, items);
        await client.query(
          `UPDATE campaigns SET status = $1, version = $2, expires_at = $3, updated_at = ${NOW_MS_SQL.postgres},
             data = $4::jsonb
           WHERE id = $5`,
          [next.status, next.version, next.expiresAt ?? null, JSON.stringify(next), next.id],
        );
        await insertAudit(client, audit);
        return true;
      });
    },

    async listItems(campaignId, filter: ItemFilter = {}) {
      const query = new ParameterisedQuery();
      query.where((p) => `campaign_id = ${p}`, campaignId);
      query.where((p) => `seq > ${p}`, filter.afterSeq ?? 0);
      if (filter.statuses !== undefined) {
        if (filter.statuses.length === 0) return [];
        query.where((p) => `status = ANY(${p}::text[])`, [...filter.statuses]);
      }
      const limit = query.param(clampLimit(filter.limit, ITEM_LIMIT));
      const result = await pool.query<ItemRow>(
        `SELECT * FROM campaign_items ${query.whereClause()} ORDER BY seq LIMIT ${limit}`,
        query.values,
      );
      return result.rows.map(toItem);
    },

    async countItems(campaignId) {
      const result = await pool.query<{ status: ItemStatus; items: string; bytes: string }>(
        `SELECT status, count(*) AS items, coalesce(sum(bytes), 0) AS bytes
         FROM campaign_items WHERE campaign_id = $1 GROUP BY status`,
        [campaignId],
      );
      return countsFrom(result.rows);
    },
  };
}

async function insertItems(client: pg.PoolClient, items: readonly CampaignItem[]): Promise<void> {
  for (let start = 0; start < items.length; start += ITEM_ROWS_PER_STATEMENT) {
    const query = new ParameterisedQuery();
    const rows = items.slice(start, start + ITEM_ROWS_PER_STATEMENT).map((item) => {
      const p = [
        item.campaignId,
        item.seq,
        item.videoId,
        item.jobIds.join(','),
        item.bytes,
        item.status,
        JSON.stringify(itemData(item)),
      ].map((value) => query.param(value));
      return `(${p.slice(0, 6).join(', ')}, ${p[6]}::jsonb)`;
    });
    await client.query(
      `INSERT INTO campaign_items (campaign_id, seq, video_id, job_ids, bytes, status, data)
       VALUES ${rows.join(', ')}`,
      query.values,
    );
  }
}

/** `bigint` columns arrive as strings from `pg`; `data` is parsed `jsonb`. */
interface ItemRow {
  campaign_id: string;
  seq: string;
  video_id: string;
  job_ids: string;
  bytes: string;
  status: ItemStatus;
  data: Pick<CampaignItem, 'streams' | 'outcome'>;
}

function toItem(row: ItemRow): CampaignItem {
  return {
    campaignId: row.campaign_id,
    seq: Number(row.seq),
    // Written only from a planned item, whose id the input rules made.
    videoId: row.video_id as VideoId,
    jobIds: row.job_ids.split(','),
    bytes: Number(row.bytes),
    status: row.status,
    ...row.data,
  };
}
