import type { Campaign } from '../core/campaigns/campaign.js';
import type { ItemProgress } from '../core/campaigns/campaign-figures.js';
import { formatBytes, plural } from '../core/format.js';
import type { StoredStatus } from './campaign-view.js';

/**
 * What a clean-up campaign's status means to a model, and what it should do next: one sentence or two, built only
 * from vod-ops' own words, the campaign id, counts and times. What people or Alibaba wrote never goes in here.
 */

export const DRY_RUN_TEXT =
  'Dry run: nothing was stored, nobody was asked and nothing was deleted. To ask for this clean-up, call ' +
  'plan_stream_cleanup again with the same rule and dryRun false: that stores a campaign which people approve ' +
  'in Slack. You cannot delete these streams yourself.';

export function campaignText(
  campaign: Campaign,
  status: StoredStatus,
  at: { now: number; progress?: ItemProgress },
): string {
  const { id } = campaign;
  switch (status) {
    case 'planning': {
      const { owner, leaseUntil } = campaign.plan;
      return owner !== undefined && leaseUntil !== undefined && leaseUntil > at.now
        ? `Campaign ${id} is being planned: the library is still being walked. Call get_cleanup_campaign ` +
            'again later. Nothing has been deleted.'
        : `Campaign ${id} stopped planning before the end and keeps what it found: a person can continue it ` +
            `with \`vod-ops cleanup resume ${id}\`. Nothing has been deleted, and nobody can approve it before ` +
            'its plan is complete.';
    }
    case 'pending_approval':
      return (
        `Campaign ${id} awaits approval by people in Slack until ${iso(campaign.expiresAt ?? at.now)}. ` +
        'Nothing has been deleted, and you cannot delete anything: tell the user what it would free and that ' +
        'approvers decide in Slack. Check it with get_cleanup_campaign; withdraw it with cancel_cleanup_campaign.'
      );
    case 'approved':
    case 'running':
      return (
        `Campaign ${id} was approved by people, and vod-ops deletes its items one DeleteStream call at a time ` +
        '(itemsDone and itemsPending say how far). Check it with get_cleanup_campaign; cancel_cleanup_campaign ' +
        'stops the items not started yet.'
      );
    case 'paused':
      return (
        `Campaign ${id} is paused: no item starts until its requester or an approver resumes it. Check it with ` +
        'get_cleanup_campaign.'
      );
    case 'completed':
      return campaign.plan.items === 0
        ? `Campaign ${id} found nothing the rule selects: nothing to approve, nothing deleted.`
        : `Campaign ${id} is completed.${at.progress ? ` ${doneText(at.progress)}` : ''}`;
    case 'rejected':
      return (
        `Campaign ${id} was rejected by people in Slack: nothing of it will be deleted. Do not ask again for ` +
        'the same clean-up unless the user says so.'
      );
    case 'expired':
      return (
        `Nobody decided on campaign ${id} in time, so it expired (not a rejection): nothing of it will be ` +
        'deleted. Plan it again if it is still wanted.'
      );
    case 'cancelled':
      return campaign.execution === undefined
        ? `Campaign ${id} is cancelled: nothing of it will be deleted.`
        : `Campaign ${id} was cancelled while it ran: no item that had not started will run.` +
            (at.progress ? ` ${doneText(at.progress)}` : '');
  }
}

function doneText(progress: ItemProgress): string {
  return (
    `${plural(progress.itemsDone, 'item')} deleted (${formatBytes(progress.bytesFreed)} freed), ` +
    `${progress.itemsSkipped} skipped, ${progress.itemsFailed} failed.`
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
