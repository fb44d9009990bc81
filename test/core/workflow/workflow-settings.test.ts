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
