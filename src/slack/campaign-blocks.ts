import type { ActionsBlock, Button, KnownBlock, View } from '@slack/types';
import type { Campaign, CampaignItem } from '../core/campaigns/campaign.js';
import { formatBytes, plural } from '../core/format.js';
import type { CampaignProgress } from '../core/workflow/campaign-execution.js';
import { reasonModal } from './blocks.js';
import {
  breakdownText,
  campaignHeader,
  campaignScope,
  campaignStatusLine,
  progressText,
  reportPointer,
  ruleText,
  sampleText,
  totalsFields,
} from './campaign-text.js';
import {
  clip,
  code,
  context,
  fallback,
  fields,
  header,
  mention,
  plain,
  quotedWords,
  requesterText,
  type SlackContext,
  type SlackMessage,
  safe,
  sandboxBlocks,
  section,
  slackDate,
} from './mrkdwn.js';
import { approvalsLine, decisionWords, requestWords } from './request-text.js';

/**
 * Pure Block Kit builders for a clean-up campaign's approval message: what it deletes (totals, breakdowns, the
 * rule and guards in words, a sample of videos), where it stands, how far it has gone, and the buttons that fit
 * its status. Buttons carry only the campaign's id (`cp-…`); their action ids are the campaign's own, apart from
 * a request's.
 * @see https://docs.slack.dev/reference/block-kit/blocks
 */

export const ACTION_CAMPAIGN_APPROVE = 'vod_campaign_approve';
export const ACTION_CAMPAIGN_REJECT = 'vod_campaign_reject';
export const ACTION_CAMPAIGN_PAUSE = 'vod_campaign_pause';
export const ACTION_CAMPAIGN_RESUME = 'vod_campaign_resume';
export const ACTION_CAMPAIGN_CANCEL = 'vod_campaign_cancel';
export const VIEW_CAMPAIGN_REJECT = 'vod_campaign_reject_reason';

/** What a campaign's message shows besides the campaign: read from the store just before it is built. */
export interface CampaignView {
  campaign: Campaign;
  /** The first items, as a sample of the videos and streams it deletes. */
  sample: readonly CampaignItem[];
  /** Once its execution started. */
  progress?: CampaignProgress;
  /** `VOD_OPS_STORAGE_PRICE_PER_GB_MONTH`, for the saving. */
  pricePerGbMonth?: number;
}

/** The campaign's message, whatever its status: the buttons are those that fit it, none once it is closed. */
export function campaignMessage(view: CampaignView, ctx: SlackContext): SlackMessage {
  const { campaign, progress } = view;
  const blocks: KnownBlock[] = [
    header(campaignHeader(campaign)),
    ...sandboxBlocks(ctx),
    section(campaignStatusLine(campaign)),
  ];
  if (progress) blocks.push(section(progressText(progress)));
  blocks.push(
    ...decisionWords(campaign),
    ...pauseWords(campaign),
    fields(
      `*Requested by*\n${requesterText(campaign.requester)}`,
      `*Campaign*\n${code(campaign.id)}${campaign.region ? ` · ${safe(campaign.region, 40)}` : ''}`,
      `*Approvals*\n${approvalsLine(campaign)}`,
      campaign.decision
        ? `*Decided*\n${slackDate(campaign.decision.at)}`
        : `*Approval expires*\n${campaign.expiresAt === undefined ? 'not yet set' : slackDate(campaign.expiresAt)}`,
    ),
    ...requestWords(campaign),
    fields(...totalsFields(campaign, view.pricePerGbMonth)),
    section(breakdownText(campaign)),
    section(ruleText(campaign)),
    section(sampleText(campaign, view.sample)),
  );
  if (progress && (campaign.status === 'completed' || campaign.status === 'cancelled')) {
    blocks.push(context(reportPointer(campaign, progress)));
  }
  const buttons = controls(campaign);
  if (buttons) blocks.push(buttons);
  const text =
    campaign.status === 'pending'
      ? `Approval needed: clean-up campaign ${safe(campaign.id, 100)} would delete ${campaignScope(campaign)}, ` +
        `requested by ${mention(campaign.requester)}`
      : `Clean-up campaign ${safe(campaign.id, 100)}: ${campaign.status}` +
        (progress
          ? ` (${progress.counts.deleted.items} deleted, ${formatBytes(progress.counts.deleted.bytes)} freed, ` +
            `${progress.counts.failed.items} failed)`
          : '');
  return { text: fallback(ctx, text), blocks };
}

/** The modal that asks an approver why they reject a campaign. */
export const campaignRejectModal = (campaignId: string): View =>
  reasonModal({
    callbackId: VIEW_CAMPAIGN_REJECT,
    id: campaignId,
    title: 'Reject clean-up',
    question: `Why do you reject campaign ${code(campaignId)}? The requester and the channel will see your reason.`,
  });

/** The pauser's words, quoted, while the campaign is paused. */
function pauseWords(campaign: Campaign): KnownBlock[] {
  const paused = campaign.status === 'paused' ? campaign.paused : undefined;
  return paused?.reason
    ? quotedWords(`Reason given by ${mention(paused.by)} for pausing:`, paused.reason)
    : [];
}

/** Approve / Reject while it awaits approval; Pause / Cancel while approved or running; Resume / Cancel paused. */
function controls(campaign: Campaign): ActionsBlock | undefined {
  const button = (
    actionId: string,
    text: string,
    style?: 'primary' | 'danger',
    confirm?: Button['confirm'],
  ) =>
    ({
      type: 'button',
      action_id: actionId,
      text: plain(text, 75),
      value: clip(campaign.id, 2000),
      ...(style ? { style } : {}),
      ...(confirm ? { confirm } : {}),
    }) satisfies Button;
  const scope = campaignScope(campaign);
  const cancel = button(ACTION_CAMPAIGN_CANCEL, 'Cancel', 'danger', {
    title: plain('Cancel this clean-up?', 100),
    text: plain(
      'No item starts any more; items running now finish. What was deleted stays deleted. This cannot be undone.',
      300,
    ),
    confirm: plain('Cancel the clean-up', 30),
    deny: plain('Go back', 30),
    style: 'danger',
  });
  let elements: Button[];
  switch (campaign.status) {
    case 'pending':
      elements = [
        button(ACTION_CAMPAIGN_APPROVE, 'Approve', 'primary', {
          title: plain(`Delete ${plural(campaign.plan.totals.streams, 'stream')}?`, 100),
          text: plain(
            `This irreversibly deletes ${scope}, in ${plural(campaign.plan.items, 'DeleteStream call')}. ` +
              'This cannot be undone.',
            300,
          ),
          confirm: plain('Approve and delete', 30),
          deny: plain('Go back', 30),
          style: 'danger',
        }),
        button(ACTION_CAMPAIGN_REJECT, 'Reject', 'danger'),
      ];
      break;
    case 'approved':
    case 'running':
      elements = [button(ACTION_CAMPAIGN_PAUSE, 'Pause'), cancel];
      break;
    case 'paused':
      elements = [
        button(ACTION_CAMPAIGN_RESUME, 'Resume', 'primary', {
          title: plain('Resume deleting?', 100),
          text: plain(`The clean-up goes on deleting what is left of ${scope}.`, 300),
          confirm: plain('Resume', 30),
          deny: plain('Go back', 30),
        }),
        cancel,
      ];
      break;
    default:
      return undefined;
  }
  return { type: 'actions', block_id: 'vod_campaign_controls', elements };
}
