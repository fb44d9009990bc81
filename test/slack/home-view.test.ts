import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/core/campaigns/campaign.js';
import type { DeletionRequest } from '../../src/core/requests/deletion-request.js';
import type { Principal } from '../../src/core/requests/principal.js';
import { ACTION_APPROVE, ACTION_REJECT } from '../../src/slack/blocks.js';
import { HOME_LIST_MAX, type HomeInput, homeView } from '../../src/slack/home-view.js';
import { aCampaign } from '../core/store/campaign-fixtures.js';
import { assertWithinBlockKitLimits } from '../helpers/block-kit-limits.js';
import { aDeletionRequest, randomJobIds } from '../helpers/builders.js';

const AT = Date.UTC(2026, 0, 5, 10, 0, 0);
const bob: Principal = { source: 'slack', id: 'U0BOB', displayName: 'Bob' };

const empty: HomeInput = {
  awaiting: [],
  awaitingCampaigns: [],
  ownRequests: [],
  ownCampaigns: [],
  recent: [],
  at: AT,
  sandbox: false,
};

const text = (input: Partial<HomeInput>) => JSON.stringify(homeView({ ...empty, ...input }));

function decided(status: DeletionRequest['status'], over: Partial<DeletionRequest> = {}): DeletionRequest {
  return aDeletionRequest({
    status,
    votes: [{ approver: bob, decision: status === 'rejected' ? 'reject' : 'approve', at: AT }],
    decision: { outcome: status === 'rejected' ? 'rejected' : 'approved', by: bob, at: AT },
    ...over,
  });
}

describe('the App Home view', () => {
  it('says, in each section, that there is nothing to show', () => {
    const view = homeView(empty);
    expect(view.type).toBe('home');
    assertWithinBlockKitLimits(view);
    const shown = JSON.stringify(view);
    expect(shown).toContain('Nothing waits for your decision.');
    expect(shown).toContain('You have no open deletion requests or campaigns.');
    expect(shown).toContain('No deletion request has been decided yet.');
  });

  it('gives each request awaiting a decision the approval message’s Approve and Reject, valued with its id', () => {
    const requests = [aDeletionRequest(), aDeletionRequest()];
    const view = homeView({ ...empty, awaiting: requests });
    const elements = view.blocks.flatMap((b) => ('elements' in b && b.type === 'actions' ? b.elements : []));
    expect(elements.map((e) => [e.action_id, 'value' in e ? e.value : undefined])).toEqual(
      requests.flatMap((r) => [
        [ACTION_APPROVE, r.id],
        [ACTION_REJECT, r.id],
      ]),
    );
    assertWithinBlockKitLimits(view);
  });

  it('summarises a request with its video, jobs, size, requester, reason, approvals, risk and expiry', () => {
    const request = aDeletionRequest({
      requiredApprovals: 2,
      risks: ['no_playable_stream_left'],
      reason: 'stale renditions',
    });
    const shown = text({ awaiting: [request] });
    expect(shown).toContain(request.videoId);
    expect(shown).toContain(request.jobIds[0]);
    expect(shown).toContain('Requested by <@U0RITA>');
    expect(shown).toContain('“stale renditions”');
    expect(shown).toContain('0 of 2 approvals · high risk: no playable stream would remain');
    expect(shown).toMatch(/expires <!date\^\d+\^/);
    expect(shown).toMatch(/frees \d/);
  });

  it('escapes hostile text and keeps a reason on one line, so it cannot pass for a line of the view', () => {
    const hostile = aDeletionRequest({
      reason: 'ok\n*Approvals* 2 of 1 <!channel> <https://evil.example|click> & more',
      preview: {
        ...aDeletionRequest().preview,
        video: { videoId: 'v', title: '<!here> *boss* approved', status: 'Normal' },
      },
    });
    const view = homeView({
      ...empty,
      awaiting: [hostile],
      ownRequests: [hostile],
      recent: [decided('rejected')],
    });
    assertWithinBlockKitLimits(view);
    const shown = JSON.stringify(view);
    expect(shown).not.toContain('<!channel>');
    expect(shown).not.toContain('<!here>');
    expect(shown).not.toContain('<https://evil');
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).toContain('“ok *Approvals* 2 of 1 &lt;!channel&gt;');
  });

  it('lists at most 15 requests awaiting a decision, and says how many more there are', () => {
    const many = Array.from({ length: 40 }, () => aDeletionRequest({ jobIds: randomJobIds(20) }));
    const view = homeView({
      ...empty,
      awaiting: many,
      awaitingCampaigns: Array.from({ length: 30 }, () => aCampaign()),
      ownRequests: many,
      ownCampaigns: Array.from({ length: 30 }, () => aCampaign()),
      recent: Array.from({ length: 30 }, () => decided('succeeded')),
      notice: 'x'.repeat(5000),
      sandbox: true,
    });
    assertWithinBlockKitLimits(view);
    const shown = JSON.stringify(view);
    expect(shown.match(/"action_id":"vod_approve"/g)).toHaveLength(HOME_LIST_MAX);
    expect(shown).toContain(`…and ${40 - HOME_LIST_MAX} more — /vod pending`);
    expect(shown).toContain(`…and ${30 - HOME_LIST_MAX} more — /vod cleanup pending`);
    expect(shown).toContain(`…and ${40 + 30 - HOME_LIST_MAX} more — /vod pending`);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('shows the user’s own requests and campaigns, with where to find a campaign’s approval message', () => {
    const campaign: Campaign = {
      ...aCampaign(),
      announcement: { claimedAt: AT, ref: { channel: 'C0APPROVALS', ts: '1.2' } },
    };
    const mine = aDeletionRequest();
    const shown = text({ ownRequests: [mine], ownCampaigns: [campaign], awaitingCampaigns: [campaign] });
    expect(shown).toContain(mine.id);
    expect(shown).toContain(campaign.id);
    expect(shown).toContain('<#C0APPROVALS>');
  });

  it('shows recent decisions with who decided', () => {
    const shown = text({
      recent: [decided('succeeded'), decided('rejected'), aDeletionRequest({ status: 'expired' })],
    });
    expect(shown).toContain('deleted, approved by <@U0BOB>');
    expect(shown).toContain('rejected by <@U0BOB>');
    expect(shown).toContain('expired without a decision');
  });

  it('marks the sandbox and shows the notice at the top', () => {
    const view = homeView({
      ...empty,
      sandbox: true,
      notice: 'Your approval of `dr-1` is recorded: 1 of 2.',
    });
    const shown = JSON.stringify(view.blocks.slice(0, 3));
    expect(shown).toContain('SANDBOX');
    expect(shown).toContain('Your approval of `dr-1` is recorded: 1 of 2.');
  });
});
