import { describe, expect, it } from 'vitest';
import { loadMcpOptions } from '../../src/app/mcp.js';

const slack = { SLACK_BOT_TOKEN: 'xoxb-1', VOD_OPS_APPROVAL_CHANNEL: 'C0APPROVALS' };

describe('loadMcpOptions: how assistants’ deletions are approved, decided where things are composed', () => {
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
    expect(loadMcpOptions(env)).toEqual({ requestsPerHour: 30, ...expected });
  });

  it.each([
    [{ VOD_OPS_MCP_APPROVAL: 'slack' }, /needs SLACK_BOT_TOKEN and VOD_OPS_APPROVAL_CHANNEL/],
    [{ VOD_OPS_MCP_APPROVAL: 'yolo' }, /use slack, elicit or none/],
    [{ VOD_OPS_MCP_REQUESTS_PER_HOUR: '0' }, /VOD_OPS_MCP_REQUESTS_PER_HOUR="0" is not valid/],
    [{ VOD_OPS_MCP_READ_ONLY: 'yes' }, /use true or false/],
  ])('refuses %j, saying what to set', (env, message) => {
    expect(() => loadMcpOptions(env)).toThrow(message);
  });
});
