import { describe, expect, it } from 'vitest';
import { loadVodConfig } from '../../../src/core/vod/vod-config.js';
import { assertApprovalPolicy, loadWorkflowSettings } from '../../../src/core/workflow/workflow-settings.js';

const vod = loadVodConfig({});

describe('the approval policy by risk', () => {
  it('needs as many approvals for a high-risk deletion as for any other unless told otherwise', () => {
    expect(loadWorkflowSettings({ VOD_OPS_APPROVALS_REQUIRED: '2' }, vod)).toMatchObject({
      requiredApprovals: 2,
      highRiskApprovals: 2,
    });
    expect(loadWorkflowSettings({}, vod).largeCampaignBytes).toBeUndefined();
  });

  it('reads the high-risk approvals and the large campaign size, decimal or binary', () => {
    const settings = loadWorkflowSettings(
      { VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK: '3', VOD_OPS_LARGE_CAMPAIGN_BYTES: '500GB' },
      vod,
    );
    expect(settings).toMatchObject({ requiredApprovals: 1, highRiskApprovals: 3, largeCampaignBytes: 500e9 });
    expect(loadWorkflowSettings({ VOD_OPS_LARGE_CAMPAIGN_BYTES: '2 TiB' }, vod).largeCampaignBytes).toBe(
      2 * 2 ** 40,
    );
    expect(loadWorkflowSettings({ VOD_OPS_LARGE_CAMPAIGN_BYTES: '1000' }, vod).largeCampaignBytes).toBe(1000);
  });

  it.each([
    [
      { VOD_OPS_APPROVALS_REQUIRED: '2', VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK: '1' },
      /cannot need fewer approvals/,
    ],
    [{ VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK: '11' }, /VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK="11"/],
    [{ VOD_OPS_LARGE_CAMPAIGN_BYTES: 'lots' }, /VOD_OPS_LARGE_CAMPAIGN_BYTES="lots" is not a size/],
    [{ VOD_OPS_LARGE_CAMPAIGN_BYTES: '5 GBs' }, /use bytes \(5000000000\) or a number with a unit/],
    [{ VOD_OPS_LARGE_CAMPAIGN_BYTES: `${'9'.repeat(400)}` }, /is not a size/],
    [{ VOD_OPS_LARGE_CAMPAIGN_BYTES: '2000PB' }, /is not a size/],
  ])('refuses %j with a sentence naming the setting', (env, message) => {
    expect(() => loadWorkflowSettings(env, vod)).toThrow(message);
  });

  it('refuses to serve when too few approvers are named for a high-risk deletion', () => {
    const settings = loadWorkflowSettings(
      { VOD_OPS_APPROVERS: 'U0BOB', VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK: '2' },
      vod,
    );
    expect(() => assertApprovalPolicy(settings)).toThrow(
      'VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK is 2 but VOD_OPS_APPROVERS names only 1',
    );
  });
});

describe('reminders and escalation', () => {
  it('are off unless set', () => {
    const settings = loadWorkflowSettings({}, vod);
    expect(settings.reminders).toEqual({});
    expect(settings.escalation).toBeUndefined();
  });

  it('reads the waits, and an escalation group of principal ids', () => {
    const settings = loadWorkflowSettings(
      {
        VOD_OPS_REMIND_AFTER: '2h',
        VOD_OPS_REMIND_BEFORE_EXPIRY: '1s',
        VOD_OPS_ESCALATE_AFTER: '4h',
        VOD_OPS_ESCALATION_GROUP: 'U0ERIN, slack:U0FRANK',
      },
      vod,
    );
    expect(settings.reminders).toEqual({
      remindAfterMs: 2 * 3_600_000,
      remindBeforeExpiryMs: 1_000,
      escalateAfterMs: 4 * 3_600_000,
      escalationGroup: 'U0ERIN,slack:U0FRANK',
    });
    expect(settings.escalation).toEqual({ approvers: ['U0ERIN', 'slack:U0FRANK'] });
  });

  it('reads a Slack user group id as a group for the Slack app to resolve', () => {
    const settings = loadWorkflowSettings(
      { VOD_OPS_ESCALATE_AFTER: '30m', VOD_OPS_ESCALATION_GROUP: 'S0614TZR7' },
      vod,
    );
    expect(settings.escalation).toEqual({ group: 'S0614TZR7' });
    expect(settings.reminders).toEqual({ escalateAfterMs: 1_800_000, escalationGroup: 'S0614TZR7' });
  });

  it.each([
    [
      { VOD_OPS_REMIND_AFTER: '24h' },
      'VOD_OPS_REMIND_AFTER=24h is not shorter than VOD_OPS_REQUEST_TTL=24h (the default): it would fall due only ' +
        'after requests expire. Shorten VOD_OPS_REMIND_AFTER, or lengthen VOD_OPS_REQUEST_TTL.',
    ],
    [
      { VOD_OPS_REQUEST_TTL: '2h', VOD_OPS_REMIND_BEFORE_EXPIRY: '3h' },
      'VOD_OPS_REMIND_BEFORE_EXPIRY=3h is not shorter than VOD_OPS_REQUEST_TTL=2h',
    ],
    [
      { VOD_OPS_REQUEST_TTL: '1h', VOD_OPS_ESCALATE_AFTER: '1h', VOD_OPS_ESCALATION_GROUP: 'U0ERIN' },
      'Shorten VOD_OPS_ESCALATE_AFTER, or lengthen VOD_OPS_REQUEST_TTL.',
    ],
    [{ VOD_OPS_REMIND_AFTER: '500ms' }, 'VOD_OPS_REMIND_AFTER="500ms" is not valid'],
    [{ VOD_OPS_REMIND_AFTER: 'often' }, 'VOD_OPS_REMIND_AFTER="often" is not valid'],
    [
      { VOD_OPS_ESCALATE_AFTER: '4h' },
      'VOD_OPS_ESCALATE_AFTER is set but VOD_OPS_ESCALATION_GROUP is not: there is nobody to escalate to. Add ' +
        'VOD_OPS_ESCALATION_GROUP',
    ],
    [
      { VOD_OPS_ESCALATION_GROUP: 'S0614TZR7' },
      'VOD_OPS_ESCALATION_GROUP is set but VOD_OPS_ESCALATE_AFTER is not: no request would ever be escalated to ' +
        'it. Add VOD_OPS_ESCALATE_AFTER',
    ],
  ])('refuses %j with a sentence saying what to change', (env, message) => {
    expect(() => loadWorkflowSettings(env, vod)).toThrow(message);
  });
});
