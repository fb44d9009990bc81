import type { AuditEntry } from '../requests/audit-entry.js';
import { type Principal, samePrincipal } from '../requests/principal.js';
import type { Campaign, CampaignItem, ItemCounts, ItemOutcome, SettledItemStatus } from './campaign.js';
import type { CampaignStep } from './campaign-lifecycle.js';
import { entry, step } from './campaign-step.js';

/**
 * The execution part of a campaign's lifecycle, as pure functions:
 *
 *   approved ─start (items match the approved digest)→ running ─no item left→ completed
 *   running ─pause→ paused ─resume→ running          approved | running | paused ─cancel→ cancelled
 *
 * Items run only while their campaign is `running` (the store's claim checks it); pausing stops new items from
 * starting, and the items already running finish.
 */

/**
 * Starts an approved campaign, once its items as stored were found to hash (`found`) to the digest recorded when
 * its plan was frozen (`recorded`, read from the append-only audit trail), which must also be the campaign's own.
 * Any difference is refused: nothing that was not approved runs.
 */
export function startCampaign(
  campaign: Campaign,
  input: { found: string; recorded: string | undefined; now: number; by: Principal },
): CampaignStep {
  if (campaign.status !== 'approved') {
    return { ok: false, refusal: { kind: 'not_running', status: campaign.status } };
  }
  const approved = input.recorded ?? '';
  if (approved === '' || input.found !== approved || campaign.plan.digest !== approved) {
    return { ok: false, refusal: { kind: 'items_changed', approved, found: input.found } };
  }
  const next = step(campaign, {
    status: 'running',
    execution: { startedAt: input.now, digest: approved },
  });
  return {
    ok: true,
    next,
    audit: [
      entry(
        campaign,
        input.now,
        input.by,
      )('campaign_started', { digest: approved, items: campaign.plan.items }),
    ],
  };
}

/** Whether `by` may pause, resume or cancel: the campaign's requester, or an approver. */
function mayControl(campaign: Campaign, by: Principal, isApprover: boolean): boolean {
  return isApprover || samePrincipal(by, campaign.requester);
}

/** The requester or an approver pauses a running campaign, or an approved one before it starts. */
export function pauseCampaign(
  campaign: Campaign,
  input: { by: Principal; isApprover: boolean; reason?: string; now: number },
): CampaignStep {
  const from = campaign.status;
  if (from !== 'running' && from !== 'approved') {
    return { ok: false, refusal: { kind: 'not_running', status: from } };
  }
  if (!mayControl(campaign, input.by, input.isApprover)) {
    return { ok: false, refusal: { kind: 'not_allowed_to_control' } };
  }
  const next = step(campaign, {
    status: 'paused',
    paused: { at: input.now, by: input.by, from, ...(input.reason ? { reason: input.reason } : {}) },
  });
  return {
    ok: true,
    next,
    audit: [entry(campaign, input.now, input.by)('campaign_paused', { reason: input.reason, from })],
  };
}

/**
 * The requester or an approver resumes a paused campaign, to where it was: running, or approved (so that its
 * start still checks the digest).
 */
export function resumeCampaign(
  campaign: Campaign,
  input: { by: Principal; isApprover: boolean; now: number },
): CampaignStep {
  if (campaign.status !== 'paused') {
    return { ok: false, refusal: { kind: 'not_paused', status: campaign.status } };
  }
  if (!mayControl(campaign, input.by, input.isApprover)) {
    return { ok: false, refusal: { kind: 'not_allowed_to_control' } };
  }
  const { paused, ...rest } = campaign;
  const next = step(rest, { status: paused?.from ?? 'running' });
  return {
    ok: true,
    next,
    audit: [
      entry(
        campaign,
        input.now,
        input.by,
      )('campaign_resumed', {
        to: next.status,
        pausedFor: paused ? input.now - paused.at : undefined,
      }),
    ],
  };
}

/** A running campaign with no item pending or running is complete; its counts go into the audit trail. */
export function completeCampaign(
  campaign: Campaign,
  input: { counts: ItemCounts; now: number; by: Principal },
): CampaignStep | undefined {
  const { counts } = input;
  if (campaign.status !== 'running' || counts.pending.items + counts.running.items > 0) return undefined;
  const execution = campaign.execution ?? { startedAt: input.now, digest: campaign.plan.digest ?? '' };
  const next = step(campaign, { status: 'completed', execution: { ...execution, finishedAt: input.now } });
  return {
    ok: true,
    next,
    audit: [
      entry(
        campaign,
        input.now,
        input.by,
      )('campaign_completed', {
        deleted: counts.deleted.items,
        skipped: counts.skipped.items,
        failed: counts.failed.items,
        bytesFreed: counts.deleted.bytes,
      }),
    ],
  };
}

/** An item's outcome, as stored, with its audit entry (Alibaba's RequestId in `details.requestId`). */
export function settleItem(
  item: CampaignItem,
  input: { status: SettledItemStatus; outcome: Omit<ItemOutcome, 'at'>; now: number; by: Principal },
): { next: CampaignItem; audit: AuditEntry } {
  const outcome: ItemOutcome = { ...input.outcome, at: input.now };
  const { owner: _owner, leaseUntil: _lease, ...rest } = item;
  const next: CampaignItem = { ...rest, status: input.status, outcome };
  const audit = entry(
    { id: item.campaignId },
    input.now,
    input.by,
    item.videoId,
  )(`item_${input.status}`, {
    seq: item.seq,
    jobIds: item.jobIds,
    bytes: item.bytes,
    claims: item.claims,
    requestId: outcome.requestId,
    requestIds: outcome.requestIds,
    alreadyDeleted: outcome.alreadyDeleted,
    code: outcome.code,
    reason: outcome.reason,
  });
  return { next, audit };
}
