import type { KnownBlock } from '@slack/types';
import ms from 'ms';
import type { Campaign } from '../core/campaigns/campaign.js';
import { plural } from '../core/format.js';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import { campaignScope, campaignStatusLine, reportCommand } from './campaign-text.js';
import {
  code,
  context,
  fallback,
  type SlackContext,
  type SlackMessage,
  sandboxBlocks,
  section,
  slackDate,
} from './mrkdwn.js';
import { approvalsLine, decisionWords, statusLine, videoSummary } from './request-text.js';

/**
 * What people are told privately, and the reminders and escalations posted for approvers: pure builders, every
 * user text escaped like the approval messages'.
 */

/** The requester's direct message about where their request stands now (the status line of its message). */
export function requestNotice(request: DeletionRequest, ctx: SlackContext): SlackMessage {
  const about = `Your request ${code(request.id)} to delete ${plural(request.jobIds.length, 'stream')} of ${videoSummary(request, 100)}`;
  const status = statusLine(request);
  const blocks: KnownBlock[] = [
    ...sandboxBlocks(ctx),
    section(`${about}:\n${status}`),
    ...decisionWords(request),
    context(`\`/vod status ${request.id}\` shows it in full.`),
  ];
  return { text: fallback(ctx, `Request ${request.id}: ${status}`), blocks };
}

/** The requester's direct message about their clean-up campaign. */
export function campaignNotice(campaign: Campaign, ctx: SlackContext): SlackMessage {
  const status = campaignStatusLine(campaign);
  const blocks: KnownBlock[] = [
    ...sandboxBlocks(ctx),
    section(`Your clean-up campaign ${code(campaign.id)} (${campaignScope(campaign)}):\n${status}`),
    ...decisionWords(campaign),
    context(`${reportCommand(campaign)} shows its report.`),
  ];
  return { text: fallback(ctx, `Campaign ${campaign.id}: ${status}`), blocks };
}

/** A reminder that a request waits for a decision, to `mention` (approvers; empty in a direct message). */
export function reminderMessage(
  request: DeletionRequest,
  kind: 'interval' | 'before_expiry',
  mention: string,
  ctx: SlackContext,
): SlackMessage {
  const lead =
    kind === 'before_expiry'
      ? `:alarm_clock: Request ${code(request.id)} expires ${slackDate(request.expiresAt)} unless someone decides.`
      : `:bell: Reminder: request ${code(request.id)} still waits for a decision.`;
  const text = `${lead} ${approvalsLine(request)}; ${plural(request.jobIds.length, 'stream')} of ${videoSummary(request, 100)}.`;
  return {
    text: fallback(ctx, `${lead} ${mention}`.trim()),
    blocks: [...sandboxBlocks(ctx), section(mention ? `${mention} ${text}` : text)],
  };
}

/** The escalation of a request nobody decided on, to the escalation group (`mention`; empty in a direct message). */
export function escalationMessage(
  request: DeletionRequest,
  waitedMs: number,
  mention: string,
  ctx: SlackContext,
): SlackMessage {
  const lead = `:rotating_light: Escalated: request ${code(request.id)} has waited ${ms(waitedMs, { long: true })} without a decision.`;
  const text =
    `${lead} ${mention ? `${mention}: you` : 'You'} may now approve or reject it. ${approvalsLine(request)}; ` +
    `${plural(request.jobIds.length, 'stream')} of ${videoSummary(request, 100)}.`;
  return { text: fallback(ctx, lead), blocks: [...sandboxBlocks(ctx), section(text)] };
}
