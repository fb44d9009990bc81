import type { KnownBlock } from '@slack/types';
import type { Campaign } from '../core/campaigns/campaign.js';
import type { CampaignRefusal } from '../core/campaigns/campaign-lifecycle.js';
import { campaignRefusalText } from '../core/campaigns/campaign-refusals.js';
import { formatBytes, plural } from '../core/format.js';
import type { CampaignProgress } from '../core/workflow/campaign-execution.js';
import { campaignScope, campaignStatusLine, progressText, reportPointer } from './campaign-text.js';
import { approvalMessageOf } from './message-ref.js';
import {
  clip,
  code,
  escapeMrkdwn,
  fallback,
  fields,
  header,
  MAX_REQUESTS_LISTED,
  requesterText,
  SECTION_MAX,
  type SlackContext,
  type SlackMessage,
  safe,
  sandboxBlocks,
  section,
  slackDate,
} from './mrkdwn.js';
import { approvalsLine, listSections } from './request-text.js';

/** The private answers to `/vod cleanup status` and `/vod cleanup pending`, and refusals of campaign actions. */

/** A refusal of a campaign action as core words it (one sentence), escaped for mrkdwn. */
export const campaignRefusal = (id: string, refusal: CampaignRefusal) =>
  escapeMrkdwn(campaignRefusalText(id, refusal).message);

/** Where a campaign stands, for `/vod cleanup status`: its status, how far its items have gone, its counts. */
export function campaignStatusMessage(
  campaign: Campaign,
  progress: CampaignProgress | undefined,
  ctx: Partial<SlackContext> = {},
): SlackMessage {
  const where = approvalMessageOf(campaign);
  const blocks: KnownBlock[] = [
    header(`Clean-up campaign ${campaign.id}`),
    ...sandboxBlocks(ctx),
    section(`*Status:* ${campaign.status}\n${campaignStatusLine(campaign)}`),
  ];
  if (progress && campaign.execution) blocks.push(section(progressText(progress)));
  if (progress) {
    const { counts } = progress;
    blocks.push(
      section(
        `*Items:* ${counts.pending.items} pending, ${counts.running.items} running, ${counts.deleted.items} deleted ` +
          `(${formatBytes(counts.deleted.bytes)}), ${counts.skipped.items} skipped, ${counts.failed.items} failed`,
      ),
    );
  }
  blocks.push(
    fields(
      `*Requested by*\n${requesterText(campaign.requester)}`,
      `*Created*\n${slackDate(campaign.createdAt)}`,
      `*Deletes*\n${campaignScope(campaign)}`,
      `*Approvals*\n${approvalsLine(campaign)}`,
      `*Approval message*\n${where ? `<#${where.channel}>` : 'not posted'}`,
    ),
  );
  if (progress && campaign.execution) blocks.push(section(reportPointer(campaign, progress)));
  return { text: fallback(ctx, `Campaign ${safe(campaign.id, 100)}: ${campaign.status}`), blocks };
}

/** The campaigns awaiting approval, newest first, for `/vod cleanup pending`. */
export function campaignPendingListMessage(
  campaigns: readonly Campaign[],
  ctx: Partial<SlackContext> = {},
): SlackMessage {
  if (campaigns.length === 0) {
    return {
      text: fallback(ctx, 'No clean-up campaigns await approval.'),
      blocks: [...sandboxBlocks(ctx), section('No clean-up campaigns await approval.')],
    };
  }
  const lines = campaigns
    .slice(0, MAX_REQUESTS_LISTED)
    .map((c) =>
      clip(
        `• ${code(c.id)} — ${campaignScope(c)} in ${plural(c.plan.items, 'DeleteStream call')} · asked by ` +
          `${requesterText(c.requester)} · ${approvalsLine(c)} · expires ${slackDate(c.expiresAt ?? Number.NaN)}`,
        SECTION_MAX,
      ),
    );
  return {
    text: fallback(ctx, `${plural(campaigns.length, 'clean-up campaign')} awaiting approval`),
    blocks: [
      header(`Clean-up campaigns awaiting approval (${campaigns.length})`),
      ...sandboxBlocks(ctx),
      ...listSections(lines, 'campaigns', campaigns.length),
    ],
  };
}
