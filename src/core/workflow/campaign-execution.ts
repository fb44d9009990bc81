import type {
  Campaign,
  CampaignItem,
  CampaignStatus,
  ItemCounts,
  ItemOutcome,
  SettledItemStatus,
} from '../campaigns/campaign.js';
import type { CampaignRefusal } from '../campaigns/campaign-lifecycle.js';
import { cancelCampaign } from '../campaigns/campaign-lifecycle.js';
import { completeCampaign, settleItem, startCampaign } from '../campaigns/campaign-run.js';
import { checkItemStillSafe } from '../campaigns/stream-selection.js';
import type { Clock } from '../clock.js';
import { AppError, errorSummary, summarizeFailure } from '../errors.js';
import type { Logger } from '../logger.js';
import { type Principal, SYSTEM_SOURCE } from '../requests/principal.js';
import type { CampaignStore } from '../store/campaign-store.js';
import type { DeletionStore } from '../store/deletion-store.js';
import { parseJobIds } from '../vod/input-rules.js';
import type { VodApi } from '../vod/vod-api.js';
import type { VodRegions } from '../vod/vod-regions.js';
import type { CampaignEvents, CampaignTransact } from './campaign-events.js';
import { itemsDigest } from './campaign-planning.js';
import type { InFlight } from './in-flight.js';

/** Where a campaign's execution stands: what front ends draw as a progress bar. */
export interface CampaignProgress {
  campaignId: string;
  status: CampaignStatus;
  /** Every planned item, and its bytes. */
  items: number;
  bytes: number;
  counts: ItemCounts;
  /** Items settled per second over the last minute (or since the start, when shorter). */
  ratePerSecond: number;
  /** At that rate, how long the items left take; absent when nothing runs. */
  etaMs?: number;
  startedAt?: number;
  finishedAt?: number;
  at: number;
}

export interface RunOptions {
  /** Called after every settled item, at most every `progressEveryMs` (default 1 s), and once at the end. */
  onProgress?: (progress: CampaignProgress) => void;
  progressEveryMs?: number;
  /** Stops claiming new items; those running finish. */
  signal?: AbortSignal;
  /**
   * Keep waiting while other processes hold the last items, until the campaign is no longer running (the CLI's
   * foreground run). Without it a run ends as soon as nothing is left to claim (a server's background run).
   */
  untilFinished?: boolean;
}

export interface CampaignExecution {
  /** Approved → running, once the stored items hash to the approved digest. */
  start(id: string): Promise<{ ok: true; campaign: Campaign } | { ok: false; refusal: CampaignRefusal }>;
  /** Runs the campaign's items in this process (starting it when approved); resolves with it as stored at the end. */
  run(id: string, options?: RunOptions): Promise<Campaign>;
  /** Starts, in the background, a run of every approved or running campaign this process is not running yet. */
  runDue(): Promise<number>;
  progress(id: string): Promise<CampaignProgress | undefined>;
  /**
   * Stops every run of this process from claiming more items (those running finish, and are recorded): for a
   * shutdown, which then waits only for the items in flight. Other processes, or this one's next start, go on.
   */
  stopRuns(): void;
}

export interface CampaignExecutionDeps {
  vod: VodRegions<VodApi>;
  store: CampaignStore;
  trail: Pick<DeletionStore, 'listAudit' | 'appendAudit'>;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  inFlight: InFlight;
  events: CampaignEvents;
  transact: CampaignTransact;
  settings: {
    /** Items one process runs at once. */
    concurrency: number;
    /** How long a claim on an item stands: longer than its re-read and DeleteStream can take. */
    itemLeaseMs: number;
    /** How often a run with nothing to claim looks again (foreground runs only). */
    pollMs?: number;
  };
  sleep?: (ms: number) => Promise<void>;
}

/** Over how long the rate is measured. */
const RATE_WINDOW_MS = 60_000;
const VIDEO_GONE = new Set(['InvalidVideo.NotFound', 'Forbidden.IllegalStatus']);

/**
 * Runs approved campaigns, item by item, in as many processes as there are: each claims items under leases (see
 * `CampaignStore.claimItems`), re-reads the item's video just before deleting, skips it with a reason when the
 * video changed since the plan (a stream gone, a guard that would now break), and otherwise calls DeleteStream,
 * whose calls every process paces under one account-wide budget. Each outcome and Alibaba RequestId is stored
 * with its audit entry while the claim is still this process's. A process that dies leaves its items to others
 * once their leases run out; a retried item whose streams are all gone was deleted by the attempt that died.
 */
export function createCampaignExecution(deps: CampaignExecutionDeps): CampaignExecution {
  const { store, clock, logger, settings } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const system: Principal = { source: SYSTEM_SOURCE, id: deps.instanceId, displayName: 'vod-ops' };
  /** The campaigns this process runs now: one run each. */
  const running = new Map<string, Promise<Campaign>>();
  const stopping = new AbortController();

  /** The digest recorded when the plan was frozen: from the append-only trail, not the campaign row. */
  async function approvedDigest(id: string): Promise<string | undefined> {
    const entries = await deps.trail.listAudit({ requestId: id });
    const planned = entries.find((entry) => entry.type === 'campaign_planned');
    const digest = planned?.details.digest;
    return typeof digest === 'string' ? digest : undefined;
  }

  async function start(id: string) {
    const campaign = await store.getCampaign(id);
    if (!campaign) return { ok: false as const, refusal: { kind: 'not_found' as const } };
    // Refused before anything is written: a process that cannot reach the campaign's region does not start it.
    deps.vod.in(deps.vod.of(campaign));
    if (campaign.status !== 'approved') {
      return { ok: false as const, refusal: { kind: 'not_running' as const, status: campaign.status } };
    }
    const found = await itemsDigest(store, id, campaign.region);
    const recorded = await approvedDigest(id);
    const result = await deps.transact(id, (current) =>
      startCampaign(current, { found, recorded, now: clock.now(), by: system }),
    );
    if (!result.ok) {
      const { refusal } = result;
      if (refusal.kind === 'items_changed') {
        logger.error({ campaign: id, ...refusal }, 'campaign items do not match the approved digest');
        // Never runnable again: closed, so no sweep retries it, with why in the audit trail.
        const reason =
          `The stored items no longer match what was approved (digest ${refusal.approved.slice(0, 12)}…, ` +
          `found ${refusal.found.slice(0, 12)}…): nothing was run.`;
        await deps.transact(id, (current) =>
          current.status === 'approved'
            ? cancelCampaign(current, { by: system, isApprover: true, reason, now: clock.now() })
            : undefined,
        );
      }
      return { ok: false as const, refusal };
    }
    return { ok: true as const, campaign: result.campaign };
  }

  async function progress(id: string): Promise<CampaignProgress | undefined> {
    const campaign = await store.getCampaign(id);
    if (!campaign) return undefined;
    const now = clock.now();
    const counts = await store.countItems(id);
    const startedAt = campaign.execution?.startedAt;
    const window = startedAt === undefined ? RATE_WINDOW_MS : Math.min(RATE_WINDOW_MS, now - startedAt);
    const recent = startedAt === undefined ? 0 : await store.countSettledSince(id, now - window);
    const ratePerSecond = window > 0 ? (recent * 1000) / window : 0;
    const left = counts.pending.items + counts.running.items;
    const live = campaign.status === 'running' && ratePerSecond > 0 && left > 0;
    return {
      campaignId: id,
      status: campaign.status,
      items: campaign.plan.items,
      bytes: campaign.plan.totals.bytes,
      counts,
      ratePerSecond,
      ...(live ? { etaMs: Math.round((left / ratePerSecond) * 1000) } : {}),
      ...(startedAt === undefined ? {} : { startedAt }),
      ...(campaign.execution?.finishedAt === undefined ? {} : { finishedAt: campaign.execution.finishedAt }),
      at: now,
    };
  }

  /** The outcome of one claimed item: re-read, check, delete. Never throws. */
  async function decide(campaign: Campaign, item: CampaignItem): Promise<Decided> {
    const retried = item.claims > 1;
    const vod = deps.vod.in(deps.vod.of(campaign));
    let streams: Awaited<ReturnType<VodApi['getPlayInfo']>>['streams'];
    try {
      streams = (await vod.getPlayInfo(item.videoId)).streams;
    } catch (error) {
      const failure = summarizeFailure(error, 'GetPlayInfo failed with an unexpected error.');
      if (failure.vodCode && VIDEO_GONE.has(failure.vodCode)) {
        if (retried) return gone(item);
        return {
          status: 'skipped',
          outcome: {
            reason: `The video can no longer be read (${failure.vodCode}): it changed since the plan, so this item was skipped.`,
            code: failure.vodCode,
          },
        };
      }
      return { status: 'failed', outcome: failureOutcome(failure, 'reading the video before deleting') };
    }
    const present = new Set(streams.map((stream) => stream.jobId.toLowerCase()));
    if (retried && item.jobIds.every((jobId) => !present.has(jobId.toLowerCase()))) return gone(item);
    const check = checkItemStillSafe(campaign.rule.guards, item.jobIds, streams);
    if (!check.safe) return { status: 'skipped', outcome: { reason: check.reason } };
    const current = await store.getCampaign(campaign.id);
    if (current?.status !== 'running') return 'released';
    try {
      const outcome = await vod.deleteStream(item.videoId, parseJobIds(item.jobIds), {
        priorAttemptMayHaveApplied: retried,
      });
      return {
        status: 'deleted',
        outcome: {
          requestId: outcome.requestId,
          requestIds: outcome.requestIds,
          ...(outcome.alreadyDeleted ? { alreadyDeleted: true } : {}),
        },
      };
    } catch (error) {
      return {
        status: 'failed',
        outcome: failureOutcome(
          summarizeFailure(error, 'DeleteStream failed with an unexpected error.'),
          'DeleteStream',
        ),
      };
    }
  }

  /** Runs one claimed item and stores its outcome while the claim is ours; never throws. */
  async function runItem(campaign: Campaign, item: CampaignItem): Promise<void> {
    const claim = { owner: deps.instanceId, claims: item.claims };
    try {
      const decided = await decide(campaign, item);
      if (decided === 'released') {
        await store.releaseItem(item, claim);
        return;
      }
      const { next, audit } = settleItem(item, {
        status: decided.status,
        outcome: { ...decided.outcome, by: deps.instanceId },
        now: clock.now(),
        by: system,
      });
      const entries = [audit];
      if (await store.settleItem(next, claim, entries)) {
        deps.events.item(next, entries);
        return;
      }
      // Our lease ran out and another process took the item over: its outcome is theirs to store, but what this
      // process did (and Alibaba's RequestId) still goes into the audit trail.
      await deps.trail.appendAudit(
        entries.map((e) => ({ ...e, details: { ...e.details, superseded: true } })),
      );
      logger.warn(
        { campaign: item.campaignId, seq: item.seq },
        'item outcome recorded in the audit trail only: another process had taken it over',
      );
    } catch (error) {
      // The store failed: the item stays running under our lease, and is retried by whoever claims it next.
      logger.error(
        { campaign: item.campaignId, seq: item.seq, err: errorSummary(error) },
        'item outcome not stored; it will be retried once its lease runs out',
      );
    }
  }

  async function finishIfDone(id: string): Promise<Campaign | undefined> {
    const counts = await store.countItems(id);
    const result = await deps.transact(id, (current) =>
      completeCampaign(current, { counts, now: clock.now(), by: system }),
    );
    return result.ok ? result.campaign : undefined;
  }

  async function runOnce(id: string, options: RunOptions): Promise<Campaign> {
    let campaign = await store.getCampaign(id);
    if (!campaign) throw new AppError('NOT_FOUND', `No campaign ${id}.`);
    // A process that does not serve the campaign's region claims none of its items (another one may serve it).
    deps.vod.in(deps.vod.of(campaign));
    if (campaign.status === 'approved') {
      const started = await start(id);
      campaign = started.ok ? started.campaign : ((await store.getCampaign(id)) ?? campaign);
    }
    const active = new Set<Promise<void>>();
    const every = options.progressEveryMs ?? 1000;
    let reported = 0;
    const report = async (force: boolean) => {
      if (!options.onProgress || (!force && clock.now() - reported < every)) return;
      reported = clock.now();
      const now = await progress(id);
      if (now) options.onProgress(now);
    };
    while (campaign.status === 'running' && !options.signal?.aborted) {
      if (active.size <= settings.concurrency / 2) {
        const now = clock.now();
        const claimed = await store.claimItems(id, {
          owner: deps.instanceId,
          now,
          leaseUntil: now + settings.itemLeaseMs,
          limit: settings.concurrency - active.size,
        });
        for (const item of claimed) {
          const task: Promise<void> = runItem(campaign, item).finally(() => {
            active.delete(task);
            void report(false);
          });
          active.add(task);
        }
        if (claimed.length === 0 && active.size === 0) {
          const finished = await finishIfDone(id);
          campaign = finished ?? (await store.getCampaign(id)) ?? campaign;
          if (campaign.status !== 'running' || !options.untilFinished) break;
          // Other processes hold the last items: look again after a while (their leases may run out).
          await sleep(settings.pollMs ?? 1000);
          continue;
        }
      }
      // No re-read of the campaign here: a claim takes nothing once it stops running, and the loop then sees its
      // status when the last item in flight is done; each item checks it before its DeleteStream.
      if (active.size > 0) await Promise.race(active);
    }
    await Promise.all(active);
    if (campaign.status === 'running') campaign = (await finishIfDone(id)) ?? campaign;
    await report(true);
    return (await store.getCampaign(id)) ?? campaign;
  }

  function run(id: string, options: RunOptions = {}): Promise<Campaign> {
    const existing = running.get(id);
    if (existing && !options.untilFinished) return existing;
    const signal = options.signal ? AbortSignal.any([options.signal, stopping.signal]) : stopping.signal;
    const task = deps.inFlight.track(runOnce(id, { ...options, signal })).finally(() => {
      if (running.get(id) === task) running.delete(id);
    });
    running.set(id, task);
    return task;
  }

  return {
    start,
    run,
    progress,
    stopRuns: () => stopping.abort(),
    async runDue() {
      if (stopping.signal.aborted) return 0;
      const due = await store.listCampaigns({ statuses: ['approved', 'running'], limit: 100 });
      let started = 0;
      for (const campaign of due) {
        if (running.has(campaign.id) || !deps.vod.names.includes(deps.vod.of(campaign))) continue;
        started += 1;
        run(campaign.id).catch((error: unknown) =>
          logger.error(
            { campaign: campaign.id, err: errorSummary(error) },
            'campaign run interrupted; the next sweep resumes it',
          ),
        );
      }
      return started;
    },
  };
}

type Decided = { status: SettledItemStatus; outcome: Omit<ItemOutcome, 'at'> } | 'released';

/** Every stream of a retried item is gone: the attempt that died deleted them before it could say so. */
function gone(item: CampaignItem): Decided {
  return {
    status: 'deleted',
    outcome: {
      alreadyDeleted: true,
      reason: `Found gone when retried (claim ${item.claims}): deleted by an earlier attempt whose process stopped before recording it.`,
    },
  };
}

function failureOutcome(failure: ReturnType<typeof summarizeFailure>, what: string): Omit<ItemOutcome, 'at'> {
  return {
    reason: `${what} failed: ${failure.message}`,
    code: failure.vodCode ?? failure.code,
    ...(failure.requestId ? { requestId: failure.requestId } : {}),
    ...(failure.requestIds ? { requestIds: failure.requestIds } : {}),
  };
}
