import type { HomeView, KnownBlock } from '@slack/types';
import type { Campaign } from '../core/campaigns/campaign.js';
import { formatBytes, plural } from '../core/format.js';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import { decisionButtons } from './blocks.js';
import { campaignScope } from './campaign-text.js';
import { approvalMessageOf } from './message-ref.js';
import {
  clip,
  code,
  context,
  header,
  mention,
  requesterText,
  SECTION_MAX,
  safe,
  sandboxBlocks,
  section,
  slackDate,
  titleText,
} from './mrkdwn.js';
import { approvalsLine, approvedBy, listSections } from './request-text.js';

/**
 * The App Home tab as a pure Block Kit builder: what waits for this user's decision (each pending request with the
 * approval message's own Approve and Reject, same action ids and values, so a click from Home is handled like one
 * in the channel), their own open requests and campaigns, and the recent decisions. Each list is capped and says
 * how many more there are; user text is cut and escaped, and made one line, so that nothing in it can pass for a
 * line of the view. Whatever the input, the view stays within Slack's limits (at most 100 blocks).
 * @see https://docs.slack.dev/surfaces/app-home
 */

export const HOME_CALLBACK_ID = 'vod_home';
/** Requests, campaigns or open items listed in one section of the Home. */
export const HOME_LIST_MAX = 15;
/** Decided requests shown under "Recent decisions". */
export const HOME_RECENT_MAX = 10;

export interface HomeInput {
  /** Pending requests this user may vote on and has not, not their own; newest first. */
  awaiting: readonly DeletionRequest[];
  /** Campaigns awaiting approval this user may approve. */
  awaitingCampaigns: readonly Campaign[];
  /** The user's own requests still open (pending, approved, executing). */
  ownRequests: readonly DeletionRequest[];
  /** The user's own campaigns not finished. */
  ownCampaigns: readonly Campaign[];
  /** Decided requests, most recently decided first. */
  recent: readonly DeletionRequest[];
  /** A line for this user at the top (an answer to their click): mrkdwn, already escaped. */
  notice?: string;
  /** Epoch ms: when the Home was drawn. */
  at: number;
  /** The VOD endpoint is the sandbox emulator: the Home says so, like every message. */
  sandbox: boolean;
}

export function homeView(input: HomeInput): HomeView {
  const blocks: KnownBlock[] = [header('vod-ops: VOD stream deletions'), ...sandboxBlocks(input)];
  if (input.notice?.trim()) blocks.push(section(`:speech_balloon: ${input.notice.trim()}`));
  blocks.push(context(`Updated ${slackDate(input.at)}. Ask for a deletion with \`/vod delete-stream\`.`));
  blocks.push(...awaitingBlocks(input), ...ownBlocks(input), ...recentBlocks(input));
  return { type: 'home', callback_id: HOME_CALLBACK_ID, blocks };
}

function awaitingBlocks(input: HomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider' }, header('Waiting for your decision')];
  if (input.awaiting.length === 0 && input.awaitingCampaigns.length === 0) {
    blocks.push(section('Nothing waits for your decision.'));
    return blocks;
  }
  for (const request of input.awaiting.slice(0, HOME_LIST_MAX)) {
    blocks.push(
      section(awaitingSummary(request)),
      decisionButtons(request, `vod_home_decision:${request.id}`),
    );
  }
  const more = input.awaiting.length - HOME_LIST_MAX;
  if (more > 0) blocks.push(context(`…and ${more} more — /vod pending`));
  if (input.awaitingCampaigns.length > 0) {
    blocks.push(
      ...listSections(input.awaitingCampaigns.slice(0, HOME_LIST_MAX).map(awaitingCampaignLine), 'campaigns'),
    );
    const moreCampaigns = input.awaitingCampaigns.length - HOME_LIST_MAX;
    if (moreCampaigns > 0) blocks.push(context(`…and ${moreCampaigns} more — /vod cleanup pending`));
  }
  return blocks;
}

function ownBlocks(input: HomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider' }, header('Your open requests and campaigns')];
  const lines = [...input.ownRequests.map(ownRequestLine), ...input.ownCampaigns.map(ownCampaignLine)];
  if (lines.length === 0) {
    blocks.push(section('You have no open deletion requests or campaigns.'));
    return blocks;
  }
  blocks.push(...listSections(lines.slice(0, HOME_LIST_MAX), 'requests'));
  if (lines.length > HOME_LIST_MAX)
    blocks.push(context(`…and ${lines.length - HOME_LIST_MAX} more — /vod pending`));
  return blocks;
}

function recentBlocks(input: HomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'divider' }, header('Recent decisions')];
  if (input.recent.length === 0) {
    blocks.push(section('No deletion request has been decided yet.'));
    return blocks;
  }
  blocks.push(...listSections(input.recent.slice(0, HOME_RECENT_MAX).map(recentLine), 'decisions'));
  return blocks;
}

/** Someone's text on one line, cut and escaped: a newline in it cannot start a line of its own. */
const oneLine = (text: string, max: number) => safe(text.replace(/\s+/g, ' ').trim(), max);

const streamsOf = (r: DeletionRequest) =>
  `${plural(r.jobIds.length, 'stream')} of ${titleText(r.preview.video?.title ?? '', 100)} (${code(r.videoId)}` +
  `${r.region ? `, ${safe(r.region, 40)}` : ''})`;

const reasonText = (reason: string) => (reason.trim() ? `“${oneLine(reason, 300)}”` : '_(no reason given)_');

/** What the approver decides on, in a few lines: video, jobs, bytes, requester, reason, approvals, risk, expiry. */
export function awaitingSummary(r: DeletionRequest): string {
  const jobs =
    r.jobIds.slice(0, 5).map(code).join(', ') + (r.jobIds.length > 5 ? ` +${r.jobIds.length - 5} more` : '');
  const unsized =
    r.preview.unsizedCount > 0 ? ` + ${plural(r.preview.unsizedCount, 'stream')} of unknown size` : '';
  return clip(
    `*Delete ${streamsOf(r)}* · frees ${formatBytes(r.preview.freedBytes)}${unsized}\n` +
      `Jobs: ${jobs}\n` +
      `Requested by ${requesterText(r.requester)}: ${reasonText(r.reason)}\n` +
      `${approvalsLine(r)} · expires ${slackDate(r.expiresAt)} · request ${code(r.id)}`,
    SECTION_MAX,
  );
}

/** Where a campaign's approval message is, as a channel link; its id comes from the store, still checked. */
function whereToDecide(campaign: Campaign): string {
  const channel = approvalMessageOf(campaign)?.channel;
  return channel && /^[A-Z0-9]{2,40}$/.test(channel) ? `decide in <#${channel}>` : 'no approval message yet';
}

function awaitingCampaignLine(c: Campaign): string {
  return clip(
    `• Campaign ${code(c.id)} — ${campaignScope(c)} · requested by ${requesterText(c.requester)}: ` +
      `${reasonText(c.reason)} · ${approvalsLine(c)} · expires ${slackDate(c.expiresAt ?? Number.NaN)} · ` +
      whereToDecide(c),
    SECTION_MAX,
  );
}

function ownRequestLine(r: DeletionRequest): string {
  const where =
    r.status === 'pending'
      ? `waiting for approval: ${approvalsLine(r)} · expires ${slackDate(r.expiresAt)}`
      : `approved by ${approvedBy(r)} — deleting…`;
  return clip(`• ${code(r.id)} — ${streamsOf(r)} · ${where}`, SECTION_MAX);
}

const CAMPAIGN_STATUS: Partial<Record<Campaign['status'], string>> = {
  planning: 'planning',
  approved: 'approved — starting',
  running: 'deleting',
  paused: 'paused',
};

function ownCampaignLine(c: Campaign): string {
  const where =
    c.status === 'pending'
      ? `waiting for approval: ${approvalsLine(c)} · expires ${slackDate(c.expiresAt ?? Number.NaN)}`
      : (CAMPAIGN_STATUS[c.status] ?? c.status);
  return clip(
    `• Campaign ${code(c.id)} — ${campaignScope(c)} · ${where} · ${whereToDecide(c).replace('decide in', 'in')}`,
    SECTION_MAX,
  );
}

/** When a request left the pending phase, or finished its execution: how "recent" decisions are ordered. */
export function decidedAt(r: DeletionRequest): number {
  return r.execution?.finishedAt ?? r.decision?.at ?? r.createdAt;
}

function recentLine(r: DeletionRequest): string {
  const when = slackDate(decidedAt(r));
  const by = (p: DeletionRequest['requester'] | undefined) => (p ? ` by ${mention(p)}` : '');
  const what: Record<DeletionRequest['status'], string> = {
    pending: ':hourglass: pending',
    approved: `:hourglass_flowing_sand: approved by ${approvedBy(r)} — deleting…`,
    executing: `:hourglass_flowing_sand: approved by ${approvedBy(r)} — deleting…`,
    succeeded: `:white_check_mark: deleted, approved by ${approvedBy(r)}`,
    failed: `:x: failed after approval by ${approvedBy(r)}`,
    rejected: `:no_entry_sign: rejected${by(r.decision?.by)}`,
    expired: ':alarm_clock: expired without a decision',
    cancelled: `:heavy_minus_sign: cancelled${by(r.decision?.by)}`,
  };
  return clip(`• ${code(r.id)} ${what[r.status]} ${when} — ${streamsOf(r)}`, SECTION_MAX);
}
