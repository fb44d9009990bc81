import { describe, expect, it } from 'vitest';
import { loadMcpHttpSettings } from '../../src/mcp/http.js';

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
