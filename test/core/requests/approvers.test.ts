import { describe, expect, it } from 'vitest';
import { anyApprover, createAllowlistApprovers } from '../../../src/core/requests/approvers.js';
import type { Principal } from '../../../src/core/requests/principal.js';

const SOURCES = ['slack', 'mcp', 'cli'];
const who = (source: string, id: string): Principal => ({ source, id, displayName: id });

describe('the approver allowlist', () => {
  it('matches a bare id from any source, and a qualified one only from its source', async () => {
    const approvers = createAllowlistApprovers(['U0BOB', 'mcp:alice'], SOURCES);
    expect(await approvers.isApprover(who('slack', 'U0BOB'))).toBe(true);
    expect(await approvers.isApprover(who('mcp', 'U0BOB'))).toBe(true);
    expect(await approvers.isApprover(who('mcp', 'alice'))).toBe(true);
    expect(await approvers.isApprover(who('slack', 'alice'))).toBe(false);
    expect(await approvers.isApprover(who('slack', 'U0CAROL'))).toBe(false);
  });

  it('takes a prefix that names no source as part of the id', async () => {
    const approvers = createAllowlistApprovers(['ldap:ops'], SOURCES);
    expect(await approvers.isApprover(who('cli', 'ldap:ops'))).toBe(true);
    expect(await approvers.isApprover(who('ldap', 'ops'))).toBe(false);
  });

  it('is not configured when empty, so requests are refused up front', () => {
    expect(createAllowlistApprovers([' ', ''], SOURCES).configured).toBe(false);
    expect(createAllowlistApprovers(['U0BOB'], SOURCES).configured).toBe(true);
  });

  it('combines with other directories, asking only the configured ones', async () => {
    const group = { configured: true, isApprover: async (p: Principal) => p.id === 'U0GROUP' };
    const unconfigured = { configured: false, isApprover: async () => true };
    const approvers = anyApprover(createAllowlistApprovers(['U0BOB'], SOURCES), group, unconfigured);
    expect(approvers.configured).toBe(true);
    expect(await approvers.isApprover(who('slack', 'U0GROUP'))).toBe(true);
    expect(await approvers.isApprover(who('slack', 'U0BOB'))).toBe(true);
    expect(await approvers.isApprover(who('slack', 'U0NOBODY'))).toBe(false);
  });
});
