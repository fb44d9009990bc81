import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRINCIPAL_SOURCES } from '../../../src/app/runtime.js';
import type { Clock } from '../../../src/core/clock.js';
import { createAllowlistApprovers } from '../../../src/core/requests/approvers.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import type { ReminderPolicy } from '../../../src/core/requests/reminders.js';
import type { DeletionStore } from '../../../src/core/store/deletion-store.js';
import { parseJobIds } from '../../../src/core/vod/input-rules.js';
import {
  createDeletionWorkflow,
  type DeletionWorkflow,
} from '../../../src/core/workflow/deletion-workflow.js';
import type { WorkflowEvent } from '../../../src/core/workflow/events.js';
import { DEMO } from '../../helpers/demo.js';
import { warnIfPostgresSkipped } from '../../helpers/pg-schema.js';
import { storeBackends } from '../../helpers/store-backends.js';
import { startVodFixture, type VodFixture } from '../../helpers/vod-fixture.js';

const alice: Principal = { source: 'slack', id: 'U0ALICE', displayName: 'alice' };
const bob: Principal = { source: 'slack', id: 'U0BOB', displayName: 'bob' };
const erin: Principal = { source: 'slack', id: 'U0ERIN', displayName: 'erin (escalation)' };
const H = 3_600_000;
const TTL = 10 * H;
const POLICY: ReminderPolicy = {
  remindAfterMs: 2 * H,
  remindBeforeExpiryMs: H,
  escalateAfterMs: 4 * H,
  escalationGroup: 'U0ERIN',
};

warnIfPostgresSkipped('PostgreSQL reminder tests');

describe.each(storeBackends())('reminders and escalation on %s', (_name, makeStore) => {
  let vod: VodFixture;
  let store: DeletionStore;
  let cleanup: () => Promise<void>;
  let time: number;
  let ids: number;
  let events: WorkflowEvent[];
  const clock: Clock = { now: () => time, monotonic: () => performance.now() };

  /** One replica: its own workflow, instance id and event hub, on the shared store and clock. */
  const replica = (instanceId: string, policy: ReminderPolicy = POLICY): DeletionWorkflow => {
    const workflow = createDeletionWorkflow({
      store,
      vod: vod.regions,
      approvers: createAllowlistApprovers(['U0BOB'], PRINCIPAL_SOURCES),
      escalationApprovers: createAllowlistApprovers(['U0ERIN'], PRINCIPAL_SOURCES),
      policy: { requiredApprovals: 1, ttlMs: TTL, leaseMs: 60_000, reminders: policy },
      clock,
      newId: () => `dr-remind${String(++ids).padStart(7, '0')}`,
      logger: vod.logger,
      instanceId,
    });
    workflow.subscribe((event) => void events.push(event));
    return workflow;
  };

  const ask = async (workflow: DeletionWorkflow) =>
    (
      await workflow.requestDeletion({
        videoId: DEMO.keynote,
        jobIds: parseJobIds([DEMO.keynoteLd]),
        reason: 'stale rendition',
        requester: alice,
      })
    ).request;

  const nudges = async (id: string) =>
    (await store.listAudit({ requestId: id }))
      .filter((e) => e.type === 'reminded' || e.type === 'escalated')
      .map((e) => [e.type, e.details.kind ?? null, e.actor.id]);

  beforeEach(async () => {
    vod = await startVodFixture();
    ({ store, cleanup } = await makeStore());
    await store.migrate();
    time = Date.UTC(2026, 10, 24, 9, 0, 0);
    ids = 0;
    events = [];
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
    await vod.close();
  });

  it('records each reminder and the escalation once when two replicas sweep at the same moment', async () => {
    const a = replica('replica-a');
    const b = replica('replica-b');
    const request = await ask(a);
    const start = time;

    const counts: number[] = [];
    for (const offset of [H, 2 * H, 4 * H, 6 * H, 9 * H, 9 * H + 1]) {
      time = start + offset;
      const [fromA, fromB] = await Promise.all([a.remindDue(), b.remindDue()]);
      counts.push(fromA + fromB);
    }

    expect(counts).toEqual([0, 1, 2, 1, 1, 0]);
    const trail = await nudges(request.id);
    expect(trail.map(([type, kind]) => [type, kind])).toEqual([
      ['reminded', 'interval'],
      ['escalated', null],
      ['reminded', 'interval'],
      ['reminded', 'interval'],
      ['reminded', 'before_expiry'],
    ]);
    for (const [, , actor] of trail) expect(['replica-a', 'replica-b']).toContain(actor);
    expect(await a.get(request.id)).toMatchObject({
      status: 'pending',
      escalatedAt: start + 4 * H,
      reminded: { count: 4, lastAt: start + 9 * H, beforeExpiry: true },
    });
    expect(events.filter((e) => e.type === 'reminded' || e.type === 'escalated')).toHaveLength(5);
  });

  it('records the escalated entry with its wait, group and ballot', async () => {
    const workflow = replica('replica-a', { escalateAfterMs: 4 * H, escalationGroup: 'S0ESCALATE' });
    const request = await ask(workflow);
    time += 4 * H;
    expect(await workflow.remindDue()).toBe(1);
    const entry = (await store.listAudit({ requestId: request.id })).find((e) => e.type === 'escalated');
    expect(entry?.details).toEqual({ afterMs: 4 * H, group: 'S0ESCALATE', approvals: 0, required: 1 });
  });

  it.each([
    ['approved', (w: DeletionWorkflow, id: string) => w.vote(id, bob, 'approve')],
    ['rejected', (w: DeletionWorkflow, id: string) => w.vote(id, bob, 'reject', 'keep it')],
    ['cancelled', (w: DeletionWorkflow, id: string) => w.cancel(id, alice)],
  ] as const)('stops reminding once the request is %s', async (status, decide) => {
    const workflow = replica('replica-a');
    const request = await ask(workflow);
    time += 2 * H;
    expect(await workflow.remindDue()).toBe(1);
    const decided = await decide(workflow, request.id);
    if (decided.ok && decided.execution) await decided.execution;
    expect(decided.ok && decided.request.status).toBe(status);

    time += 7 * H;
    expect(await workflow.remindDue()).toBe(0);
    expect(await nudges(request.id)).toEqual([['reminded', 'interval', 'replica-a']]);
  });

  it('records nothing past the expiry, and nothing when no reminder is configured', async () => {
    const quiet = replica('replica-a', {});
    const request = await ask(quiet);
    time += TTL - 1;
    expect(await quiet.remindDue()).toBe(0);
    time += 1;
    expect(await replica('replica-b').remindDue()).toBe(0);
    expect(await nudges(request.id)).toEqual([]);
  });

  it('refuses an escalation approver before the escalation and counts their vote after it', async () => {
    const workflow = replica('replica-a');
    expect(await workflow.voteRights(erin)).toEqual({ isApprover: false, isEscalationApprover: true });
    expect(await workflow.voteRights(bob)).toEqual({ isApprover: true, isEscalationApprover: false });
    const request = await ask(workflow);

    const early = await workflow.vote(request.id, erin, 'approve');
    expect(early).toMatchObject({ ok: false, refusal: { kind: 'not_approver' } });

    time += 4 * H;
    await workflow.remindDue();
    const late = await workflow.vote(request.id, erin, 'approve');
    expect(late.ok && late.request.status).toBe('approved');
    if (late.ok) expect((await late.execution)?.status).toBe('succeeded');
  });

  it('does not let an escalation approver vote when escalation is not configured', async () => {
    const workflow = replica('replica-a', { remindAfterMs: 2 * H });
    const request = await ask(workflow);
    time += 5 * H;
    expect(await workflow.remindDue()).toBe(1);
    const vote = await workflow.vote(request.id, erin, 'reject');
    expect(vote).toMatchObject({ ok: false, refusal: { kind: 'not_approver' } });
  });
});
