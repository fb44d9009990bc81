import type pg from 'pg';
import {
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignItem,
  type ItemStatus,
} from '../campaigns/campaign.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { CampaignFilter, CampaignStore, ItemFilter } from './campaign-store.js';
import { NOW_MS_SQL } from './migrations.js';
import { ParameterisedQuery } from './postgres-query.js';
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
      const result = await pool.query<PgItemRow>(
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

    async claimItems(campaignId, input) {
      // SKIP LOCKED: concurrent claimers pass over each other's rows instead of queueing on them; the first
      // unsettled item of a video locked by one claimer keeps the video's later items from the others.
      const result = await pool.query<PgItemRow>(
        `WITH picked AS (
           SELECT i.campaign_id, i.seq FROM campaign_items i
           WHERE i.campaign_id = $1
             AND (i.status = 'pending' OR (i.status = 'running' AND i.lease_until <= $2))
             AND i.seq = (SELECT min(o.seq) FROM campaign_items o
                          WHERE o.campaign_id = i.campaign_id AND o.video_id = i.video_id
                            AND o.status IN ('pending', 'running'))
             AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = $1 AND c.status = 'running')
           ORDER BY i.seq LIMIT $3
           FOR UPDATE OF i SKIP LOCKED)
         UPDATE campaign_items t SET status = 'running', owner = $4, lease_until = $5, claims = t.claims + 1
         FROM picked WHERE t.campaign_id = picked.campaign_id AND t.seq = picked.seq
         RETURNING t.*`,
        [campaignId, input.now, input.limit, input.owner, input.leaseUntil],
      );
      return result.rows.map(toItem).sort((x, y) => x.seq - y.seq);
    },

    async settleItem(next, claim, audit) {
      return transaction(async (client) => {
        const result = await client.query(
          `UPDATE campaign_items SET status = $1, owner = NULL, lease_until = NULL, settled_at = $2,
             data = $3::jsonb
           WHERE campaign_id = $4 AND seq = $5 AND status = 'running' AND owner = $6 AND claims = $7`,
          [
            next.status,
            next.outcome?.at ?? null,
            JSON.stringify(itemData(next)),
            next.campaignId,
            next.seq,
            claim.owner,
            claim.claims,
          ],
        );
        if (result.rowCount !== 1) return false;
        await insertAudit(client, audit);
        return true;
      });
    },

    async releaseItem(item, claim) {
      const result = await pool.query(
        `UPDATE campaign_items SET status = 'pending', owner = NULL, lease_until = NULL, claims = claims - 1
         WHERE campaign_id = $1 AND seq = $2 AND status = 'running' AND owner = $3 AND claims = $4`,
        [item.campaignId, item.seq, claim.owner, claim.claims],
      );
      return result.rowCount === 1;
    },

    async countSettledSince(campaignId, since) {
      const result = await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM campaign_items WHERE campaign_id = $1 AND settled_at >= $2',
        [campaignId, since],
      );
      return Number(result.rows[0]?.n ?? 0);
    },

    async countCampaignsByStatus() {
      const result = await pool.query<{ status: string; count: string }>(
        'SELECT status, count(*) AS count FROM campaigns GROUP BY status',
      );
      return countsByStatus(CAMPAIGN_STATUSES, result.rows);
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

type PgItemRow = ItemRow & { data: Pick<CampaignItem, 'streams' | 'outcome'> };

function toItem(row: PgItemRow): CampaignItem {
  return itemFrom(row, row.data);
}
