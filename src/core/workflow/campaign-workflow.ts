import type { Campaign, CampaignItem } from '../campaigns/campaign.js';
import { voteOnCampaign } from '../campaigns/campaign-approval.js';
import { type CampaignRefusal, cancelCampaign, expireCampaign } from '../campaigns/campaign-lifecycle.js';
import { pauseCampaign, resumeCampaign } from '../campaigns/campaign-run.js';
import { errorSummary } from '../errors.js';
import type { ApproverDirectory } from '../requests/approvers.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import type { AnnouncementRef } from '../requests/deletion-request.js';
import { type Principal, SYSTEM_SOURCE } from '../requests/principal.js';
import { clipReason } from '../requests/reason.js';
import type { CampaignFilter, ItemCounts, ItemFilter } from '../store/campaign-store.js';
import type { DeletionStore } from '../store/deletion-store.js';
import { neverThrowing, type Telemetry } from '../telemetry.js';
import { ANNOUNCEMENT_CLAIM_MS } from './announcements.js';
import {
  type CampaignEvents,
  type CampaignListener,
  createCampaignEvents,
  createCampaignTransact,
} from './campaign-events.js';
import {
  type CampaignExecution,
  type CampaignExecutionDeps,
  createCampaignExecution,
} from './campaign-execution.js';
import {
  type CampaignPlanning,
  type CampaignPlanningDeps,
  createCampaignPlanning,
} from './campaign-planning.js';
import { createInFlight, type InFlight } from './in-flight.js';

export type CampaignAction =
  | { ok: true; campaign: Campaign }
  | { ok: false; refusal: CampaignRefusal; campaign?: Campaign };

/**
 * Library-wide clean-up campaigns, as the skins reach them: planning (see `CampaignPlanning`), one approval under
 * the policy of deletion requests, execution by any process (see `CampaignExecution`), pause, resume and cancel by
 * the requester or an approver, and reading. Skins never write the store; refusals are values.
 */
export interface CampaignWorkflow extends CampaignPlanning, CampaignExecution {
  /** Follows every campaign and item event this process stores; returns the unsubscribe function. */
  subscribe(listener: CampaignListener): () => void;
  get(id: string): Promise<Campaign | undefined>;
  list(filter?: CampaignFilter): Promise<Campaign[]>;
  items(id: string, filter?: ItemFilter): Promise<CampaignItem[]>;
  counts(id: string): Promise<ItemCounts>;
  /** The campaign's own audit entries, oldest first (items' outcomes included). */
  audit(id: string): Promise<AuditEntry[]>;
  /** Campaigns awaiting approval past their expiry become `expired`; returns how many. */
  expireDue(): Promise<number>;
  /** An approval or rejection; the deciding approval starts execution in this process at once. */
  vote(
    id: string,
    approver: Principal,
    decision: 'approve' | 'reject',
    reason?: string,
  ): Promise<CampaignAction>;
  /** By the requester or an approver, until the campaign is finished. */
  cancel(id: string, input: { by: Principal; reason?: string }): Promise<CampaignAction>;
  /** Stops new items from starting (running ones finish); by the requester or an approver. */
  pause(id: string, input: { by: Principal; reason?: string }): Promise<CampaignAction>;
  /**
   * Lets a paused campaign run again, in every server's next sweep and, unless `runHere` is false, in this process
   * at once. A command that ends at once (the CLI's) passes false: its process would otherwise run the campaign.
   */
  resumeRun(id: string, input: { by: Principal; runHere?: boolean }): Promise<CampaignAction>;

  /** Like a request's: of several processes exactly one shows a pending campaign for approval. */
  claimAnnouncement(id: string): Promise<boolean>;
  /** Where a claimed campaign was shown (opaque to core), or the claim released (`undefined`). */
  recordAnnouncement(id: string, ref: AnnouncementRef | undefined): Promise<Campaign | undefined>;
  /** Pending campaigns no front end has shown yet. */
  awaitingAnnouncement(limit: number): Promise<Campaign[]>;
  /** Resolves when every run of this process has settled. */
  idle(): Promise<void>;
}

export interface CampaignWorkflowDeps extends CampaignPlanningDeps {
  vod: CampaignExecutionDeps['vod'];
  trail: Pick<DeletionStore, 'listAudit' | 'appendAudit'>;
  approvers: ApproverDirectory;
  execution: CampaignExecutionDeps['settings'];
  inFlight?: InFlight;
  sleep?: (ms: number) => Promise<void>;
  /** Told of every item this process settles. Default: nowhere. */
  telemetry?: Telemetry;
}

const SWEEPER: Principal = { source: SYSTEM_SOURCE, id: 'sweeper', displayName: 'vod-ops' };

export function createCampaignWorkflow(deps: CampaignWorkflowDeps): CampaignWorkflow {
  const { store, clock } = deps;
  const events: CampaignEvents = createCampaignEvents(deps.logger);
  const telemetry = deps.telemetry && neverThrowing(deps.telemetry);
  if (telemetry) {
    events.subscribe((event) => {
      // `item_deleted`, `item_skipped`, `item_failed`: an item's outcome, settled once by this process.
      if (event.kind === 'item' && event.type.startsWith('item_')) {
        telemetry.campaignItem({ outcome: event.type.slice('item_'.length) });
      }
    });
  }
  const transact = createCampaignTransact(store, events);
  const inFlight = deps.inFlight ?? createInFlight();
  const execution = createCampaignExecution({
    vod: deps.vod,
    store,
    trail: deps.trail,
    clock,
    logger: deps.logger,
    instanceId: deps.instanceId,
    inFlight,
    events,
    transact,
    settings: deps.execution,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
  const background = (id: string) => {
    execution.run(id).catch((error: unknown) => {
      deps.logger.error(
        { campaign: id, err: errorSummary(error) },
        'campaign run interrupted; the next sweep resumes it',
      );
    });
  };

  const announcementFree = (campaign: Campaign, now: number) =>
    !campaign.announcement ||
    (!campaign.announcement.ref && campaign.announcement.claimedAt <= now - ANNOUNCEMENT_CLAIM_MS);

  return {
    ...createCampaignPlanning(deps),
    ...execution,
    subscribe: (listener) => events.subscribe(listener),
    get: (id) => store.getCampaign(id),
    list: (filter) => store.listCampaigns(filter),
    items: (id, filter) => store.listItems(id, filter),
    counts: (id) => store.countItems(id),
    audit: (id) => deps.trail.listAudit({ requestId: id }),
    idle: () => inFlight.idle(),

    async expireDue() {
      const now = clock.now();
      const due = await store.listCampaigns({ statuses: ['pending'], expiresAtOrBefore: now, limit: 100 });
      let expired = 0;
      for (const campaign of due) {
        const result = await transact(campaign.id, (current) => {
          const stepped = expireCampaign(current, { now, by: SWEEPER });
          return stepped ? { ok: true, ...stepped } : undefined;
        });
        if (result.ok && result.changed) expired += 1;
      }
      return expired;
    },

    async vote(id, approver, decision, reason) {
      const isApprover = await deps.approvers.isApprover(approver);
      const clipped = clipReason(reason);
      const result = await transact(id, (campaign) =>
        voteOnCampaign(campaign, {
          approver,
          decision,
          isApprover,
          now: clock.now(),
          ...(clipped ? { reason: clipped } : {}),
        }),
      );
      if (!result.ok) return result;
      if (result.changed && result.campaign.status === 'approved') background(id);
      return { ok: true, campaign: result.campaign };
    },

    async cancel(id, input) {
      const isApprover = await deps.approvers.isApprover(input.by);
      const clipped = clipReason(input.reason);
      const result = await transact(id, (campaign) =>
        cancelCampaign(campaign, {
          by: input.by,
          isApprover,
          now: clock.now(),
          ...(clipped ? { reason: clipped } : {}),
        }),
      );
      return result.ok ? { ok: true, campaign: result.campaign } : result;
    },

    async pause(id, input) {
      const isApprover = await deps.approvers.isApprover(input.by);
      const clipped = clipReason(input.reason);
      const result = await transact(id, (campaign) =>
        pauseCampaign(campaign, {
          by: input.by,
          isApprover,
          now: clock.now(),
          ...(clipped ? { reason: clipped } : {}),
        }),
      );
      return result.ok ? { ok: true, campaign: result.campaign } : result;
    },

    async resumeRun(id, input) {
      const isApprover = await deps.approvers.isApprover(input.by);
      const result = await transact(id, (campaign) =>
        resumeCampaign(campaign, { by: input.by, isApprover, now: clock.now() }),
      );
      if (!result.ok) return result;
      if (result.changed && input.runHere !== false) background(id);
      return { ok: true, campaign: result.campaign };
    },

    async claimAnnouncement(id) {
      const now = clock.now();
      const result = await transact(id, (campaign) =>
        campaign.status === 'pending' && announcementFree(campaign, now)
          ? {
              ok: true,
              next: { ...campaign, announcement: { claimedAt: now }, version: campaign.version + 1 },
              audit: [],
            }
          : undefined,
      );
      return result.ok && result.changed;
    },

    async recordAnnouncement(id, ref) {
      const result = await transact(id, (campaign) => {
        const announcement = ref
          ? { claimedAt: campaign.announcement?.claimedAt ?? clock.now(), ref }
          : undefined;
        const { announcement: _old, ...rest } = campaign;
        return {
          ok: true,
          next: { ...rest, ...(announcement ? { announcement } : {}), version: campaign.version + 1 },
          audit: [],
        };
      });
      return result.ok ? result.campaign : undefined;
    },

    async awaitingAnnouncement(limit) {
      const now = clock.now();
      const pending = await store.listCampaigns({ statuses: ['pending'], limit: 100 });
      return pending.filter((campaign) => announcementFree(campaign, now)).slice(0, limit);
    },
  };
}
