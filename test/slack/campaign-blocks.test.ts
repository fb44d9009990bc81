import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignItem,
  type CampaignStatus,
  type ItemCounts,
} from '../../src/core/campaigns/campaign.js';
import { newCampaign } from '../../src/core/campaigns/campaign-lifecycle.js';
import { parseSelectionRule } from '../../src/core/campaigns/selection-rule.js';
import type { Principal } from '../../src/core/requests/principal.js';
import type { VideoId } from '../../src/core/vod/input-rules.js';
import type { CampaignProgress } from '../../src/core/workflow/campaign-execution.js';
import {
  ACTION_CAMPAIGN_APPROVE,
  ACTION_CAMPAIGN_CANCEL,
  ACTION_CAMPAIGN_PAUSE,
  ACTION_CAMPAIGN_REJECT,
  ACTION_CAMPAIGN_RESUME,
  type CampaignView,
  campaignMessage,
  campaignRejectModal,
} from '../../src/slack/campaign-blocks.js';
import { campaignPendingListMessage, campaignStatusMessage } from '../../src/slack/campaign-replies.js';
import { progressBar } from '../../src/slack/campaign-text.js';
import { assertWithinBlockKitLimits } from '../helpers/block-kit-limits.js';

const T0 = Date.UTC(2026, 11, 4, 9, 0, 0);
const rita: Principal = { source: 'cli', id: 'rita', displayName: 'rita' };
const bob: Principal = { source: 'slack', id: 'U0BOB', displayName: 'bob' };
const hex = () => randomBytes(16).toString('hex');
const ctx = { sandbox: false };

/** A campaign planned over `items` videos of two streams each, in `status`, made by core's own lifecycle. */
function aCampaign(status: CampaignStatus, over: Partial<Campaign> = {}): Campaign {
  const { campaign } = newCampaign({
    id: 'cp-7kq2m9x4pzt1b',
    rule: parseSelectionRule({ streams: { definitions: ['LD'] } }, T0),
    reason: 'LD renditions nobody plays',
    requester: rita,
    requiredApprovals: 1,
    owner: 'host:1',
    leaseMs: 60_000,
    now: T0,
  });
  const decided = !['planning', 'pending'].includes(status);
  return {
    ...campaign,
    status,
    expiresAt: T0 + 72 * 3_600_000,
    plan: {
      ...campaign.plan,
      items: 3,
      totals: {
        ...campaign.plan.totals,
        videosScanned: 10,
        videosMatched: 3,
        streams: 6,
        bytes: 6 * 1024 ** 3,
        byDefinition: { LD: { streams: 6, bytes: 6 * 1024 ** 3 } },
        byFormat: { m3u8: { streams: 3, bytes: 3 * 1024 ** 3 }, mp4: { streams: 3, bytes: 3 * 1024 ** 3 } },
      },
    },
    ...(decided && status !== 'expired' && status !== 'cancelled'
      ? {
          votes: [{ approver: bob, decision: status === 'rejected' ? 'reject' : 'approve', at: T0 }],
          decision: { outcome: status === 'rejected' ? 'rejected' : 'approved', by: bob, at: T0 },
        }
      : {}),
    ...(['running', 'paused', 'completed'].includes(status)
      ? { execution: { startedAt: T0, digest: 'd' } }
      : {}),
    ...(status === 'paused' ? { paused: { at: T0, by: bob, from: 'running' as const } } : {}),
    ...over,
  } as Campaign;
}

function items(
  campaign: Campaign,
  count: number,
  streams = 2,
  value = (i: number) => `${i}`,
): CampaignItem[] {
  return Array.from({ length: count }, (_, i) => {
    const jobIds = Array.from({ length: streams }, hex);
    return {
      campaignId: campaign.id,
      seq: i + 1,
      videoId: hex() as VideoId,
      jobIds,
      bytes: 2048,
      streams: jobIds.map((jobId) => ({ jobId, definition: value(i), format: value(i), sizeBytes: 1024 })),
      status: 'pending',
      claims: 0,
    };
  });
}

function counts(deleted: number, skipped: number, failed: number, pending: number): ItemCounts {
  return {
    pending: { items: pending, bytes: pending * 2048 },
    running: { items: 0, bytes: 0 },
    deleted: { items: deleted, bytes: deleted * 2048 },
    skipped: { items: skipped, bytes: 0 },
    failed: { items: failed, bytes: 0 },
  };
}

const aProgress = (
  campaign: Campaign,
  c: ItemCounts,
  over: Partial<CampaignProgress> = {},
): CampaignProgress => ({
  campaignId: campaign.id,
  status: campaign.status,
  items: campaign.plan.items,
  bytes: campaign.plan.totals.bytes,
  counts: c,
  ratePerSecond: 2.5,
  etaMs: 150_000,
  startedAt: T0,
  at: T0 + 60_000,
  ...over,
});

const buttons = (message: { blocks: unknown[] }) =>
  (message.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);

describe('campaignMessage', () => {
  it.each<[CampaignStatus, string[]]>([
    ['planning', []],
    ['pending', [ACTION_CAMPAIGN_APPROVE, ACTION_CAMPAIGN_REJECT]],
    ['approved', [ACTION_CAMPAIGN_PAUSE, ACTION_CAMPAIGN_CANCEL]],
    ['running', [ACTION_CAMPAIGN_PAUSE, ACTION_CAMPAIGN_CANCEL]],
    ['paused', [ACTION_CAMPAIGN_RESUME, ACTION_CAMPAIGN_CANCEL]],
    ['completed', []],
    ['rejected', []],
    ['expired', []],
    ['cancelled', []],
  ])('offers, while %s, the buttons %j, each carrying only the campaign id', (status, expected) => {
    const campaign = aCampaign(status);
    const message = campaignMessage({ campaign, sample: items(campaign, 2) }, ctx);
    expect(buttons(message).map((b) => b.action_id)).toEqual(expected);
    for (const button of buttons(message)) expect(button.value).toBe(campaign.id);
    assertWithinBlockKitLimits(message);
  });

  it('covers every status a campaign can be in', () => {
    for (const status of CAMPAIGN_STATUSES) {
      expect(campaignMessage({ campaign: aCampaign(status), sample: [] }, ctx).blocks.length).toBeGreaterThan(
        0,
      );
    }
  });

  it('shows the totals, the saving when priced, the breakdown, the rule and a sample while pending', () => {
    const campaign = aCampaign('pending');
    const sample = items(campaign, 5);
    const text = JSON.stringify(campaignMessage({ campaign, sample, pricePerGbMonth: 0.02 }, ctx));
    expect(text).toContain('3 matched of 10 scanned');
    expect(text).toContain('6 in 3 DeleteStream calls');
    expect(text).toContain('6.00 GiB');
    expect(text).toContain('0.12 a month at 0.02 per GB-month');
    expect(text).toContain('*By definition:* LD 6 (6.00 GiB)');
    expect(text).toContain('Definition LD');
    expect(text).toContain('Guard: each video keeps its last playable stream');
    for (const item of sample) expect(text).toContain(item.videoId);
    expect(text).toContain('0 of 1 approval');
    expect(JSON.stringify(campaignMessage({ campaign, sample }, ctx))).toContain(
      'set VOD_OPS_STORAGE_PRICE_PER_GB_MONTH',
    );
  });

  it('says why a high-risk campaign needs more approvals, with the size that counts as large', () => {
    const campaign = aCampaign('pending', {
      requiredApprovals: 2,
      risks: ['large_campaign', 'last_playable_unguarded'],
      largeAbove: 5e11,
    });
    expect(JSON.stringify(campaignMessage({ campaign, sample: [] }, ctx))).toContain(
      "0 of 2 approvals · high risk: it frees more than 465.7 GiB; its rule may delete a video's last playable stream",
    );
  });

  it('names the region the campaign walks and deletes in', () => {
    const campaign = aCampaign('pending', { region: 'ap-southeast-1' });
    expect(JSON.stringify(campaignMessage({ campaign, sample: [] }, ctx))).toContain(
      'cp-7kq2m9x4pzt1b` · ap-southeast-1',
    );
  });

  it('shows progress with a bar, counts, bytes freed, the rate and the time left while running', () => {
    const campaign = aCampaign('running', { plan: { ...aCampaign('running').plan, items: 10 } });
    const message = campaignMessage(
      { campaign, sample: [], progress: aProgress(campaign, counts(3, 1, 1, 5)) },
      ctx,
    );
    const text = JSON.stringify(message);
    expect(text).toContain('`██████████░░░░░░░░░░` 50% · 5 of 10 items done');
    expect(text).toContain('*Deleted* 3 (6.00 KiB freed) · *skipped* 1 · *failed* 1');
    expect(text).toContain('2.5 items/s · about 2m30s left');
    expect(text).toContain('Approved by <@U0BOB> — deleting…');
  });

  it('ends with the counts and where the failures are explained once completed', () => {
    const campaign = aCampaign('completed');
    const progress = aProgress(campaign, counts(2, 0, 1, 0), { finishedAt: T0 + 90_000 });
    const message = campaignMessage({ campaign, sample: [], progress }, ctx);
    const text = JSON.stringify(message);
    expect(message.text).toContain('completed (2 deleted, 4.00 KiB freed, 1 failed)');
    expect(text).toContain('Finished');
    expect(text).toContain(':warning: 1 item failed: `vod-ops cleanup report cp-7kq2m9x4pzt1b`');
    expect(buttons(message)).toEqual([]);
  });

  it('says who paused it, and who cancelled or rejected it, with their words quoted', () => {
    const paused = aCampaign('paused', {
      paused: { at: T0, by: bob, from: 'running', reason: 'peak hours <!here>' },
    });
    const pausedText = JSON.stringify(campaignMessage({ campaign: paused, sample: [] }, ctx));
    expect(pausedText).toContain('Paused by <@U0BOB>');
    expect(pausedText).toContain('Reason given by <@U0BOB> for pausing:');
    const rejected = aCampaign('rejected', {
      decision: { outcome: 'rejected', by: bob, at: T0, reason: 'the app *still* plays LD' },
    });
    const rejectedMessage = campaignMessage({ campaign: rejected, sample: [] }, ctx);
    expect(JSON.stringify(rejectedMessage)).toContain('Rejected by <@U0BOB>. Nothing was deleted.');
    const quoted = rejectedMessage.blocks.filter((b) => b.type === 'rich_text');
    expect(JSON.stringify(quoted)).toContain('the app *still* plays LD');
    const cancelled = aCampaign('cancelled', { decision: { outcome: 'cancelled', by: rita, at: T0 } });
    expect(JSON.stringify(campaignMessage({ campaign: cancelled, sample: [] }, ctx))).toContain(
      'Cancelled by rita. Nothing was deleted.',
    );
  });

  it('escapes what comes from outside and stays within Block Kit limits, however large', () => {
    const hostile = '<!channel> <@U0BOSS> & <https://evil.test|click>';
    const base = aCampaign('pending');
    const many = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`${hostile}${i}`, { streams: 1, bytes: 1 }]),
    );
    const campaign = aCampaign('pending', {
      requester: { source: 'mcp', id: hostile, displayName: hostile.repeat(20), clientName: hostile },
      reason: hostile.repeat(40),
      rule: parseSelectionRule(
        {
          streams: { definitions: ['LD'] },
          videos: { title: 'a'.repeat(128), tags: Array.from({ length: 16 }, (_, i) => `tag${i}`) },
        },
        T0,
      ),
      plan: { ...base.plan, totals: { ...base.plan.totals, byDefinition: many, byFormat: many } },
    });
    const view: CampaignView = { campaign, sample: items(campaign, 5, 20, () => hostile.repeat(5)) };
    const message = campaignMessage(view, { sandbox: true });
    assertWithinBlockKitLimits(message);
    const rendered = JSON.stringify(message.blocks.filter((b) => b.type !== 'rich_text')) + message.text;
    expect(rendered).not.toMatch(/<!channel>|<@U0BOSS>|<https:/);
    for (const status of CAMPAIGN_STATUSES) {
      assertWithinBlockKitLimits(
        campaignMessage(
          { ...view, campaign: { ...campaign, status }, progress: aProgress(campaign, counts(1, 1, 1, 1)) },
          ctx,
        ),
      );
    }
    assertWithinBlockKitLimits(campaignRejectModal(campaign.id));
  });
});

describe('progressBar', () => {
  it.each([
    [0, 10, '`░░░░░░░░░░░░░░░░░░░░` 0%'],
    [1, 3, '`███████░░░░░░░░░░░░░` 33%'],
    [10, 10, '`████████████████████` 100%'],
    [0, 0, '`████████████████████` 100%'],
  ])('draws %d of %d as %s', (done, total, bar) => {
    expect(progressBar(done, total)).toBe(bar);
  });
});

describe('the /vod cleanup answers', () => {
  it('shows a campaign’s status with its counts, and where its message is', () => {
    const campaign = aCampaign('running', {
      announcement: { claimedAt: T0, ref: { channel: 'C0APPROVALS', ts: '1.2' } },
    });
    const message = campaignStatusMessage(campaign, aProgress(campaign, counts(1, 0, 0, 2)));
    const text = JSON.stringify(message);
    expect(text).toContain('*Status:* running');
    expect(text).toContain('*Items:* 2 pending, 0 running, 1 deleted');
    expect(text).toContain('<#C0APPROVALS>');
    assertWithinBlockKitLimits(message);
  });

  it('lists the campaigns awaiting approval with their ids and totals, or says there are none', () => {
    const campaign = aCampaign('pending');
    const text = JSON.stringify(campaignPendingListMessage([campaign]));
    expect(text).toContain(campaign.id);
    expect(text).toContain('6 streams of 3 videos (6.00 GiB) in 3 DeleteStream calls');
    expect(campaignPendingListMessage([]).text).toBe('No clean-up campaigns await approval.');
    const many = Array.from({ length: 80 }, () => aCampaign('pending', { reason: '<&>'.repeat(300) }));
    assertWithinBlockKitLimits(campaignPendingListMessage(many, { sandbox: true }));
  });
});
