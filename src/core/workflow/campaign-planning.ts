import { createHash } from 'node:crypto';
import type { Campaign, CampaignItem, PlanState } from '../campaigns/campaign.js';
import {
  type CampaignRefusal,
  claimPlanning,
  completePlan,
  newCampaign,
  recordPlanPage,
  releasePlanning,
} from '../campaigns/campaign-lifecycle.js';
import {
  addVideoToTotals,
  emptyPlanTotals,
  type PlanTotals,
  restorePlanTotals,
} from '../campaigns/plan-totals.js';
import type { SelectionRule } from '../campaigns/selection-rule.js';
import { itemsFor, type PlannedItem, selectStreams } from '../campaigns/stream-selection.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Principal } from '../requests/principal.js';
import { SYSTEM_SOURCE } from '../requests/principal.js';
import type { CampaignStore } from '../store/campaign-store.js';
import type { VodReader } from '../vod/vod-api.js';
import type { VodRegions } from '../vod/vod-regions.js';
import { type WalkPage, type WalkPosition, walkLibrary } from './library-walk.js';

/** A plan's progress, after each page of the walk. */
export interface PlanProgress {
  /** The campaign being planned; absent in a preview. */
  campaignId?: string;
  totals: PlanTotals;
  items: number;
  unreadable: number;
}

export interface PlanPreview {
  totals: PlanTotals;
  items: number;
  unreadable: PlanState['unreadable'];
  /** The first items found, as a sample of what the campaign would delete. */
  sample: PlannedItem[];
}

/**
 * Library-wide clean-up, its first half: walking the library by a rule into a campaign of items, stored as they
 * are found, then frozen for approval. Approval and execution come after (see `Campaign`).
 */
export interface CampaignPlanning {
  /**
   * Creates a campaign and plans it to the end; returns it awaiting approval (`pending`). When `signal` aborts,
   * the plan stops after the page it is on is stored and returns the campaign still `planning`, its claim given
   * up so that `resume` can continue it at once.
   */
  plan(
    input: CampaignInput,
    onProgress?: (progress: PlanProgress) => void,
    signal?: AbortSignal,
  ): Promise<Campaign>;
  /**
   * Continues the plan of a campaign still `planning` whose planner stopped (its claim ran out), from where it
   * stopped. A refusal when it is not planning, or another process is planning it.
   */
  resume(
    id: string,
    onProgress?: (progress: PlanProgress) => void,
  ): Promise<{ ok: true; campaign: Campaign } | { ok: false; refusal: CampaignRefusal }>;
  /**
   * The same walk with nothing stored, in `region` (the home region when absent): the totals and a sample. When
   * `signal` aborts, the walk stops after the page it is on and the preview rejects with the signal's reason.
   */
  preview(
    rule: SelectionRule,
    onProgress?: (progress: PlanProgress) => void,
    signal?: AbortSignal,
    region?: string,
  ): Promise<PlanPreview>;
}

/** What a new campaign is made of: its rule, the region it walks (the home region when absent), why and by whom. */
export interface CampaignInput {
  rule: SelectionRule;
  region?: string;
  reason: string;
  requester: Principal;
}

export interface CampaignPlanningDeps {
  vod: VodRegions<VodReader>;
  store: CampaignStore;
  clock: Clock;
  logger: Logger;
  newCampaignId: () => string;
  /** This process, as the owner of the plans it makes. */
  instanceId: string;
  settings: {
    approvalTtlMs: number;
    requiredApprovals: number;
    /** High-risk campaigns' approvals and what size is large; default: no stricter rule. */
    highRiskApprovals?: number;
    largeCampaignBytes?: number;
  };
}

/** How long a planner's claim stands without a page written; each page renews it. */
export const PLAN_LEASE_MS = 2 * 60_000;
/** Examples of unreadable videos kept on the campaign. */
const UNREADABLE_EXAMPLES = 20;
const SAMPLE_ITEMS = 10;
/** Items read at a time to compute the digest. */
const DIGEST_PAGE = 2000;

const PLANNER: Principal = { source: SYSTEM_SOURCE, id: 'planner', displayName: 'vod-ops planner' };

export function createCampaignPlanning(deps: CampaignPlanningDeps): CampaignPlanning {
  const { store, clock } = deps;

  /**
   * Walks from the campaign's position, storing each page's items with its progress, then completes the plan;
   * or stops after a page, when `signal` aborts.
   */
  const run = async (
    start: Campaign,
    onProgress?: (progress: PlanProgress) => void,
    signal?: AbortSignal,
  ): Promise<Campaign> => {
    let campaign = start;
    const position: WalkPosition = {
      ...(campaign.plan.resumeFrom ? { resumeFrom: campaign.plan.resumeFrom } : {}),
      ...(campaign.plan.videosDone !== undefined ? { videosDone: campaign.plan.videosDone } : {}),
    };
    const vod = deps.vod.in(deps.vod.of(campaign));
    for await (const page of walkLibrary(vod, campaign.rule, position)) {
      const found = tally(campaign.rule, page, {
        totals: campaign.plan.totals,
        items: campaign.plan.items,
        unreadable: campaign.plan.unreadable,
      });
      const items: CampaignItem[] = found.planned.map((item, i) => ({
        ...item,
        campaignId: campaign.id,
        seq: campaign.plan.items + i + 1,
        status: 'pending',
        claims: 0,
      }));
      const next = recordPlanPage(campaign, {
        totals: found.totals,
        items: found.items,
        unreadable: found.unreadable,
        ...page.position,
        leaseUntil: clock.now() + PLAN_LEASE_MS,
      });
      if (!(await store.updateCampaign(next, campaign.version, [], items))) {
        throw new AppError(
          'CONFLICT',
          `Campaign ${campaign.id} was changed by another process while this one planned it (cancelled, or taken ` +
            'over after this process stalled): this process stopped planning it.',
        );
      }
      campaign = next;
      onProgress?.({
        campaignId: campaign.id,
        totals: found.totals,
        items: found.items,
        unreadable: found.unreadable.videos,
      });
      if (signal?.aborted) return stopPlanning(campaign);
    }
    const digest = await itemsDigest(store, campaign.id, campaign.region);
    const { requiredApprovals, highRiskApprovals, largeCampaignBytes } = deps.settings;
    const completed = completePlan(campaign, {
      digest,
      now: clock.now(),
      approvalTtlMs: deps.settings.approvalTtlMs,
      by: PLANNER,
      policy: {
        requiredApprovals,
        highRiskApprovals: highRiskApprovals ?? requiredApprovals,
        ...(largeCampaignBytes === undefined ? {} : { largeCampaignBytes }),
      },
    });
    if (!completed.ok || !(await store.updateCampaign(completed.next, campaign.version, completed.audit))) {
      throw new AppError(
        'CONFLICT',
        `Campaign ${campaign.id} was changed by another process as its plan completed: see vod-ops cleanup show.`,
      );
    }
    deps.logger.info(
      { campaign: campaign.id, items: completed.next.plan.items, bytes: completed.next.plan.totals.bytes },
      'campaign planned: awaiting approval',
    );
    return completed.next;
  };

  /** Stopped on request between pages: the campaign stays planning where it is, and nobody holds its plan. */
  const stopPlanning = async (campaign: Campaign): Promise<Campaign> => {
    const released = releasePlanning(campaign);
    if (!(await store.updateCampaign(released, campaign.version, []))) {
      // Cancelled (or taken over) meanwhile: what the store holds now is the answer.
      return (await store.getCampaign(campaign.id)) ?? campaign;
    }
    deps.logger.info(
      {
        campaign: campaign.id,
        items: campaign.plan.items,
        videosScanned: campaign.plan.totals.videosScanned,
      },
      'campaign planning stopped on request: it stays planning and can be resumed',
    );
    return released;
  };

  return {
    async plan(input, onProgress, signal) {
      const region = input.region ?? deps.vod.home;
      deps.vod.in(region); // a region this deployment does not serve is refused before anything is stored
      const { campaign, audit } = newCampaign({
        id: deps.newCampaignId(),
        rule: input.rule,
        region,
        reason: input.reason,
        requester: input.requester,
        requiredApprovals: deps.settings.requiredApprovals,
        owner: deps.instanceId,
        leaseMs: PLAN_LEASE_MS,
        now: clock.now(),
      });
      await store.insertCampaign(campaign, audit);
      return run(campaign, onProgress, signal).catch((error: unknown) => {
        throw stoppedPlanning(campaign.id, error);
      });
    },

    async resume(id, onProgress) {
      const stored = await store.getCampaign(id);
      if (stored === undefined) throw new AppError('NOT_FOUND', `No campaign ${id}.`);
      // Refused before the plan is claimed: this process cannot walk a region it does not serve.
      deps.vod.in(deps.vod.of(stored));
      const claimed = claimPlanning(stored, {
        owner: deps.instanceId,
        leaseMs: PLAN_LEASE_MS,
        now: clock.now(),
      });
      if (!claimed.ok) return claimed;
      if (!(await store.updateCampaign(claimed.next, stored.version, claimed.audit))) {
        throw new AppError(
          'CONFLICT',
          `Campaign ${id} changed as this process took its plan over: try again.`,
        );
      }
      // The totals saved with the last page are checked before they are added to.
      const plan = { ...claimed.next.plan, totals: restorePlanTotals(claimed.next.plan.totals) };
      const campaign = await run({ ...claimed.next, plan }, onProgress).catch((error: unknown) => {
        throw stoppedPlanning(id, error);
      });
      return { ok: true, campaign };
    },

    async preview(rule, onProgress, signal, region) {
      const vod = deps.vod.in(region ?? deps.vod.home);
      let state = {
        totals: emptyPlanTotals(),
        items: 0,
        unreadable: { videos: 0, examples: [] } as PlanState['unreadable'],
      };
      const sample: PlannedItem[] = [];
      for await (const page of walkLibrary(vod, rule, {})) {
        const found = tally(rule, page, state);
        sample.push(...found.planned.slice(0, SAMPLE_ITEMS - sample.length));
        state = { totals: found.totals, items: found.items, unreadable: found.unreadable };
        onProgress?.({ totals: state.totals, items: state.items, unreadable: state.unreadable.videos });
        signal?.throwIfAborted();
      }
      return { ...state, sample };
    },
  };
}

/**
 * A plan that stopped keeps what it stored; the error says which campaign, so that its plan can be resumed. An
 * error that is not an AppError (a bug) passes on as it is, for the edge to log.
 */
function stoppedPlanning(campaignId: string, error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  return new AppError(
    error.code,
    `Campaign ${campaignId} stopped planning: ${error.message} What it planned so far is kept; its plan can be resumed.`,
    { detail: { ...error.detail, campaignId }, cause: error },
  );
}

/** A page's videos applied to the rule: their items, and the totals with them counted. */
function tally(
  rule: SelectionRule,
  page: WalkPage,
  before: { totals: PlanTotals; items: number; unreadable: PlanState['unreadable'] },
) {
  let totals = before.totals;
  const unreadable = { videos: before.unreadable.videos, examples: [...before.unreadable.examples] };
  const planned: PlannedItem[] = [];
  for (const video of page.videos) {
    if ('unreadable' in video) {
      unreadable.videos += 1;
      if (unreadable.examples.length < UNREADABLE_EXAMPLES) {
        unreadable.examples.push({ videoId: video.videoId, reason: video.unreadable });
      }
      continue;
    }
    const selection = selectStreams(rule, video.streams);
    totals = addVideoToTotals(totals, selection);
    planned.push(...itemsFor(video.videoId, selection.selected));
  }
  return { totals, items: before.items + planned.length, unreadable, planned };
}

/**
 * SHA-256 over the campaign's region (a first line `region <id>`, for campaigns that record one) and every item in
 * order, one line each (`seq videoId jobIds bytes`): what approvers approve, and what execution checks it runs.
 * The region is in it because the same items deleted in another region would be other videos' streams.
 */
export async function itemsDigest(
  store: CampaignStore,
  campaignId: string,
  region: string | undefined,
): Promise<string> {
  const hash = createHash('sha256');
  if (region !== undefined) hash.update(`region ${region}\n`);
  let afterSeq = 0;
  for (;;) {
    const items = await store.listItems(campaignId, { afterSeq, limit: DIGEST_PAGE });
    for (const item of items)
      hash.update(`${item.seq} ${item.videoId} ${item.jobIds.join(',')} ${item.bytes}\n`);
    if (items.length < DIGEST_PAGE) return hash.digest('hex');
    afterSeq = items.at(-1)?.seq ?? afterSeq;
  }
}
