import { describe, expect, it } from 'vitest';
import type { Campaign, CampaignStatus, ItemCounts } from '../../../src/core/campaigns/campaign.js';
import { voteOnCampaign } from '../../../src/core/campaigns/campaign-approval.js';
import { type CampaignStep, cancelCampaign } from '../../../src/core/campaigns/campaign-lifecycle.js';
import {
  completeCampaign,
  pauseCampaign,
  resumeCampaign,
  startCampaign,
} from '../../../src/core/campaigns/campaign-run.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import { aCampaign, T0 } from '../store/campaign-fixtures.js';

const NOW = T0 + 60_000;
const REQUESTER: Principal = { source: 'slack', id: 'U0RITA', displayName: 'Rita Requester' };
const ALICE: Principal = { source: 'slack', id: 'U-ALICE', displayName: 'Alice Approver' };
const BOB: Principal = { source: 'slack', id: 'U-BOB', displayName: 'Bob Approver' };
const MALLORY: Principal = { source: 'slack', id: 'U-MALLORY', displayName: 'Mallory' };
const SYSTEM: Principal = { source: 'system', id: 'host:1', displayName: 'vod-ops' };
const DIGEST = 'a'.repeat(64);

/** A campaign planned (its digest frozen) and moved to `status`. */
function campaign(status: CampaignStatus, overrides: Partial<Campaign> = {}): Campaign {
  const base = aCampaign();
  return {
    ...base,
    status,
    version: 5,
    expiresAt: NOW + 3_600_000,
    requiredApprovals: 1,
    plan: { ...base.plan, items: 3, digest: DIGEST, finishedAt: T0 + 1000 },
    ...overrides,
  };
}

const refusal = (step: CampaignStep | undefined) => (step && !step.ok ? step.refusal.kind : undefined);
const next = (step: CampaignStep | undefined) => (step?.ok ? step.next : undefined);
const types = (step: CampaignStep | undefined) => (step?.ok ? step.audit.map((e) => e.type) : []);

describe('a campaign’s approval', () => {
  const vote = (
    c: Campaign,
    approver: Principal,
    decision: 'approve' | 'reject',
    isApprover = true,
    now = NOW,
  ) =>
    voteOnCampaign(c, {
      approver,
      decision,
      isApprover,
      now,
      ...(decision === 'reject' ? { reason: 'too much' } : {}),
    });

  it.each([
    ['the requester', REQUESTER, true, 'self_approval'],
    [
      'the requester’s id from another source',
      { ...REQUESTER, source: 'mcp' as const },
      true,
      'self_approval',
    ],
    ['someone who is not an approver', MALLORY, false, 'not_approver'],
  ])('refuses a vote by %s', (_who, approver, isApprover, kind) => {
    expect(refusal(vote(campaign('pending'), approver as Principal, 'approve', isApprover as boolean))).toBe(
      kind,
    );
  });

  it('approves at the quorum, once per approver, with the approved digest in the trail', () => {
    const two = campaign('pending', { requiredApprovals: 2 });
    const first = vote(two, ALICE, 'approve');
    expect(next(first)?.status).toBe('pending');
    expect(types(first)).toEqual(['campaign_vote']);
    expect(refusal(vote(next(first) as Campaign, ALICE, 'approve'))).toBe('already_voted');
    const second = vote(next(first) as Campaign, BOB, 'approve');
    expect(next(second)).toMatchObject({ status: 'approved', decision: { outcome: 'approved', by: BOB } });
    expect(types(second)).toEqual(['campaign_vote', 'campaign_approved']);
    expect(second.ok && second.audit[1]?.details).toMatchObject({ approvals: 2, digest: DIGEST });
  });

  it('rejects on one rejection, with the reason', () => {
    const step = vote(campaign('pending', { requiredApprovals: 2 }), ALICE, 'reject');
    expect(next(step)).toMatchObject({
      status: 'rejected',
      decision: { outcome: 'rejected', reason: 'too much' },
    });
    expect(types(step)).toEqual(['campaign_vote', 'campaign_rejected']);
  });

  it.each<[CampaignStatus, string]>([
    ['planning', 'already_decided'],
    ['approved', 'already_decided'],
    ['running', 'already_decided'],
    ['cancelled', 'already_decided'],
    ['expired', 'expired'],
  ])('refuses a vote on a campaign that is %s', (status, kind) => {
    expect(refusal(vote(campaign(status), ALICE, 'approve'))).toBe(kind);
  });

  it('refuses a vote at or after the expiry, even before the sweeper marks it', () => {
    const c = campaign('pending', { expiresAt: NOW });
    expect(refusal(vote(c, ALICE, 'approve', true, NOW))).toBe('expired');
  });
});

describe('a campaign’s execution', () => {
  const control = { isApprover: false, now: NOW };

  it('starts only an approved campaign whose items hash to the digest the trail recorded', () => {
    expect(
      refusal(
        startCampaign(campaign('approved'), {
          found: 'b'.repeat(64),
          recorded: DIGEST,
          now: NOW,
          by: SYSTEM,
        }),
      ),
    ).toBe('items_changed');
    expect(
      refusal(startCampaign(campaign('pending'), { found: DIGEST, recorded: DIGEST, now: NOW, by: SYSTEM })),
    ).toBe('not_running');
    const forged = campaign('approved', { plan: { ...campaign('approved').plan, digest: 'c'.repeat(64) } });
    expect(
      refusal(startCampaign(forged, { found: 'c'.repeat(64), recorded: DIGEST, now: NOW, by: SYSTEM })),
    ).toBe('items_changed');
    expect(
      refusal(
        startCampaign(campaign('approved'), { found: DIGEST, recorded: undefined, now: NOW, by: SYSTEM }),
      ),
    ).toBe('items_changed');
    const started = startCampaign(campaign('approved'), {
      found: DIGEST,
      recorded: DIGEST,
      now: NOW,
      by: SYSTEM,
    });
    expect(next(started)).toMatchObject({ status: 'running', execution: { startedAt: NOW, digest: DIGEST } });
    expect(types(started)).toEqual(['campaign_started']);
  });

  it('is paused and resumed by its requester or an approver, to where it was', () => {
    expect(refusal(pauseCampaign(campaign('running'), { by: MALLORY, ...control }))).toBe(
      'not_allowed_to_control',
    );
    const paused = next(
      pauseCampaign(campaign('running'), { by: REQUESTER, reason: 'peak hours', ...control }),
    );
    expect(paused).toMatchObject({ status: 'paused', paused: { from: 'running', reason: 'peak hours' } });
    expect(refusal(pauseCampaign(paused as Campaign, { by: ALICE, isApprover: true, now: NOW }))).toBe(
      'not_running',
    );
    expect(refusal(resumeCampaign(paused as Campaign, { by: MALLORY, ...control }))).toBe(
      'not_allowed_to_control',
    );
    const resumed = resumeCampaign(paused as Campaign, { by: ALICE, isApprover: true, now: NOW + 5000 });
    expect(next(resumed)?.status).toBe('running');
    expect(next(resumed)?.paused).toBeUndefined();
    expect(resumed.ok && resumed.audit[0]?.details).toMatchObject({ to: 'running', pausedFor: 5000 });
    const early = next(pauseCampaign(campaign('approved'), { by: REQUESTER, ...control }));
    expect(next(resumeCampaign(early as Campaign, { by: REQUESTER, ...control }))?.status).toBe('approved');
    expect(refusal(resumeCampaign(campaign('running'), { by: REQUESTER, ...control }))).toBe('not_paused');
  });

  it.each<CampaignStatus>(['planning', 'pending', 'approved', 'running', 'paused'])(
    'may be cancelled while %s, keeping an approval as the decision on record',
    (status) => {
      const approved = status === 'approved' || status === 'running' || status === 'paused';
      const c = campaign(
        status,
        approved ? { decision: { outcome: 'approved', by: ALICE, at: NOW - 1 } } : {},
      );
      const step = cancelCampaign(c, { by: REQUESTER, isApprover: false, now: NOW });
      expect(next(step)?.status).toBe('cancelled');
      expect(next(step)?.decision?.outcome).toBe(approved ? 'approved' : 'cancelled');
      expect(types(step)).toEqual(['campaign_cancelled']);
    },
  );

  it.each<CampaignStatus>(['completed', 'rejected', 'expired', 'cancelled'])(
    'is closed once %s',
    (status) => {
      expect(refusal(cancelCampaign(campaign(status), { by: REQUESTER, isApprover: true, now: NOW }))).toBe(
        'already_closed',
      );
    },
  );

  it('completes when no item is pending or running, with its counts in the trail', () => {
    const counts = (pending: number, running: number): ItemCounts => ({
      pending: { items: pending, bytes: 0 },
      running: { items: running, bytes: 0 },
      deleted: { items: 2, bytes: 2048 },
      skipped: { items: 1, bytes: 10 },
      failed: { items: 0, bytes: 0 },
    });
    expect(
      completeCampaign(campaign('running'), { counts: counts(1, 0), now: NOW, by: SYSTEM }),
    ).toBeUndefined();
    expect(
      completeCampaign(campaign('running'), { counts: counts(0, 1), now: NOW, by: SYSTEM }),
    ).toBeUndefined();
    expect(
      completeCampaign(campaign('paused'), { counts: counts(0, 0), now: NOW, by: SYSTEM }),
    ).toBeUndefined();
    const done = completeCampaign(campaign('running'), { counts: counts(0, 0), now: NOW, by: SYSTEM });
    expect(next(done)?.status).toBe('completed');
    expect(done?.ok && done.audit[0]?.details).toEqual({
      deleted: 2,
      skipped: 1,
      failed: 0,
      bytesFreed: 2048,
    });
  });
});
