import { describe, expect, it } from 'vitest';
import { loadMcpHttpSettings } from '../../src/mcp/http.js';
import { loadMcpSettings } from '../../src/mcp/settings.js';

const slack = { SLACK_BOT_TOKEN: 'xoxb-1', VOD_OPS_APPROVAL_CHANNEL: 'C0APPROVALS' };

describe('loadMcpSettings', () => {
  it.each([
    ['Slack approval by default when Slack is configured', slack, { approval: 'slack', readOnly: false }],
    [
      'no approval path without Slack, so deletions are refused',
      {},
      { approval: 'unavailable', readOnly: false },
    ],
    [
      'direct deletion only when asked for explicitly',
      { VOD_OPS_MCP_APPROVAL: 'none' },
      { approval: 'none', readOnly: false },
    ],
    [
      'elicitation only when asked for explicitly',
      { VOD_OPS_MCP_APPROVAL: 'elicit' },
      { approval: 'elicit', readOnly: false },
    ],
    ['read-only mode', { ...slack, VOD_OPS_MCP_READ_ONLY: 'true' }, { approval: 'slack', readOnly: true }],
  ])('chooses %s', (_name, env, expected) => {
    expect(loadMcpSettings(env)).toEqual({ requestsPerHour: 30, ...expected });
  });

  it.each([
    [{ VOD_OPS_MCP_APPROVAL: 'slack' }, /needs SLACK_BOT_TOKEN and VOD_OPS_APPROVAL_CHANNEL/],
    [{ VOD_OPS_MCP_APPROVAL: 'yolo' }, /use slack, elicit or none/],
    [{ VOD_OPS_MCP_REQUESTS_PER_HOUR: '0' }, /VOD_OPS_MCP_REQUESTS_PER_HOUR="0" is not valid/],
    [{ VOD_OPS_MCP_READ_ONLY: 'yes' }, /use true or false/],
  ])('refuses %j, saying what to set', (env, message) => {
    expect(() => loadMcpSettings(env)).toThrow(message);
  });
});

describe('loadMcpHttpSettings', () => {
  it('reads name=token pairs, the name being the principal', () => {
    const settings = loadMcpHttpSettings({
      VOD_OPS_MCP_TOKENS: 'alice=aaaaaaaaaaaaaaaaaaaaaaaaaaaa, ci-bot=bbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      VOD_OPS_MCP_ALLOWED_HOSTS: 'vod-ops.internal',
    });
    expect([...(settings?.tokens.keys() ?? [])]).toEqual(['alice', 'ci-bot']);
    expect(settings?.allowedHosts).toEqual(['vod-ops.internal']);
  });

  it('serves no /mcp at all without tokens', () => {
    expect(loadMcpHttpSettings({})).toBeUndefined();
  });

  it.each(['alice', 'alice=short', '=aaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'al ice=aaaaaaaaaaaaaaaaaaaaaaaaaaaa'])(
    'refuses %j, saying what a token entry looks like',
    (raw) => {
      expect(() => loadMcpHttpSettings({ VOD_OPS_MCP_TOKENS: raw })).toThrow(/name=token pairs/);
    },
  );
});
