import { describe, expect, it } from 'vitest';
import type { FailureSummary } from '../../../src/core/errors.js';
import type { DeletionRequest, RequestStatus } from '../../../src/core/requests/deletion-request.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import { samePrincipal } from '../../../src/core/requests/principal.js';
import {
  applyCancel,
  applyExpiry,
  applyVote,
  claimExecution,
  type Decided,
  type ExecutionResult,
  finishExecution,
  type Refusal,
  type Transition,
  type VoteInput,
} from '../../../src/core/requests/request-lifecycle.js';
import { aDeletionRequest, aVideoId, someJobIds } from '../../helpers/builders.js';

const CREATED = 1_000_000;
const NOW = 1_060_000;
const EXPIRES = 4_600_000;
const LEASE_MS = 30_000;

const REQUESTER: Principal = { source: 'slack', id: 'U-REQ', displayName: 'Rita Requester' };
const ALICE: Principal = { source: 'slack', id: 'U-ALICE', displayName: 'Alice Approver' };
const BOB: Principal = { source: 'slack', id: 'U-BOB', displayName: 'Bob Approver' };
const CAROL: Principal = {
  source: 'mcp',
  id: 'carol-token',
  displayName: 'Carol',
  clientName: 'claude-code',
};
const MALLORY: Principal = { source: 'slack', id: 'U-MALLORY', displayName: 'Mallory' };
const SYSTEM: Principal = { source: 'system', id: 'vod-ops', displayName: 'vod-ops' };

const VIDEO_ID = '94783faed59e41bde3bea921c994e5da';
const JOB_ID = 'bbffd3db76aa4d4c98c5fa6f42f9bff9';

function request(overrides: Partial<DeletionRequest> = {}): DeletionRequest {
  return aDeletionRequest({
    id: 'dr-test0001',
    videoId: aVideoId(VIDEO_ID),
    jobIds: someJobIds(JOB_ID),
    reason: 'stale HD rendition',
    requester: REQUESTER,
    createdAt: CREATED,
    expiresAt: EXPIRES,
    ...overrides,
  });
}

const APPROVED_BY_ALICE: Partial<DeletionRequest> = {
  status: 'approved',
  version: 2,
  votes: [{ approver: ALICE, decision: 'approve', at: NOW - 5_000 }],
  decision: { outcome: 'approved', by: ALICE, at: NOW - 5_000 },
};
const RUNNING = { owner: 'worker-a', leaseUntil: NOW + 10_000, claims: 1, startedAt: NOW - 2_000 };

/** A realistic request in each status, as the workflow would have stored it. */
function inStatus(status: RequestStatus): DeletionRequest {
  switch (status) {
    case 'pending':
      return request();
    case 'approved':
      return request(APPROVED_BY_ALICE);
    case 'executing':
      return request({ ...APPROVED_BY_ALICE, status, version: 3, execution: RUNNING });
    case 'succeeded':
      return request({
        ...APPROVED_BY_ALICE,
        status,
        version: 4,
        execution: { ...RUNNING, finishedAt: NOW - 1_000, requestId: 'RID-1', requestIds: ['RID-1'] },
      });
    case 'failed':
      return request({
        ...APPROVED_BY_ALICE,
        status,
        version: 4,
        execution: {
          ...RUNNING,
          finishedAt: NOW - 1_000,
          error: { code: 'UPSTREAM_REJECTED', message: 'no' },
        },
      });
    case 'rejected':
      return request({
        status,
        version: 2,
        votes: [{ approver: BOB, decision: 'reject', reason: 'still in use', at: NOW - 5_000 }],
        decision: { outcome: 'rejected', by: BOB, reason: 'still in use', at: NOW - 5_000 },
      });
    case 'expired':
      return request({
        status,
        version: 2,
        expiresAt: NOW - 10_000,
        decision: { outcome: 'expired', at: NOW - 10_000 },
      });
    case 'cancelled':
      return request({
        status,
        version: 2,
        decision: { outcome: 'cancelled', by: REQUESTER, at: NOW - 5_000 },
      });
  }
}

const NOT_PENDING: RequestStatus[] = [
  'approved',
  'executing',
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
];

/** The refusal a pending-phase action (vote, cancel) gets on a request that is no longer pending. */
const CLOSED_REFUSALS: [RequestStatus, Refusal][] = [
  ['approved', { kind: 'already_decided', status: 'approved', decidedBy: ALICE }],
  ['executing', { kind: 'already_decided', status: 'executing', decidedBy: ALICE }],
  ['succeeded', { kind: 'already_decided', status: 'succeeded', decidedBy: ALICE }],
  ['failed', { kind: 'already_decided', status: 'failed', decidedBy: ALICE }],
  ['rejected', { kind: 'already_decided', status: 'rejected', decidedBy: BOB }],
  ['expired', { kind: 'expired', expiresAt: NOW - 10_000 }],
  ['cancelled', { kind: 'cancelled', by: REQUESTER }],
];

function vote(approver: Principal, overrides: Partial<VoteInput> = {}): VoteInput {
  return { approver, decision: 'approve', isApprover: true, now: NOW, ...overrides };
}

function accepted(decided: Decided): Transition {
  if (!decided.ok) throw new Error(`expected a transition, got refusal ${JSON.stringify(decided.refusal)}`);
  return decided.transition;
}

function refused(decided: Decided): Refusal {
  if (decided.ok) throw new Error(`expected a refusal, got status ${decided.transition.next.status}`);
  return decided.refusal;
}

function present<T>(value: T | undefined): T {
  expect(value).toBeDefined();
  return value as T;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('samePrincipal', () => {
  it.each([
    ['the same source and id, whatever the display name', { ...ALICE, displayName: 'A.' }, true],
    ['the same id from another source', { ...ALICE, source: 'mcp' as const }, false],
    ['another id from the same source', BOB, false],
  ])('treats %s as %s', (_name, other, same) => {
    expect(samePrincipal(ALICE, other)).toBe(same);
  });
});

describe('applyVote', () => {
  it('approves with one required approval, naming the approver, bumping the version and auditing vote then approved', () => {
    const before = request();
    const { next, audit } = accepted(applyVote(before, vote(ALICE)));

    expect(next).toEqual({
      ...before,
      status: 'approved',
      version: 2,
      votes: [{ approver: ALICE, decision: 'approve', at: NOW }],
      decision: { outcome: 'approved', by: ALICE, at: NOW },
    });
    expect(audit).toEqual([
      {
        at: NOW,
        type: 'vote',
        actor: ALICE,
        requestId: 'dr-test0001',
        videoId: VIDEO_ID,
        details: { decision: 'approve', approvals: 1, required: 1 },
      },
      {
        at: NOW,
        type: 'approved',
        actor: ALICE,
        requestId: 'dr-test0001',
        videoId: VIDEO_ID,
        details: { approvals: 1 },
      },
    ]);
  });

  it('keeps a request pending after the first of two required approvals and audits only the vote', () => {
    const { next, audit } = accepted(applyVote(request({ requiredApprovals: 2 }), vote(ALICE)));

    expect(next.status).toBe('pending');
    expect(next.version).toBe(2);
    expect(next.decision).toBeUndefined();
    expect(next.votes).toEqual([{ approver: ALICE, decision: 'approve', at: NOW }]);
    expect(audit.map((e) => e.type)).toEqual(['vote']);
    expect(audit[0]).toMatchObject({
      actor: ALICE,
      requestId: 'dr-test0001',
      videoId: VIDEO_ID,
      details: { decision: 'approve', approvals: 1, required: 2 },
    });
  });

  it('approves when a second, different approver reaches a quorum of two, the decision naming the second', () => {
    const first = accepted(applyVote(request({ requiredApprovals: 2 }), vote(ALICE))).next;
    const { next, audit } = accepted(applyVote(first, vote(BOB, { now: NOW + 1_000 })));

    expect(next.status).toBe('approved');
    expect(next.version).toBe(3);
    expect(next.votes.map((v) => v.approver)).toEqual([ALICE, BOB]);
    expect(next.decision).toEqual({ outcome: 'approved', by: BOB, at: NOW + 1_000 });
    expect(audit.map((e) => e.type)).toEqual(['vote', 'approved']);
    expect(audit[1]?.details).toEqual({ approvals: 2 });
  });

  it.each([1, 2, 3])('reaches a quorum of %i only with that many distinct approvals', (needed) => {
    let current = request({ requiredApprovals: needed });
    const approvers = [ALICE, BOB, CAROL];
    for (let i = 0; i < needed - 1; i++) {
      current = accepted(applyVote(current, vote(present(approvers[i])))).next;
      expect(current.status).toBe('pending');
    }
    current = accepted(applyVote(current, vote(present(approvers[needed - 1])))).next;
    expect(current.status).toBe('approved');
    expect(current.votes).toHaveLength(needed);
  });

  it.each([
    ['approve', 'approve'],
    ['approve', 'reject'],
  ] as const)(
    'refuses an approver who voted %s voting again (%s), returning the earlier vote',
    (first, second) => {
      const once = accepted(
        applyVote(request({ requiredApprovals: 2 }), vote(ALICE, { decision: first })),
      ).next;
      const again = applyVote(once, vote(ALICE, { decision: second, now: NOW + 1_000 }));

      expect(refused(again)).toEqual({
        kind: 'already_voted',
        vote: { approver: ALICE, decision: first, at: NOW },
      });
    },
  );

  it('rejects on a rejection after one approval of two: any rejection is final, and the decision carries the reason', () => {
    const once = accepted(applyVote(request({ requiredApprovals: 2 }), vote(ALICE))).next;
    const { next, audit } = accepted(
      applyVote(once, vote(BOB, { decision: 'reject', reason: 'still in use', now: NOW + 1_000 })),
    );

    expect(next.status).toBe('rejected');
    expect(next.version).toBe(3);
    expect(next.decision).toEqual({ outcome: 'rejected', by: BOB, reason: 'still in use', at: NOW + 1_000 });
    expect(next.votes[1]).toEqual({
      approver: BOB,
      decision: 'reject',
      reason: 'still in use',
      at: NOW + 1_000,
    });
    expect(audit.map((e) => e.type)).toEqual(['vote', 'rejected']);
  });

  it('rejects a fresh request with the reason, auditing the vote then the rejection', () => {
    const before = request({ requiredApprovals: 2 });
    const { next, audit } = accepted(
      applyVote(before, vote(BOB, { decision: 'reject', reason: 'still in use' })),
    );

    expect(next).toEqual({
      ...before,
      status: 'rejected',
      version: 2,
      votes: [{ approver: BOB, decision: 'reject', reason: 'still in use', at: NOW }],
      decision: { outcome: 'rejected', by: BOB, reason: 'still in use', at: NOW },
    });
    expect(audit).toEqual([
      {
        at: NOW,
        type: 'vote',
        actor: BOB,
        requestId: 'dr-test0001',
        videoId: VIDEO_ID,
        details: { decision: 'reject', reason: 'still in use', approvals: 0, required: 2 },
      },
      {
        at: NOW,
        type: 'rejected',
        actor: BOB,
        requestId: 'dr-test0001',
        videoId: VIDEO_ID,
        details: { reason: 'still in use' },
      },
    ]);
  });

  it('leaves an absent reason out of the vote, the decision and the audit details', () => {
    const { next, audit } = accepted(applyVote(request(), vote(BOB, { decision: 'reject' })));

    expect(next.votes[0]).not.toHaveProperty('reason');
    expect(next.decision).not.toHaveProperty('reason');
    for (const e of audit) expect(e.details).not.toHaveProperty('reason');
  });

  it.each([
    ['approve', true],
    ['reject', true],
    ['approve', false],
  ] as const)(
    'refuses the requester voting %s on their own request (isApprover %s)',
    (decision, isApprover) => {
      const decided = applyVote(
        request(),
        vote({ ...REQUESTER, displayName: 'renamed' }, { decision, isApprover }),
      );
      expect(refused(decided)).toEqual({ kind: 'self_approval' });
    },
  );

  it('refuses an approval from the requester’s id under another source, as the allowlist matches ids across sources', () => {
    const sameIdElsewhere: Principal = { source: 'mcp', id: REQUESTER.id, displayName: 'someone on MCP' };
    expect(refused(applyVote(request(), vote(sameIdElsewhere)))).toEqual({ kind: 'self_approval' });
  });

  it.each(['approve', 'reject'] as const)('refuses a %s from someone who is not an approver', (decision) => {
    const decided = applyVote(request(), vote(MALLORY, { decision, isApprover: false }));
    expect(refused(decided)).toEqual({ kind: 'not_approver' });
  });

  it('counts an escalation approver only once the request is escalated', () => {
    const escalationVote = vote(MALLORY, { isApprover: false, isEscalationApprover: true });
    expect(refused(applyVote(request(), escalationVote))).toEqual({ kind: 'not_approver' });
    const { next, audit } = accepted(applyVote(request({ escalatedAt: NOW - 1_000 }), escalationVote));
    expect(next.status).toBe('approved');
    expect(audit.map((e) => e.type)).toEqual(['vote', 'approved']);
  });

  it.each(CLOSED_REFUSALS)('refuses a vote on a %s request as %j', (status, refusal) => {
    for (const decision of ['approve', 'reject'] as const) {
      expect(refused(applyVote(inStatus(status), vote(CAROL, { decision })))).toEqual(refusal);
    }
  });

  it.each([
    ['approve', EXPIRES],
    ['approve', EXPIRES + 1],
    ['reject', EXPIRES],
    ['reject', EXPIRES + 60_000],
  ] as const)(
    'refuses a %s on a pending request at %i, once it is due to expire, as expired (never rejected)',
    (decision, now) => {
      const decided = applyVote(request(), vote(ALICE, { decision, now }));
      expect(refused(decided)).toEqual({ kind: 'expired', expiresAt: EXPIRES });
    },
  );

  it('accepts a vote one millisecond before the request expires', () => {
    const { next } = accepted(applyVote(request(), vote(ALICE, { now: EXPIRES - 1 })));
    expect(next.status).toBe('approved');
  });
});

describe('applyCancel', () => {
  it.each([
    ['the requester, who is not an approver', REQUESTER, false],
    ['an approver', ALICE, true],
  ] as const)('lets %s cancel a pending request, auditing one cancelled entry', (_name, by, isApprover) => {
    const before = request({ requiredApprovals: 2 });
    const { next, audit } = accepted(
      applyCancel(before, { by, isApprover, reason: 'wrong video', now: NOW }),
    );

    expect(next).toEqual({
      ...before,
      status: 'cancelled',
      version: 2,
      decision: { outcome: 'cancelled', by, reason: 'wrong video', at: NOW },
    });
    expect(audit).toEqual([
      {
        at: NOW,
        type: 'cancelled',
        actor: by,
        requestId: 'dr-test0001',
        videoId: VIDEO_ID,
        details: { reason: 'wrong video' },
      },
    ]);
  });

  it('cancels a request that already has one of two approvals', () => {
    const once = accepted(applyVote(request({ requiredApprovals: 2 }), vote(ALICE))).next;
    const { next } = accepted(applyCancel(once, { by: REQUESTER, isApprover: false, now: NOW + 1_000 }));

    expect(next.status).toBe('cancelled');
    expect(next.votes).toEqual(once.votes);
    expect(next.decision).toEqual({ outcome: 'cancelled', by: REQUESTER, at: NOW + 1_000 });
  });

  it.each([
    ['someone who is neither requester nor approver', MALLORY],
    ['the requester’s id under another source', { ...REQUESTER, source: 'cli' as const }],
  ])('refuses a cancel by %s', (_name, by) => {
    const decided = applyCancel(request(), { by, isApprover: false, now: NOW });
    expect(refused(decided)).toEqual({ kind: 'not_allowed_to_cancel' });
  });

  it.each(CLOSED_REFUSALS)('refuses to cancel a %s request as %j', (status, refusal) => {
    expect(refused(applyCancel(inStatus(status), { by: REQUESTER, isApprover: false, now: NOW }))).toEqual(
      refusal,
    );
  });

  it('refuses to cancel a pending request that is due to expire, as expired', () => {
    const decided = applyCancel(request(), { by: REQUESTER, isApprover: false, now: EXPIRES });
    expect(refused(decided)).toEqual({ kind: 'expired', expiresAt: EXPIRES });
  });
});

describe('applyExpiry', () => {
  it.each([EXPIRES, EXPIRES + 1, EXPIRES + 86_400_000])(
    'expires a pending request at %i, with no decider, auditing one expired entry',
    (now) => {
      const before = request();
      const transition = present(applyExpiry(before, now, SYSTEM));

      expect(transition.next).toEqual({
        ...before,
        status: 'expired',
        version: 2,
        decision: { outcome: 'expired', at: now },
      });
      expect(transition.audit).toEqual([
        {
          at: now,
          type: 'expired',
          actor: SYSTEM,
          requestId: 'dr-test0001',
          videoId: VIDEO_ID,
          details: { expiresAt: EXPIRES },
        },
      ]);
    },
  );

  it('leaves a pending request alone until it is due', () => {
    expect(applyExpiry(request(), EXPIRES - 1, SYSTEM)).toBeUndefined();
  });

  it.each(NOT_PENDING)('leaves a %s request alone, even long past its expiry', (status) => {
    expect(applyExpiry(inStatus(status), EXPIRES + 86_400_000, SYSTEM)).toBeUndefined();
  });
});

describe('claimExecution', () => {
  const claim = (owner: string, now: number) => ({ owner, leaseMs: LEASE_MS, now, by: SYSTEM });

  it('claims an approved request for the first time with a lease from now', () => {
    const before = inStatus('approved');
    const transition = present(claimExecution(before, claim('worker-b', NOW)));

    expect(transition.next).toEqual({
      ...before,
      status: 'executing',
      version: before.version + 1,
      execution: { owner: 'worker-b', leaseUntil: NOW + LEASE_MS, claims: 1, startedAt: NOW },
    });
    expect(transition.audit).toEqual([
      {
        at: NOW,
        type: 'executing',
        actor: SYSTEM,
        requestId: 'dr-test0001',
        videoId: VIDEO_ID,
        details: { owner: 'worker-b', claims: 1 },
      },
    ]);
  });

  it.each([
    ['the holder', 'worker-a'],
    ['another process', 'worker-b'],
  ])('leaves an executing request alone while its lease is live, whether %s or not asks', (_name, owner) => {
    expect(claimExecution(inStatus('executing'), claim(owner, RUNNING.leaseUntil - 1))).toBeUndefined();
  });

  it.each([RUNNING.leaseUntil, RUNNING.leaseUntil + 60_000])(
    'resumes an executing request whose lease ran out (at %i), keeping its start and naming the previous owner',
    (now) => {
      const before = inStatus('executing');
      const transition = present(claimExecution(before, claim('worker-b', now)));

      expect(transition.next).toEqual({
        ...before,
        status: 'executing',
        version: before.version + 1,
        execution: { owner: 'worker-b', leaseUntil: now + LEASE_MS, claims: 2, startedAt: RUNNING.startedAt },
      });
      expect(transition.audit).toEqual([
        {
          at: now,
          type: 'executing',
          actor: SYSTEM,
          requestId: 'dr-test0001',
          videoId: VIDEO_ID,
          details: { owner: 'worker-b', claims: 2, resumedFrom: 'worker-a' },
        },
      ]);
    },
  );

  it('counts every resumption of a stalled execution', () => {
    const first = present(claimExecution(inStatus('approved'), claim('worker-a', NOW))).next;
    const second = present(claimExecution(first, claim('worker-b', NOW + LEASE_MS))).next;
    const third = present(claimExecution(second, claim('worker-c', NOW + 2 * LEASE_MS)));

    expect(third.next.execution).toEqual({
      owner: 'worker-c',
      leaseUntil: NOW + 3 * LEASE_MS,
      claims: 3,
      startedAt: NOW,
    });
    expect(third.audit[0]?.details).toEqual({ owner: 'worker-c', claims: 3, resumedFrom: 'worker-b' });
  });

  it.each(['pending', 'succeeded', 'failed', 'rejected', 'expired', 'cancelled'] as const)(
    'has nothing to claim on a %s request',
    (status) => {
      expect(claimExecution(inStatus(status), claim('worker-b', NOW + 86_400_000))).toBeUndefined();
    },
  );
});

describe('finishExecution', () => {
  const at = { now: NOW + 5_000, by: SYSTEM };

  it.each([false, true])(
    'records a success (alreadyDeleted %s) with Alibaba’s RequestIds and the finish time',
    (alreadyDeleted) => {
      const before = inStatus('executing');
      const result: ExecutionResult = {
        ok: true,
        requestId: 'RID-2',
        requestIds: ['RID-1', 'RID-2'],
        alreadyDeleted,
      };
      const transition = present(finishExecution(before, result, at));

      expect(transition.next).toEqual({
        ...before,
        status: 'succeeded',
        version: before.version + 1,
        execution: {
          ...RUNNING,
          finishedAt: NOW + 5_000,
          requestId: 'RID-2',
          requestIds: ['RID-1', 'RID-2'],
          alreadyDeleted,
        },
      });
      expect(transition.audit).toEqual([
        {
          at: NOW + 5_000,
          type: 'succeeded',
          actor: SYSTEM,
          requestId: 'dr-test0001',
          videoId: VIDEO_ID,
          details: { requestId: 'RID-2', requestIds: ['RID-1', 'RID-2'], alreadyDeleted },
        },
      ]);
    },
  );

  it('records a failure with what Alibaba said', () => {
    const before = inStatus('executing');
    const error: FailureSummary = {
      code: 'UPSTREAM_REJECTED',
      message: 'The video is locked.',
      vodCode: 'Forbidden.Locked',
      httpStatus: 403,
      requestId: 'RID-9',
    };
    const transition = present(finishExecution(before, { ok: false, error }, at));

    expect(transition.next).toEqual({
      ...before,
      status: 'failed',
      version: before.version + 1,
      execution: { ...RUNNING, finishedAt: NOW + 5_000, error },
    });
    expect(transition.next.execution).not.toHaveProperty('requestIds');
    expect(transition.audit).toEqual([
      {
        at: NOW + 5_000,
        type: 'failed',
        actor: SYSTEM,
        requestId: 'dr-test0001',
        videoId: VIDEO_ID,
        details: error,
      },
    ]);
  });

  it.each(['pending', 'approved', 'succeeded', 'failed', 'rejected', 'expired', 'cancelled'] as const)(
    'records nothing on a %s request',
    (status) => {
      const result: ExecutionResult = {
        ok: true,
        requestId: 'RID-2',
        requestIds: ['RID-2'],
        alreadyDeleted: false,
      };
      expect(finishExecution(inStatus(status), result, at)).toBeUndefined();
      expect(
        finishExecution(
          inStatus(status),
          { ok: false, error: { code: 'UPSTREAM_REJECTED', message: 'x' } },
          at,
        ),
      ).toBeUndefined();
    },
  );
});

describe('purity', () => {
  const cases: [string, DeletionRequest, (r: DeletionRequest) => Transition][] = [
    ['a first vote of two', request({ requiredApprovals: 2 }), (r) => accepted(applyVote(r, vote(ALICE)))],
    [
      'the approving vote',
      request({ requiredApprovals: 2, votes: [{ approver: ALICE, decision: 'approve', at: NOW - 1 }] }),
      (r) => accepted(applyVote(r, vote(BOB))),
    ],
    [
      'a rejection',
      request(),
      (r) => accepted(applyVote(r, vote(BOB, { decision: 'reject', reason: 'no' }))),
    ],
    ['a cancel', request(), (r) => accepted(applyCancel(r, { by: REQUESTER, isApprover: false, now: NOW }))],
    ['an expiry', request(), (r) => present(applyExpiry(r, EXPIRES, SYSTEM))],
    ['a first claim', inStatus('approved'), (r) => present(claimExecution(r, claimAt(NOW)))],
    ['a resumed claim', inStatus('executing'), (r) => present(claimExecution(r, claimAt(NOW + LEASE_MS)))],
    [
      'a successful finish',
      inStatus('executing'),
      (r) =>
        present(
          finishExecution(r, { ok: true, requestId: 'R', requestIds: ['R'], alreadyDeleted: false }, at()),
        ),
    ],
    [
      'a failed finish',
      inStatus('executing'),
      (r) =>
        present(finishExecution(r, { ok: false, error: { code: 'UPSTREAM_REJECTED', message: 'x' } }, at())),
    ],
  ];

  function claimAt(now: number) {
    return { owner: 'worker-b', leaseMs: LEASE_MS, now, by: SYSTEM };
  }
  function at() {
    return { now: NOW + 5_000, by: SYSTEM };
  }

  it.each(cases)('computes %s from a deep-frozen request without changing it', (_name, input, run) => {
    const snapshot = structuredClone(input);
    const frozen = deepFreeze(input);

    const transition = run(frozen);

    expect(transition.next.version).toBe(snapshot.version + 1);
    expect(transition.next).not.toBe(frozen);
    expect(frozen).toEqual(snapshot);
  });
});
