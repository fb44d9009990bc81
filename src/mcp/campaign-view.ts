import { z } from 'zod';
import type { Campaign, CampaignItem, CampaignStatus, PlanState } from '../core/campaigns/campaign.js';
import { type ItemProgress, type PlanFigures, planFigures } from '../core/campaigns/campaign-figures.js';
import type { PlanTotals } from '../core/campaigns/plan-totals.js';
import { describeRule } from '../core/campaigns/rule-words.js';
import type { SelectionRule } from '../core/campaigns/selection-rule.js';
import type { PlannedItem } from '../core/campaigns/stream-selection.js';
import { riskText } from '../core/requests/risk.js';
import { campaignText, DRY_RUN_TEXT } from './campaign-text.js';

const Tally = z.object({ streams: z.number(), bytes: z.number() });

const Item = z.object({
  videoId: z.string(),
  jobIds: z.array(z.string()).describe('One DeleteStream call: at most 20 job IDs of that video'),
  bytes: z.number(),
  streams: z.array(
    z.object({
      jobId: z.string(),
      definition: z.string(),
      format: z.string(),
      sizeBytes: z.number().optional(),
    }),
  ),
});

/**
 * What a model sees of a clean-up campaign, or of a dry run: one object whose `status` says where it stands and
 * whose `message` says what that means and what to do next. Text that people or Alibaba wrote (a reason, a
 * name, why an item failed) travels only in its own field, clipped, never inside `message`.
 */
export const CampaignView = z.object({
  status: z
    .enum([
      'dry_run',
      'planning',
      'pending_approval',
      'approved',
      'running',
      'paused',
      'completed',
      'rejected',
      'expired',
      'cancelled',
    ])
    .describe(
      'dry_run: counted only, nothing stored; planning: the library is still being walked (or the walk stopped ' +
        'and can be resumed); pending_approval: waiting for people in Slack; expired: nobody decided in time ' +
        '(not a rejection)',
    ),
  id: z.string().optional().describe("vod-ops' own campaign id (cp-…); absent for a dry run"),
  region: z.string().optional().describe('The VOD region whose library the campaign walks and deletes in'),
  message: z.string().describe('What this status means, and what to do next'),
  rule: z.array(z.string()).describe('The rule and its guards in words, one line each; every line holds'),
  reason: z.string().optional().describe("The requester's reason, in their own words"),
  requestedBy: z.string().optional(),
  createdAt: z.string().optional(),
  expiresAt: z.string().optional().describe('ISO time after which, if nobody decided, it reads expired'),
  approvals: z.number().optional(),
  requiredApprovals: z.number().optional(),
  highRisk: z
    .array(z.string())
    .optional()
    .describe('Why this campaign is high risk and so needs more approvals, when it is'),
  decision: z.string().optional().describe('approved, rejected, expired or cancelled'),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  decisionReason: z.string().optional(),
  videosScanned: z.number(),
  videosMatched: z.number(),
  videosUnreadable: z.number().describe('Videos whose streams could not be read'),
  streams: z.number().describe('Streams selected for deletion'),
  bytes: z.number().describe('Their size in bytes'),
  streamsWithoutSize: z
    .number()
    .describe('Selected streams whose size Alibaba did not give: when not 0, bytes is a lower bound'),
  items: z.number().describe('DeleteStream calls it takes: one video and at most 20 streams each'),
  byDefinition: z.record(z.string(), Tally),
  byFormat: z.record(z.string(), Tally),
  heldByGuards: z
    .object({ last_playable: Tally, keep_definition: Tally })
    .describe('Streams the rule matched that a guard keeps'),
  monthlySaving: z
    .number()
    .optional()
    .describe(
      'What deleting `bytes` saves a month, at pricePerGbMonth (GB = 1024³ bytes); only with a price',
    ),
  pricePerGbMonth: z.number().optional().describe('The storage price the operator configured'),
  digest: z.string().optional().describe('SHA-256 of the planned items, which approvers approve'),
  itemsPending: z.number().optional(),
  itemsDone: z.number().optional().describe('Items deleted'),
  itemsSkipped: z.number().optional(),
  itemsFailed: z.number().optional(),
  bytesFreed: z.number().optional(),
  sample: z.array(Item).optional().describe('The first items the plan found'),
  problemItems: z
    .array(
      z.object({
        seq: z.number(),
        videoId: z.string(),
        jobIds: z.array(z.string()),
        status: z.enum(['failed', 'skipped']),
        reason: z.string().optional(),
        alibabaCode: z.string().optional(),
        alibabaRequestId: z.string().optional(),
      }),
    )
    .optional()
    .describe('A few items that failed or were skipped, with why'),
  unreadableExamples: z.array(z.object({ videoId: z.string(), reason: z.string() })).optional(),
});
export type CampaignView = z.infer<typeof CampaignView>;
/** Where a stored campaign stands, as a model reads it. */
export type StoredStatus = Exclude<CampaignView['status'], 'dry_run'>;

const STATUS: Record<CampaignStatus, StoredStatus> = {
  planning: 'planning',
  pending: 'pending_approval',
  approved: 'approved',
  running: 'running',
  paused: 'paused',
  completed: 'completed',
  rejected: 'rejected',
  expired: 'expired',
  cancelled: 'cancelled',
};

/** Examples of unreadable videos shown; the campaign keeps more. */
const UNREADABLE_SHOWN = 5;
/** The longest text from people or Alibaba shown in a field of the view. */
const MAX_TEXT = 300;

export interface PlanOnly {
  rule: SelectionRule;
  region?: string;
  plan: { totals: PlanTotals; items: number; unreadable: PlanState['unreadable'] };
  sample: readonly PlannedItem[];
}

/** A dry run: what the rule would select, with nothing stored. */
export function toDryRunView(preview: PlanOnly, pricePerGbMonth: number | undefined): CampaignView {
  return {
    status: 'dry_run',
    ...(preview.region ? { region: preview.region } : {}),
    message: DRY_RUN_TEXT,
    rule: describeRule(preview.rule),
    ...figures(preview.plan, pricePerGbMonth),
    sample: preview.sample.map(item),
  };
}

/** A stored campaign, with what its items have come to and a few of them, as the caller read them. */
export function toCampaignView(
  campaign: Campaign,
  extras: {
    now: number;
    pricePerGbMonth: number | undefined;
    progress?: ItemProgress;
    sample?: readonly PlannedItem[];
    problems?: readonly CampaignItem[];
  },
): CampaignView {
  const { now } = extras;
  const expiredUnswept =
    campaign.status === 'pending' && campaign.expiresAt !== undefined && now >= campaign.expiresAt;
  const status = expiredUnswept ? 'expired' : STATUS[campaign.status];
  const { decision } = campaign;
  return {
    status,
    id: campaign.id,
    ...(campaign.region ? { region: campaign.region } : {}),
    message: campaignText(campaign, status, extras),
    rule: describeRule(campaign.rule),
    reason: clip(campaign.reason),
    requestedBy: who(campaign.requester),
    createdAt: iso(campaign.createdAt),
    ...(campaign.expiresAt === undefined ? {} : { expiresAt: iso(campaign.expiresAt) }),
    approvals: campaign.votes.filter((v) => v.decision === 'approve').length,
    requiredApprovals: campaign.requiredApprovals,
    ...(campaign.risks?.length
      ? { highRisk: campaign.risks.map((r) => riskText(r, campaign.largeAbove)) }
      : {}),
    ...(decision
      ? {
          decision: decision.outcome,
          decidedAt: iso(decision.at),
          ...(decision.by ? { decidedBy: who(decision.by) } : {}),
          ...(decision.reason ? { decisionReason: clip(decision.reason) } : {}),
        }
      : {}),
    ...figures(campaign.plan, extras.pricePerGbMonth),
    ...(campaign.plan.digest ? { digest: campaign.plan.digest } : {}),
    ...extras.progress,
    ...(extras.sample ? { sample: extras.sample.map(item) } : {}),
    ...(extras.problems ? { problemItems: extras.problems.map(problem) } : {}),
  };
}

function figures(
  plan: PlanOnly['plan'],
  pricePerGbMonth: number | undefined,
): PlanFigures & Pick<CampaignView, 'streamsWithoutSize' | 'unreadableExamples'> {
  const examples = plan.unreadable.examples.slice(0, UNREADABLE_SHOWN);
  return {
    ...planFigures(plan, pricePerGbMonth),
    streamsWithoutSize: plan.totals.streamsWithoutSize,
    ...(examples.length > 0
      ? { unreadableExamples: examples.map((e) => ({ videoId: e.videoId, reason: clip(e.reason) })) }
      : {}),
  };
}

function item(planned: PlannedItem): z.infer<typeof Item> {
  return {
    videoId: planned.videoId,
    jobIds: [...planned.jobIds],
    bytes: planned.bytes,
    streams: planned.streams.map((s) => ({ ...s })),
  };
}

function problem(stored: CampaignItem) {
  const { outcome } = stored;
  return {
    seq: stored.seq,
    videoId: stored.videoId,
    jobIds: [...stored.jobIds],
    status: stored.status === 'failed' ? ('failed' as const) : ('skipped' as const),
    ...(outcome?.reason ? { reason: clip(outcome.reason) } : {}),
    ...(outcome?.code ? { alibabaCode: clip(outcome.code) } : {}),
    ...(outcome?.requestId ? { alibabaRequestId: outcome.requestId } : {}),
  };
}

const who = (p: { displayName: string; source: string; id: string }) =>
  clip(`${p.displayName} (${p.source}:${p.id})`);

/** Text others wrote, on one line and at most {@link MAX_TEXT} characters. */
function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT - 1)}…` : line;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
