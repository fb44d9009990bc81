import { describe, expect, it } from 'vitest';
import { renderAuditLine } from '../../src/cli/render-requests.js';
import type { AuditEntry } from '../../src/core/requests/audit-entry.js';

const at = Date.UTC(2026, 10, 24, 9, 0, 0);
const system = { source: 'system', id: 'replica-a', displayName: 'vod-ops' };

const entry = (type: AuditEntry['type'], details: Record<string, unknown>): AuditEntry => ({
  at,
  type,
  actor: system,
  requestId: 'dr-remind0000001',
  videoId: '94783faed59e41bde3bea921c994e5da',
  details,
});

describe('audit lines for reminders and escalations', () => {
  it.each([
    [
      { kind: 'interval', count: 1, approvals: 0, required: 2 },
      'reminded approvers (1st reminder; 0/2 approvals)',
    ],
    [
      { kind: 'interval', count: 12, approvals: 1, required: 2 },
      'reminded approvers (12th reminder; 1/2 approvals)',
    ],
    [
      { kind: 'before_expiry', count: 2, approvals: 1, required: 2 },
      'reminded approvers (2nd reminder, before expiry; 1/2 approvals)',
    ],
  ])('says a reminder %j in words', (details, words) => {
    expect(renderAuditLine(entry('reminded', { ...details, expiresAt: at }))).toContain(words);
  });

  it('says whom a request was escalated to and after how long', () => {
    const line = renderAuditLine(
      entry('escalated', { afterMs: 4 * 3_600_000, group: 'S0614TZR7', approvals: 0, required: 1 }),
    );
    expect(line).toBe(
      '2026-11-24T09:00:00Z  escalated        dr-remind0000001  94783faed59e41bde3bea921c994e5da  vod-ops (system:replica-a)  escalated to S0614TZR7 after 4h00m (0/1 approvals)',
    );
  });

  it('keeps other entries as their details', () => {
    expect(renderAuditLine(entry('expired', { expiresAt: at }))).toMatch(/expiresAt=\d+$/);
  });
});
