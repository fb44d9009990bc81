import type { Campaign, CampaignItem, CampaignStatus } from '../core/campaigns/campaign.js';
import { describeMonthlySaving, type Tally } from '../core/campaigns/plan-totals.js';
import { describeRule } from '../core/campaigns/rule-words.js';
import { formatBytes, formatDuration, plural } from '../core/format.js';
import type { CampaignProgress } from '../core/workflow/campaign-execution.js';
import { code, mention, SECTION_MAX, safe, slackDate } from './mrkdwn.js';
import { approvalsLine, approvedBy, listText } from './request-text.js';

/**
 * How a clean-up campaign is described in Slack: its totals and breakdowns, its rule in words, a sample of its
 * videos, where it stands and how far it has gone. Every string from outside (Alibaba's values, the rule's
 * words, people's names) is escaped.
 */

/** Streams shown per sampled video; the rest are counted. */
const SAMPLE_STREAMS = 6;
const BAR_WIDTH = 20;

/** The command that lists every item's outcome with Alibaba's RequestIds. */
export const reportCommand = (campaign: Pick<Campaign, 'id'>) =>
  code(`vod-ops cleanup report ${campaign.id}`);

const HEADERS: Record<CampaignStatus, string> = {
  planning: 'Clean-up campaign being planned',
  pending: 'Approve a library clean-up?',
  approved: 'Library clean-up starting…',
  running: 'Library clean-up running…',
  paused: 'Library clean-up paused',
  completed: 'Library clean-up completed',
  rejected: 'Library clean-up rejected',
  expired: 'Library clean-up expired',
  cancelled: 'Library clean-up cancelled',
};
export const campaignHeader = (campaign: Campaign) => HEADERS[campaign.status];

/** What the campaign deletes, in one phrase: "120 streams of 45 videos (3.20 GiB)". */
export function campaignScope(campaign: Campaign): string {
  const { totals } = campaign.plan;
  return `${plural(totals.streams, 'stream')} of ${plural(totals.videosMatched, 'video')} (${formatBytes(totals.bytes)})`;
}

/** One line saying where the campaign stands, with who decided. */
export function campaignStatusLine(campaign: Campaign): string {
  const started = campaign.execution !== undefined;
  switch (campaign.status) {
    case 'planning':
      return ':hourglass: Planning: the library is still being walked.';
    case 'pending':
      return `:hourglass: Waiting for approval: ${approvalsLine(campaign)}. Expires ${slackDate(campaign.expiresAt ?? Number.NaN)}.`;
    case 'approved':
      return `:hourglass_flowing_sand: Approved by ${approvedBy(campaign)} — starting…`;
    case 'running':
      return `:hourglass_flowing_sand: Approved by ${approvedBy(campaign)} — deleting…`;
    case 'paused':
      return (
        `:double_vertical_bar: Paused by ${mention(campaign.paused?.by)} ${slackDate(campaign.paused?.at ?? Number.NaN)}: ` +
        'items already running finish; nothing new starts until someone resumes it.'
      );
    case 'completed':
      return started
        ? `:white_check_mark: Completed, approved by ${approvedBy(campaign)}.`
        : ':white_check_mark: The plan found nothing to delete.';
    case 'rejected':
      return `:no_entry_sign: Rejected by ${mention(campaign.decision?.by)}. Nothing was deleted.`;
    case 'expired':
      return `:alarm_clock: Expired at ${slackDate(campaign.expiresAt ?? Number.NaN)} without approval. Nothing was deleted.`;
    case 'cancelled': {
      const by = campaign.decision?.outcome === 'cancelled' ? ` by ${mention(campaign.decision.by)}` : '';
      return started
        ? `:heavy_minus_sign: Cancelled${by} while it ran: items not yet started never run; what was deleted stays deleted.`
        : `:heavy_minus_sign: Cancelled${by}. Nothing was deleted.`;
    }
  }
}

/** The plan's totals as field texts: videos, streams, storage, monthly saving. */
export function totalsFields(campaign: Campaign, pricePerGbMonth: number | undefined): string[] {
  const { totals, unreadable, items } = campaign.plan;
  return [
    `*Videos*\n${totals.videosMatched} matched of ${totals.videosScanned} scanned` +
      (unreadable.videos > 0 ? ` (+${unreadable.videos} not read)` : ''),
    `*Streams*\n${totals.streams} in ${plural(items, 'DeleteStream call')}`,
    `*Frees*\n${formatBytes(totals.bytes)}` +
      (totals.streamsWithoutSize > 0
        ? ` (+${plural(totals.streamsWithoutSize, 'stream')} of unknown size)`
        : ''),
    `*Monthly saving*\n${
      pricePerGbMonth === undefined
        ? '_set VOD_OPS_STORAGE_PRICE_PER_GB_MONTH to see it_'
        : describeMonthlySaving(totals.bytes, pricePerGbMonth)
    }`,
  ];
}

/** The streams by definition and by format, and what the guards kept. */
export function breakdownText(campaign: Campaign): string {
  const { totals } = campaign.plan;
  const tallies = (record: Record<string, Tally>) =>
    Object.entries(record)
      .map(([key, t]) => `${safe(key, 20)} ${t.streams} (${formatBytes(t.bytes)})`)
      .join(' · ') || 'none';
  const lines = [
    `*By definition:* ${tallies(totals.byDefinition)}`,
    `*By format:* ${tallies(totals.byFormat)}`,
  ];
  const { last_playable, keep_definition } = totals.held;
  if (last_playable.streams + keep_definition.streams > 0) {
    lines.push(
      `*Kept by guards:* ${plural(last_playable.streams, 'stream')} as a video's last playable one, ` +
        `${plural(keep_definition.streams, 'stream')} as a definition to keep`,
    );
  }
  return lines.join('\n');
}

/** The rule and its guards in words, one line each. */
export const ruleText = (campaign: Campaign) =>
  listText(
    '*Rule* (every line holds):',
    describeRule(campaign.rule).map((line) => `• ${safe(line, 300)}`),
  );

/** The first items, as a sample of the videos and streams the campaign deletes. */
export function sampleText(campaign: Campaign, sample: readonly CampaignItem[]): string {
  if (sample.length === 0) return '*Sample:* no items.';
  const lines = sample.map((item) => {
    const streams = item.streams
      .slice(0, SAMPLE_STREAMS)
      .map(
        (s) => `${code(s.jobId)} ${safe(s.definition, 20)} ${safe(s.format, 20)} ${formatBytes(s.sizeBytes)}`,
      );
    const more =
      item.streams.length > SAMPLE_STREAMS ? `, …and ${item.streams.length - SAMPLE_STREAMS} more` : '';
    return `• Video ${code(item.videoId)}: ${streams.join(', ')}${more}`;
  });
  return listText(
    `*Sample* (the first ${plural(sample.length, 'item')} of ${campaign.plan.items}):`,
    lines,
    SECTION_MAX,
  );
}

/** A text progress bar: `███████░░░░░░░░░░░░░` 35%. */
export function progressBar(done: number, total: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * BAR_WIDTH);
  return `\`${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}\` ${Math.floor(share * 100)}%`;
}

/** How far the items have gone: the bar, the counts, bytes freed, the rate and the time left, as of when. */
export function progressText(progress: CampaignProgress): string {
  const { counts } = progress;
  const settled = counts.deleted.items + counts.skipped.items + counts.failed.items;
  const lines = [
    `${progressBar(settled, progress.items)} · ${settled} of ${plural(progress.items, 'item')} done`,
    `*Deleted* ${counts.deleted.items} (${formatBytes(counts.deleted.bytes)} freed) · *skipped* ${counts.skipped.items}` +
      ` · *failed* ${counts.failed.items}` +
      (counts.running.items > 0 ? ` · ${counts.running.items} running now` : ''),
  ];
  if (progress.finishedAt !== undefined) {
    const took =
      progress.startedAt === undefined
        ? ''
        : ` after ${formatDuration((progress.finishedAt - progress.startedAt) / 1000)}`;
    lines.push(`Finished ${slackDate(progress.finishedAt)}${took}.`);
  } else if (progress.status === 'running') {
    const rate =
      progress.ratePerSecond > 0 ? `${progress.ratePerSecond.toFixed(1)} items/s` : 'rate not measured yet';
    const left = progress.etaMs === undefined ? '' : ` · about ${formatDuration(progress.etaMs / 1000)} left`;
    lines.push(`${rate}${left} · as of ${slackDate(progress.at)}`);
  } else {
    lines.push(`As of ${slackDate(progress.at)}.`);
  }
  return lines.join('\n');
}

/** Where every item's outcome is: failures counted, and the report that says why. */
export function reportPointer(campaign: Campaign, progress: CampaignProgress): string {
  const failed = progress.counts.failed.items;
  return failed > 0
    ? `:warning: ${plural(failed, 'item')} failed: ${reportCommand(campaign)} says why, with Alibaba's RequestIds.`
    : `Every item's outcome, with Alibaba's RequestIds: ${reportCommand(campaign)}`;
}
