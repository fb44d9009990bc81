import { describe, expect, it } from 'vitest';
import type { Announcement, DeletionRequest } from '../../src/core/requests/deletion-request.js';
import type { Principal } from '../../src/core/requests/principal.js';
import { createApproverRoster } from '../../src/slack/approver-roster.js';
import { approvalMessagesOf, clickedElsewhere, copiesOf, copiesRef } from '../../src/slack/message-ref.js';
import { escalationMessage, reminderMessage, requestNotice } from '../../src/slack/notice-text.js';
import { loadPeopleSettings, slackUserIds, slackUserOf } from '../../src/slack/people-settings.js';
import { assertWithinBlockKitLimits } from '../helpers/block-kit-limits.js';
import { aDeletionRequest } from '../helpers/builders.js';

const AT = Date.UTC(2026, 11, 4, 9, 0, 0);
const bob: Principal = { source: 'slack', id: 'U0BOB', displayName: 'Bob' };
const ctx = { sandbox: false };

describe('how people are reached (settings)', () => {
  it('reads channel, dm and both, channel by default', () => {
    expect(loadPeopleSettings({}).notifyApprovers).toBe('channel');
    expect(loadPeopleSettings({ VOD_OPS_NOTIFY_APPROVERS: 'dm' }).notifyApprovers).toBe('dm');
    expect(loadPeopleSettings({ VOD_OPS_NOTIFY_APPROVERS: ' both ' }).notifyApprovers).toBe('both');
  });

  it('refuses an unknown mode or a malformed mapping with what to write instead', () => {
    expect(() => loadPeopleSettings({ VOD_OPS_NOTIFY_APPROVERS: 'email' })).toThrow(/channel.*dm.*both/);
    for (const bad of ['ci-bot', 'ci-bot=', '=U0DAVE', 'ci-bot=dave', 'ci-bot=#general']) {
      expect(() => loadPeopleSettings({ VOD_OPS_PRINCIPAL_SLACK_USERS: bad })).toThrow(
        /VOD_OPS_PRINCIPAL_SLACK_USERS.*principal=SlackUserId/,
      );
    }
  });

  it('finds the Slack user of a requester: a Slack one, a mapped one by source:id then id, never vod-ops itself', () => {
    const { principalSlackUsers } = loadPeopleSettings({
      VOD_OPS_PRINCIPAL_SLACK_USERS: 'ci-bot=U0DAVE, mcp:alice=U0ALICE,cli:alice=U0OTHER',
    });
    const as = (source: string, id: string) =>
      slackUserOf({ source, id, displayName: id }, principalSlackUsers);
    expect(as('slack', 'U0BOB')).toBe('U0BOB');
    expect(as('mcp', 'ci-bot')).toBe('U0DAVE');
    expect(as('mcp', 'alice')).toBe('U0ALICE');
    expect(as('cli', 'alice')).toBe('U0OTHER');
    expect(as('mcp', 'nobody')).toBeUndefined();
    expect(as('system', 'ci-bot')).toBeUndefined();
  });

  it('lists only Slack users among approver entries', () => {
    expect(slackUserIds(['U0BOB', 'slack:U0CAROL', 'mcp:alice', 'alice', 'W0ENT', 'U0BOB'])).toEqual([
      'U0BOB',
      'U0CAROL',
      'W0ENT',
    ]);
  });

  it('mentions the approver group by its handle and listed users by id', async () => {
    const group = {
      configured: true,
      groupId: 'S0OPS',
      isApprover: async () => false,
      members: async () => ['U0GROUP', 'U0BOB'],
    };
    const roster = createApproverRoster({
      approvers: ['U0BOB', 'mcp:x'],
      group,
      escalation: { ids: ['U0BOSS'] },
    });
    expect(await roster.approvers()).toEqual(['U0BOB', 'U0GROUP']);
    expect(await roster.mention('approvers')).toBe('<!subteam^S0OPS> <@U0BOB>');
    expect(await roster.escalation()).toEqual(['U0BOSS']);
    expect(await roster.mention('escalation')).toBe('<@U0BOSS>');
  });
});

describe('copies of an approval message in direct messages', () => {
  const shown = (announcement: Announcement) => aDeletionRequest({ announcement }) as DeletionRequest;
  const copies = copiesRef(
    new Map([
      ['U0BOB', { channel: 'DU0BOB', ts: '2.2' }],
      ['U0CAROL', { channel: 'DU0CAROL', ts: '3.3' }],
    ]),
  );

  it('keeps the channel message first and counts a click on any copy', () => {
    const request = shown({ claimedAt: AT, ref: { channel: 'C0APPROVALS', ts: '1.1' }, copies });
    expect(approvalMessagesOf(request)).toEqual([
      { channel: 'C0APPROVALS', ts: '1.1' },
      { channel: 'DU0BOB', ts: '2.2' },
      { channel: 'DU0CAROL', ts: '3.3' },
    ]);
    expect(Object.keys(copiesOf(request))).toEqual(['U0BOB', 'U0CAROL']);
    expect(clickedElsewhere(request, 'request', { channel: 'DU0CAROL', ts: '3.3' })).toBeUndefined();
    expect(clickedElsewhere(request, 'request', { channel: 'DU0EVE', ts: '3.3' })).toMatch(/<#C0APPROVALS>/);
  });

  it('sends a click on a message that is no copy to the direct messages when there is no channel message', () => {
    const request = shown({ claimedAt: 0, copies });
    expect(clickedElsewhere(request, 'request', { channel: 'C0OTHER', ts: '9.9' })).toMatch(
      /direct messages/,
    );
  });
});

describe('what people are told', () => {
  const hostile = '*bold* <!channel> <https://evil.example|click> `x`';

  it('quotes a rejection’s reason without letting it mention or link anyone', () => {
    const request = aDeletionRequest({
      status: 'rejected',
      votes: [{ approver: bob, decision: 'reject', reason: hostile, at: AT }],
      decision: { outcome: 'rejected', by: bob, at: AT, reason: hostile },
    });
    const notice = requestNotice(request, ctx);
    assertWithinBlockKitLimits(notice);
    const mrkdwnTexts = JSON.stringify(
      notice.blocks.filter((b) => b.type === 'section' || b.type === 'context'),
    );
    expect(mrkdwnTexts).toMatch(/Rejected by <@U0BOB>/);
    // The reason is only ever shown literally, in a quote (rich text: no mentions, no links).
    expect(mrkdwnTexts).not.toContain('<!channel>');
    expect(mrkdwnTexts).not.toContain('<https://evil.example');
    expect(JSON.stringify(notice.blocks.filter((b) => b.type === 'rich_text'))).toContain(
      hostile.replace(/"/g, '\\"'),
    );
  });

  it('says in a reminder when the request expires, and who is asked', () => {
    const request = aDeletionRequest({ expiresAt: AT + 3_600_000 });
    const before = reminderMessage(request, 'before_expiry', '<!subteam^S0OPS>', ctx);
    assertWithinBlockKitLimits(before);
    expect(JSON.stringify(before.blocks)).toMatch(/<!subteam\^S0OPS> :alarm_clock: Request .* expires/);
    expect(reminderMessage(request, 'interval', '', ctx).text).toMatch(/Reminder: request `dr-/);
    const escalated = escalationMessage(request, 2 * 3_600_000, '<@U0BOSS>', ctx);
    expect(JSON.stringify(escalated.blocks)).toMatch(
      /waited 2 hours.*<@U0BOSS>: you may now approve or reject/,
    );
  });
});
