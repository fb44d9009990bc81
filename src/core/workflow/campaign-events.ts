import type { Campaign, CampaignItem } from '../campaigns/campaign.js';
import type { CampaignStep } from '../campaigns/campaign-lifecycle.js';
import { AppError, errorSummary } from '../errors.js';
import type { Logger } from '../logger.js';
import { type AuditEntry, type CampaignEventType, isCampaignEvent } from '../requests/audit-entry.js';
import type { CampaignStore } from '../store/campaign-store.js';

/** Something that happened to a campaign, or to one of its items, after it was stored: what front ends follow. */
export type CampaignEvent =
  | { kind: 'campaign'; type: CampaignEventType; campaign: Campaign; entry: AuditEntry }
  | { kind: 'item'; type: CampaignEventType; campaignId: string; item: CampaignItem; entry: AuditEntry };

export type CampaignListener = (event: CampaignEvent) => void | Promise<void>;

/**
 * Fan-out of campaign events to this process's subscribers. A listener that throws is logged and never disturbs
 * the workflow. Events are emitted by the process that stored the change.
 */
export interface CampaignEvents {
  subscribe(listener: CampaignListener): () => void;
  campaign(campaign: Campaign, entries: readonly AuditEntry[]): void;
  item(item: CampaignItem, entries: readonly AuditEntry[]): void;
}

export function createCampaignEvents(logger: Logger): CampaignEvents {
  const listeners = new Set<CampaignListener>();
  const emit = (event: CampaignEvent) => {
    for (const listener of listeners) {
      const failed = (error: unknown) =>
        logger.error({ event: event.type, err: errorSummary(error) }, 'campaign listener failed');
      try {
        Promise.resolve(listener(event)).catch(failed);
      } catch (error) {
        failed(error);
      }
    }
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    campaign(campaign, entries) {
      for (const entry of entries) {
        if (isCampaignEvent(entry.type)) emit({ kind: 'campaign', type: entry.type, campaign, entry });
      }
    },
    item(item, entries) {
      for (const entry of entries) {
        if (isCampaignEvent(entry.type)) {
          emit({ kind: 'item', type: entry.type, campaignId: item.campaignId, item, entry });
        }
      }
    },
  };
}

export type CampaignTransactResult =
  | { ok: true; campaign: Campaign; changed: boolean }
  | { ok: false; refusal: Extract<CampaignStep, { ok: false }>['refusal']; campaign?: Campaign };

const MAX_CAS_ROUNDS = 20;

/**
 * Applies a decision about one campaign: re-reads it, decides (a step, a refusal, or nothing to do), and stores
 * the step with a compare-and-set on `version` until it applies or is refused; events follow every stored step.
 * A planner writing pages, or executors settling items, never make a person's decision fail: it is retried.
 */
export function createCampaignTransact(store: CampaignStore, events: CampaignEvents) {
  return async (
    id: string,
    decide: (campaign: Campaign) => CampaignStep | undefined,
  ): Promise<CampaignTransactResult> => {
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const current = await store.getCampaign(id);
      if (!current) return { ok: false, refusal: { kind: 'not_found' } };
      const decided = decide(current);
      if (decided === undefined) return { ok: true, campaign: current, changed: false };
      if (!decided.ok) return { ok: false, refusal: decided.refusal, campaign: current };
      if (await store.updateCampaign(decided.next, current.version, decided.audit)) {
        events.campaign(decided.next, decided.audit);
        return { ok: true, campaign: decided.next, changed: true };
      }
    }
    throw new AppError('CONFLICT', `Campaign ${id} is being changed by too many actions at once; try again.`);
  };
}

export type CampaignTransact = ReturnType<typeof createCampaignTransact>;
