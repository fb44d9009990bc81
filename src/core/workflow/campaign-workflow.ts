import type { Campaign, CampaignItem } from '../campaigns/campaign.js';
import { type CampaignRefusal, cancelCampaign, expireCampaign } from '../campaigns/campaign-lifecycle.js';
import { AppError } from '../errors.js';
import type { ApproverDirectory } from '../requests/approvers.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import { type Principal, SYSTEM_SOURCE } from '../requests/principal.js';
import type { CampaignFilter, ItemCounts, ItemFilter } from '../store/campaign-store.js';
import type { DeletionStore } from '../store/deletion-store.js';
import {
  type CampaignPlanning,
  type CampaignPlanningDeps,
  createCampaignPlanning,
} from './campaign-planning.js';

/**
 * Library-wide clean-up campaigns, as the skins reach them: planning (see `CampaignPlanning`), reading, and
 * cancelling. Skins never write the store.
 */
export interface CampaignWorkflow extends CampaignPlanning {
  get(id: string): Promise<Campaign | undefined>;
  list(filter?: CampaignFilter): Promise<Campaign[]>;
  items(id: string, filter?: ItemFilter): Promise<CampaignItem[]>;
  counts(id: string): Promise<ItemCounts>;
  /** The campaign's own audit entries, oldest first. */
  audit(id: string): Promise<AuditEntry[]>;
  /** Campaigns awaiting approval past their expiry become `expired`; returns how many. */
  expireDue(): Promise<number>;
  /** By the requester or an approver, while it plans or awaits approval. */
  cancel(
    id: string,
    input: { by: Principal; reason?: string },
  ): Promise<{ ok: true; campaign: Campaign } | { ok: false; refusal: CampaignRefusal }>;
}

export interface CampaignWorkflowDeps extends CampaignPlanningDeps {
  trail: Pick<DeletionStore, 'listAudit'>;
  approvers: ApproverDirectory;
}

const SWEEPER: Principal = { source: SYSTEM_SOURCE, id: 'sweeper', displayName: 'vod-ops' };

export function createCampaignWorkflow(deps: CampaignWorkflowDeps): CampaignWorkflow {
  const { store } = deps;
  return {
    ...createCampaignPlanning(deps),
    get: (id) => store.getCampaign(id),
    list: (filter) => store.listCampaigns(filter),
    items: (id, filter) => store.listItems(id, filter),
    counts: (id) => store.countItems(id),
    audit: (id) => deps.trail.listAudit({ requestId: id }),

    async expireDue() {
      const now = deps.clock.now();
      const due = await store.listCampaigns({ statuses: ['pending'], expiresAtOrBefore: now, limit: 100 });
      let expired = 0;
      for (const campaign of due) {
        const stepped = expireCampaign(campaign, { now, by: SWEEPER });
        // A lost race means another replica (or a decision) got there first: nothing left to do.
        if (stepped && (await store.updateCampaign(stepped.next, campaign.version, stepped.audit)))
          expired += 1;
      }
      return expired;
    },

    async cancel(id, input) {
      // A planner writing a page moves the version on: a few tries settle the race.
      for (let attempt = 0; attempt < 5; attempt++) {
        const campaign = await store.getCampaign(id);
        if (campaign === undefined) throw new AppError('NOT_FOUND', `No campaign ${id}.`);
        const stepped = cancelCampaign(campaign, {
          by: input.by,
          isApprover: await deps.approvers.isApprover(input.by),
          ...(input.reason ? { reason: input.reason } : {}),
          now: deps.clock.now(),
        });
        if (!stepped.ok) return stepped;
        if (await store.updateCampaign(stepped.next, campaign.version, stepped.audit)) {
          return { ok: true, campaign: stepped.next };
        }
      }
      throw new AppError('CONFLICT', `Campaign ${id} kept changing while it was being cancelled: try again.`);
    },
  };
}
