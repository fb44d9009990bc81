import { describe, expect, it } from 'vitest';
import type { DeletionRequest } from '../../../src/core/requests/deletion-request.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import {
  applyNudge,
  type Nudge,
  nextNudge,
  type ReminderPolicy,
} from '../../../src/core/requests/reminders.js';
import { aDeletionRequest } from '../../helpers/builders.js';

const H = 3_600_000;
const CREATED = 1_000_000;
const EXPIRES = CREATED + 10 * H;
const SYSTEM: Principal = { source: 'system', id: 'replica-a', displayName: 'vod-ops' };
const ALICE: Principal = { source: 'slack', id: 'U-ALICE', displayName: 'Alice' };

const ALL: ReminderPolicy = {
  remindAfterMs: 2 * H,
  remindBeforeExpiryMs: 1 * H,
  escalateAfterMs: 4 * H,
  escalationGroup: 'S0ESCALATE',
};

function pending(over: Partial<DeletionRequest> = {}): DeletionRequest {
  return aDeletionRequest({ id: 'dr-remind0001', createdAt: CREATED, expiresAt: EXPIRES, ...over });
}

describe('nextNudge', () => {
  const cases: Array<[string, DeletionRequest, number, ReminderPolicy, Nudge | undefined]> = [
    ['nothing when no nudge is configured', pending(), EXPIRES - 1, {}, undefined],
    ['nothing before the first interval', pending(), CREATED + 2 * H - 1, ALL, undefined],
    ['an interval reminder once the interval has passed', pending(), CREATED + 2 * H, ALL, 'interval'],
    [
      'the next interval counts from the last reminder',
      pending({ reminded: { count: 1, lastAt: CREATED + 2 * H + 5, beforeExpiry: false } }),
      CREATED + 4 * H,
      { remindAfterMs: 2 * H },
      undefined,
    ],
    [
      'interval reminders repeat',
      pending({ reminded: { count: 1, lastAt: CREATED + 2 * H, beforeExpiry: false } }),
      CREATED + 4 * H,
      { remindAfterMs: 2 * H },
      'interval',
    ],
    [
      'the reminder before expiry once its window opens',
      pending(),
      EXPIRES - H,
      { remindBeforeExpiryMs: H },
      'before_expiry',
    ],
    ['not before its window', pending(), EXPIRES - H - 1, { remindBeforeExpiryMs: H }, undefined],
    [
      'the reminder before expiry only once',
      pending({ reminded: { count: 1, lastAt: EXPIRES - H, beforeExpiry: true } }),
      EXPIRES - 1,
      { remindBeforeExpiryMs: H },
      undefined,
    ],
    [
      'only the reminder before expiry when the interval is due too',
      pending({ escalatedAt: CREATED + 4 * H }),
      EXPIRES - H,
      ALL,
      'before_expiry',
    ],
    [
      'the interval after the reminder before expiry counts from it',
      pending({
        escalatedAt: CREATED + 4 * H,
        reminded: { count: 4, lastAt: EXPIRES - H, beforeExpiry: true },
      }),
      EXPIRES - 1,
      ALL,
      undefined,
    ],
    [
      'the escalation once its wait has passed',
      pending(),
      CREATED + 4 * H,
      { escalateAfterMs: 4 * H },
      'escalation',
    ],
    ['not before', pending(), CREATED + 4 * H - 1, { escalateAfterMs: 4 * H }, undefined],
    ['the escalation first when a reminder is due too', pending(), CREATED + 4 * H, ALL, 'escalation'],
    [
      'the escalation only once',
      pending({ escalatedAt: CREATED + 4 * H }),
      CREATED + 5 * H,
      { escalateAfterMs: 4 * H },
      undefined,
    ],
    ['nothing once approved', pending({ status: 'approved', version: 2 }), CREATED + 5 * H, ALL, undefined],
    ['nothing once rejected', pending({ status: 'rejected', version: 2 }), CREATED + 5 * H, ALL, undefined],
    ['nothing once cancelled', pending({ status: 'cancelled', version: 2 }), CREATED + 5 * H, ALL, undefined],
    ['nothing once expired', pending({ status: 'expired', version: 2 }), CREATED + 5 * H, ALL, undefined],
    ['nothing past expiry while still pending', pending(), EXPIRES, ALL, undefined],
  ];
  it.each(cases)('%s', (_name, request, now, policy, expected) => {
    expect(nextNudge(request, now, policy)).toBe(expected);
  });
});

describe('applyNudge', () => {
  it('records an interval reminder: the count, when, and a reminded entry with the ballot', () => {
    const request = pending({ votes: [{ approver: ALICE, decision: 'approve', at: CREATED + 1 }] });
    const now = CREATED + 2 * H;
    const transition = applyNudge(request, 'interval', now, SYSTEM, ALL);
    expect(transition?.next).toEqual({
      ...request,
      version: request.version + 1,
      reminded: { count: 1, lastAt: now, beforeExpiry: false },
    });
    expect(transition?.audit).toEqual([
      {
        at: now,
        type: 'reminded',
        actor: SYSTEM,
        requestId: request.id,
        videoId: request.videoId,
        details: { kind: 'interval', count: 1, expiresAt: EXPIRES, approvals: 1, required: 1 },
      },
    ]);
  });

  it('records the reminder before expiry as one more reminder, resetting the interval', () => {
    const request = pending({ reminded: { count: 2, lastAt: CREATED + 4 * H, beforeExpiry: false } });
    const now = EXPIRES - H;
    const transition = applyNudge(request, 'before_expiry', now, SYSTEM, ALL);
    expect(transition?.next.reminded).toEqual({ count: 3, lastAt: now, beforeExpiry: true });
    expect(transition?.audit[0]?.details).toEqual({
      kind: 'before_expiry',
      count: 3,
      expiresAt: EXPIRES,
      approvals: 0,
      required: 1,
    });
    expect(transition && nextNudge(transition.next, now, ALL)).not.toBe('before_expiry');
  });

  it('keeps the reminder before expiry sent through later interval reminders', () => {
    const request = pending({ reminded: { count: 1, lastAt: EXPIRES - 3 * H, beforeExpiry: true } });
    const transition = applyNudge(request, 'interval', EXPIRES - H, SYSTEM, ALL);
    expect(transition?.next.reminded).toEqual({ count: 2, lastAt: EXPIRES - H, beforeExpiry: true });
  });

  it('records an escalation once, with its wait and group', () => {
    const now = CREATED + 4 * H + 30_000;
    const transition = applyNudge(pending(), 'escalation', now, SYSTEM, ALL);
    expect(transition?.next).toMatchObject({ escalatedAt: now, version: 2 });
    expect(transition?.next.reminded).toBeUndefined();
    expect(transition?.audit.map((e) => [e.type, e.details])).toEqual([
      ['escalated', { afterMs: 4 * H, group: 'S0ESCALATE', approvals: 0, required: 1 }],
    ]);
    expect(transition && applyNudge(transition.next, 'escalation', now + 1, SYSTEM, ALL)).toBeUndefined();
  });

  it('leaves the group out of the entry when none is named', () => {
    const transition = applyNudge(pending(), 'escalation', CREATED + 4 * H, SYSTEM, {
      escalateAfterMs: 4 * H,
    });
    expect(transition?.audit[0]?.details).toEqual({ afterMs: 4 * H, approvals: 0, required: 1 });
  });

  it('records nothing on a decided or expired request', () => {
    for (const status of ['approved', 'rejected', 'cancelled', 'expired'] as const) {
      expect(applyNudge(pending({ status }), 'interval', CREATED + 3 * H, SYSTEM, ALL)).toBeUndefined();
    }
    expect(applyNudge(pending(), 'interval', EXPIRES, SYSTEM, ALL)).toBeUndefined();
  });

  it('records the reminder before expiry only once', () => {
    const request = pending({ reminded: { count: 1, lastAt: EXPIRES - H, beforeExpiry: true } });
    expect(applyNudge(request, 'before_expiry', EXPIRES - 1, SYSTEM, ALL)).toBeUndefined();
  });
});
