import { describe, expect, it } from 'vitest';
import { loadMcpHttpSettings } from '../../src/mcp/http-settings.js';

describe('loadMcpHttpSettings', () => {
  it('reads name=token pairs, the name being the principal', () => {
    const settings = loadMcpHttpSettings({
      VOD_OPS_MCP_TOKENS: 'alice=aaaaaaaaaaaaaaaaaaaaaaaaaaaa, ci-bot=bbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      VOD_OPS_MCP_ALLOWED_HOSTS: 'vod-ops.internal',
    });
    expect([...(settings?.tokens.keys() ?? [])]).toEqual(['alice', 'ci-bot']);
    expect(settings?.allowedHosts).toEqual(['vod-ops.internal']);
  });

  it('refuses one token given to two principals, and one principal named twice', () => {
    const token = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    expect(() => loadMcpHttpSettings({ VOD_OPS_MCP_TOKENS: `alice=${token},bob=${token}` })).toThrow(
      /one token to both alice and bob/,
    );
    expect(() =>
      loadMcpHttpSettings({ VOD_OPS_MCP_TOKENS: `alice=${token},alice=bbbbbbbbbbbbbbbbbbbbbbbbbbbb` }),
    ).toThrow(/names alice twice/);
  });

  it('bounds the sessions by default, and takes other bounds', () => {
    const token = { VOD_OPS_MCP_TOKENS: 'alice=aaaaaaaaaaaaaaaaaaaaaaaaaaaa' };
    expect(loadMcpHttpSettings(token)).toMatchObject({
      maxSessions: 100,
      sessionsPerPrincipal: 10,
      sessionIdleMs: 30 * 60_000,
    });
    expect(
      loadMcpHttpSettings({
        ...token,
        VOD_OPS_MCP_SESSIONS_PER_PRINCIPAL: '2',
        VOD_OPS_MCP_SESSION_IDLE: '5m',
      }),
    ).toMatchObject({ sessionsPerPrincipal: 2, sessionIdleMs: 300_000 });
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
