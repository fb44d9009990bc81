import { itemProgress } from '../core/campaigns/campaign-figures.js';
import { formatBytes, formatDuration, plural } from '../core/format.js';
import type { CampaignProgress } from '../core/workflow/campaign-execution.js';
import type { CampaignReport, OutcomeGroup } from '../core/workflow/campaign-report.js';
import { renderTable } from './render.js';

/** A campaign's execution as people and scripts read it: its progress and its report. Pure. */

/**
 * Where execution stands, under the names every front end uses (`itemProgress`: `itemsDone` deleted, `itemsSkipped`,
 * `itemsFailed`, `itemsPending`, `bytesFreed` deleted bytes), with the rate and time left. Shared by `show --json`,
 * the JSON lines of `run` and `report --json`.
 */
export function progressFields(progress: CampaignProgress): Record<string, unknown> {
  const { counts } = progress;
  return {
    ...itemProgress(counts),
    itemsRunning: counts.running.items,
    itemsSettled: settled(progress),
    ratePerSecond: round2(progress.ratePerSecond),
    ...(progress.etaMs === undefined ? {} : { etaMs: progress.etaMs }),
    ...(progress.startedAt === undefined ? {} : { startedAt: isoMs(progress.startedAt) }),
    ...(progress.finishedAt === undefined ? {} : { finishedAt: isoMs(progress.finishedAt) }),
  };
}

/** One JSON line of `cleanup run` when nobody watches a terminal. */
export function progressLine(progress: CampaignProgress): Record<string, unknown> {
  return {
    type: 'progress',
    id: progress.campaignId,
    status: progress.status,
    items: progress.items,
    bytes: progress.bytes,
    ...progressFields(progress),
    at: isoMs(progress.at),
  };
}

/** `12 of 40 items settled: 10 deleted, 1 skipped, 1 failed; 1.20 GiB freed; 3.1 items/s, about 0m09s left`. */
export function renderProgress(progress: CampaignProgress): string {
  const { counts } = progress;
  const left = progress.etaMs === undefined ? '' : `, about ${formatDuration(progress.etaMs / 1000)} left`;
  const pace = progress.ratePerSecond > 0 ? `; ${progress.ratePerSecond.toFixed(1)} items/s${left}` : '';
  return (
    `${settled(progress)} of ${plural(progress.items, 'item')} settled: ${counts.deleted.items} deleted, ` +
    `${counts.skipped.items} skipped, ${counts.failed.items} failed; ${formatBytes(counts.deleted.bytes)} freed` +
    pace
  );
}

/** `cleanup report --json`, and the last JSON line of `cleanup run` (with `type: 'report'`). */
export function reportDocument(report: CampaignReport, progress: CampaignProgress): Record<string, unknown> {
  const { campaign, counts } = report;
  return {
    id: campaign.id,
    status: campaign.status,
    items: campaign.plan.items,
    bytes: campaign.plan.totals.bytes,
    ...progressFields(progress),
    counts,
    failures: report.failures.map(groupDocument('code')),
    skipped: report.skipped.map(groupDocument('reason')),
    ...(campaign.paused ? { paused: campaign.paused } : {}),
    ...(campaign.decision ? { decision: campaign.decision } : {}),
  };
}

/** The report as a person reads it: counts and bytes by status, then failures by code and skips by reason. */
export function renderReport(report: CampaignReport): string {
  const { campaign, counts } = report;
  const execution = campaign.execution;
  const lines = [
    `Campaign ${campaign.id}   ${campaign.status.toUpperCase()}`,
    ...(execution
      ? [
          `Started ${isoMs(execution.startedAt)}` +
            (execution.finishedAt ? `, finished ${isoMs(execution.finishedAt)}` : ''),
        ]
      : ['Not started.']),
    ...(campaign.paused
      ? [
          `Paused by ${campaign.paused.by.displayName} at ${isoMs(campaign.paused.at)}` +
            (campaign.paused.reason ? `: ${campaign.paused.reason}` : ''),
        ]
      : []),
    '',
    renderTable(
      ['ITEMS', 'COUNT', 'SIZE'],
      (['deleted', 'skipped', 'failed', 'running', 'pending'] as const).map((status) => [
        status,
        String(counts[status].items),
        formatBytes(counts[status].bytes),
      ]),
    ),
    '',
    `Storage freed    ${formatBytes(report.bytesFreed)} (${plural(counts.deleted.items, 'item')} deleted)`,
  ];
  if (report.failures.length > 0) {
    lines.push('', 'Failures, by Alibaba error code:');
    for (const group of report.failures) lines.push(...renderGroup(group, true));
  }
  if (report.skipped.length > 0) {
    lines.push('', 'Skipped, by reason:');
    for (const group of report.skipped) lines.push(...renderGroup(group, false));
  }
  return lines.join('\n');
}

function renderGroup(group: OutcomeGroup, failure: boolean): string[] {
  return [
    `  ${group.key}: ${plural(group.items, 'item')} (${formatBytes(group.bytes)})`,
    ...group.examples.map(
      (e) =>
        `    #${e.seq} ${e.videoId}` +
        (failure && e.requestId ? ` RequestId ${e.requestId}` : '') +
        (failure && e.reason ? `: ${e.reason}` : ''),
    ),
  ];
}

function groupDocument(key: 'code' | 'reason') {
  return (group: OutcomeGroup) => ({
    [key]: group.key,
    items: group.items,
    bytes: group.bytes,
    examples: group.examples,
  });
}

function settled(progress: CampaignProgress): number {
  const { counts } = progress;
  return counts.deleted.items + counts.skipped.items + counts.failed.items;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}
