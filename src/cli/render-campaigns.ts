import type { Campaign } from '../core/campaigns/campaign.js';
import { planFigures } from '../core/campaigns/campaign-figures.js';
import { describeMonthlySaving, type PlanTotals, type Tally } from '../core/campaigns/plan-totals.js';
import { describeRule } from '../core/campaigns/rule-words.js';
import type { PlannedItem } from '../core/campaigns/stream-selection.js';
import { formatBytes, plural } from '../core/format.js';
import type { AuditEntry } from '../core/requests/audit-entry.js';
import { riskText } from '../core/requests/risk.js';
import type { CampaignProgress } from '../core/workflow/campaign-execution.js';
import { renderTable } from './render.js';
import { progressFields, renderProgress } from './render-campaign-run.js';

/** Plain-text rendering of clean-up campaigns for a terminal, and their JSON documents. Pure. */

export interface PlanSummary {
  totals: PlanTotals;
  items: number;
  unreadable: { videos: number; examples: Array<{ videoId: string; reason: string }> };
}

/** The totals, the breakdowns and the saving, as lines. */
export function renderPlanSummary(plan: PlanSummary, pricePerGbMonth: number | undefined): string {
  const { totals } = plan;
  const lines = [
    `Videos scanned   ${totals.videosScanned}` +
      (plan.unreadable.videos > 0 ? ` (+${plan.unreadable.videos} whose streams could not be read)` : ''),
    `Videos matched   ${totals.videosMatched}`,
    `Streams          ${totals.streams} in ${plural(plan.items, 'DeleteStream call')}` +
      ` (at most 20 streams each)`,
    `Storage freed    ${formatBytes(totals.bytes)}` +
      (totals.streamsWithoutSize > 0 ? ` (+${totals.streamsWithoutSize} streams of unknown size)` : ''),
    `Monthly saving   ${saving(totals.bytes, pricePerGbMonth)}`,
  ];
  const held = totals.held.last_playable.streams + totals.held.keep_definition.streams;
  if (held > 0) {
    lines.push(
      `Kept by guards   ${totals.held.last_playable.streams} as a video's last playable stream, ` +
        `${totals.held.keep_definition.streams} as a definition to keep`,
    );
  }
  if (totals.streams > 0) {
    lines.push('', breakdown('DEFINITION', totals.byDefinition), '', breakdown('FORMAT', totals.byFormat));
  }
  for (const example of plan.unreadable.examples.slice(0, 5)) {
    lines.push(`Not read: ${example.videoId}: ${example.reason}`);
  }
  return lines.join('\n');
}

/** A campaign as `cleanup show` prints it. */
export function renderCampaign(
  campaign: Campaign,
  progress: CampaignProgress,
  sample: readonly PlannedItem[],
  trail: readonly AuditEntry[],
  pricePerGbMonth: number | undefined,
): string {
  const lines = [
    `Campaign ${campaign.id}   ${campaign.status.toUpperCase()}` +
      (campaign.region ? `   Region ${campaign.region}` : ''),
    `Requested by ${campaign.requester.displayName} (${campaign.requester.source}) at ${iso(campaign.createdAt)}`,
    `Reason: ${campaign.reason}`,
    ...(campaign.expiresAt ? [`Awaits approval until ${iso(campaign.expiresAt)}`] : []),
    `Approvals: ${campaign.votes.filter((v) => v.decision === 'approve').length} of ${campaign.requiredApprovals}` +
      (campaign.risks?.length
        ? ` (high risk: ${campaign.risks.map((r) => riskText(r, campaign.largeAbove)).join('; ')})`
        : ''),
    ...(campaign.plan.digest ? [`Items digest (SHA-256): ${campaign.plan.digest}`] : []),
    ...(campaign.decision
      ? [
          `${campaign.decision.outcome} by ${campaign.decision.by?.displayName ?? 'vod-ops'} at ${iso(campaign.decision.at)}` +
            (campaign.decision.reason ? `: ${campaign.decision.reason}` : ''),
        ]
      : []),
    ...(campaign.execution
      ? [
          `Execution started ${iso(campaign.execution.startedAt)}` +
            (campaign.execution.finishedAt ? `, finished ${iso(campaign.execution.finishedAt)}` : ''),
          `Progress: ${renderProgress(progress)}`,
        ]
      : []),
    ...(campaign.paused
      ? [
          `Paused by ${campaign.paused.by.displayName} at ${iso(campaign.paused.at)}` +
            (campaign.paused.reason ? `: ${campaign.paused.reason}` : ''),
        ]
      : []),
    '',
    'Rule:',
    ...describeRule(campaign.rule).map((line) => `  ${line}`),
    '',
    renderPlanSummary(campaign.plan, pricePerGbMonth),
    '',
    `Items: ${
      Object.entries(progress.counts)
        .filter(([, c]) => c.items > 0)
        .map(([status, c]) => `${c.items} ${status}`)
        .join(', ') || 'none'
    }`,
  ];
  if (sample.length > 0) lines.push('', renderItemTable(sample));
  if (trail.length > 0) {
    lines.push('', 'Audit trail:');
    for (const entry of trail) lines.push(`  ${iso(entry.at)}  ${entry.type}  ${entry.actor.displayName}`);
  }
  return lines.join('\n');
}

export function renderItemTable(items: readonly PlannedItem[]): string {
  return renderTable(
    ['VIDEO', 'STREAMS', 'DEFINITIONS', 'FORMATS', 'SIZE'],
    items.map((item) => [
      item.videoId,
      String(item.jobIds.length),
      distinct(item.streams.map((s) => s.definition)),
      distinct(item.streams.map((s) => s.format)),
      formatBytes(item.bytes),
    ]),
  );
}

export function renderCampaignTable(campaigns: readonly Campaign[]): string {
  if (campaigns.length === 0) return 'No campaigns.';
  return renderTable(
    ['ID', 'STATUS', 'CREATED', 'REQUESTER', 'VIDEOS', 'STREAMS', 'SIZE', 'REASON'],
    campaigns.map((c) => [
      c.id,
      c.status,
      iso(c.createdAt),
      c.requester.displayName,
      String(c.plan.totals.videosMatched),
      String(c.plan.totals.streams),
      formatBytes(c.plan.totals.bytes),
      c.reason.length > 40 ? `${c.reason.slice(0, 39)}…` : c.reason,
    ]),
  );
}

/** The JSON document of a plan: the fields scripts read (`id`, `status`, the totals, `items`) and the rest. */
export function planDocument(
  campaign: {
    id: string | null;
    status: string;
    region?: string;
    expiresAt?: number;
    rule: Campaign['rule'];
    plan: PlanSummary & { digest?: string };
  },
  pricePerGbMonth: number | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: campaign.id,
    status: campaign.status,
    ...(campaign.region ? { region: campaign.region } : {}),
    ...planFigures(campaign.plan, pricePerGbMonth),
    ...(campaign.expiresAt ? { expiresAt: new Date(campaign.expiresAt).toISOString() } : {}),
    ...(campaign.plan.digest ? { digest: campaign.plan.digest } : {}),
    rule: campaign.rule,
    ...extra,
  };
}

/**
 * `cleanup show --json`: the campaign, and where its execution stands under the names scripts read (`itemsDone`:
 * deleted items, `itemsSkipped`, `itemsFailed`, `bytesFreed`: deleted bytes, the rate and time left).
 */
export function showDocument(
  campaign: Campaign,
  progress: CampaignProgress,
  pricePerGbMonth: number | undefined,
): Record<string, unknown> {
  return planDocument(campaign, pricePerGbMonth, {
    ...progressFields(progress),
    ...(campaign.paused ? { paused: campaign.paused } : {}),
    requester: campaign.requester,
    reason: campaign.reason,
    createdAt: new Date(campaign.createdAt).toISOString(),
    ...(campaign.decision ? { decision: campaign.decision } : {}),
  });
}

function saving(bytes: number, pricePerGbMonth: number | undefined): string {
  if (pricePerGbMonth === undefined) return 'set VOD_OPS_STORAGE_PRICE_PER_GB_MONTH to see it (bytes above)';
  return describeMonthlySaving(bytes, pricePerGbMonth);
}

function breakdown(title: string, tallies: Record<string, Tally>): string {
  return renderTable(
    [title, 'STREAMS', 'SIZE'],
    Object.entries(tallies).map(([key, t]) => [key, String(t.streams), formatBytes(t.bytes)]),
  );
}

function distinct(values: readonly string[]): string {
  return [...new Set(values)].join(',');
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
