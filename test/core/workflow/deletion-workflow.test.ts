import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRINCIPAL_SOURCES } from '../../../src/app/runtime.js';
import type { Clock } from '../../../src/core/clock.js';
import { createAllowlistApprovers } from '../../../src/core/requests/approvers.js';
import type { Principal } from '../../../src/core/requests/principal.js';
import { applyVote, claimExecution } from '../../../src/core/requests/request-lifecycle.js';
import type { DeletionStore } from '../../../src/core/store/deletion-store.js';
import { parseJobIds } from '../../../src/core/vod/input-rules.js';
import { ANNOUNCEMENT_CLAIM_MS } from '../../../src/core/workflow/announcements.js';
import {
  createDeletionWorkflow,
  type DeletionWorkflow,
} from '../../../src/core/workflow/deletion-workflow.js';
import type { WorkflowEvent } from '../../../src/core/workflow/events.js';
import { APPROVED_GRACE_MS } from '../../../src/core/workflow/execution.js';
import { DEMO } from '../../helpers/demo.js';
import { warnIfPostgresSkipped } from '../../helpers/pg-schema.js';
import { storeBackends } from '../../helpers/store-backends.js';
import { startVodFixture, type VodFixture } from '../../helpers/vod-fixture.js';

const KEYNOTE = DEMO.keynote;
const LD = DEMO.keynoteLd;
const SD = DEMO.keynoteSd;
const MISSING = DEMO.missing;

const alice: Principal = { source: 'slack', id: 'U0ALICE', displayName: 'alice' };
const bob: Principal = { source: 'slack', id: 'U0BOB', displayName: 'bob' };
const carol: Principal = { source: 'slack', id: 'U0CAROL', displayName: 'carol' };
const mallory: Principal = { source: 'slack', id: 'U0MALLORY', displayName: 'mallory' };
const HOUR = 3_600_000;

warnIfPostgresSkipped('PostgreSQL workflow tests');

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(storeBackends())('deletion workflow on %s', (_name, makeStore) => {
  let vod: VodFixture;
  let store: DeletionStore;
  let cleanup: () => Promise<void>;
  let time: number;
  const clock: Clock = { now: () => time, monotonic: () => performance.now() };
  let events: WorkflowEvent[];
  let ids: number;

  const build = (
    over: { required?: number; approvers?: string[]; instanceId?: string } = {},
  ): DeletionWorkflow => {
    const workflow = createDeletionWorkflow({
      store,
      vod: vod.regions,
      approvers: createAllowlistApprovers(
        over.approvers ?? ['U0BOB', 'U0CAROL', 'U0ALICE'],
        PRINCIPAL_SOURCES,
      ),
      policy: { requiredApprovals: over.required ?? 1, ttlMs: 24 * HOUR, leaseMs: 60_000 },
      clock,
      newId: () => `dr-test${String(++ids).padStart(9, '0')}`,
      logger: vod.logger,
      instanceId: over.instanceId ?? 'test-instance',
    });
    workflow.subscribe((event) => void events.push(event));
    return workflow;
  };

  beforeEach(async () => {
    vod = await startVodFixture();
    ({ store, cleanup } = await makeStore());
    await store.migrate();
    time = Date.UTC(2026, 10, 24, 9, 0, 0);
    events = [];
    ids = 0;
  });
  afterEach(async () => {
    await store.close();
    await cleanup();
    await vod.close();
  });

  /** As a front end asks: the job IDs parsed by the input rules first. */
  const ask = (workflow: DeletionWorkflow, jobIds: string[] = [LD, SD], requester = alice) =>
    workflow.requestDeletion({
      videoId: KEYNOTE,
      jobIds: parseJobIds(jobIds),
      reason: 'stale renditions',
      requester,
    });

  it('records a request with the preview shown, and runs DeleteStream once when an approver approves', async () => {
    const workflow = build();
    const { request, created } = await ask(workflow);
    expect(created).toBe(true);
    expect(request).toMatchObject({
      status: 'pending',
      version: 1,
      requester: alice,
      reason: 'stale renditions',
    });
    expect(request.preview.toDelete.map((s) => s.jobId)).toEqual([LD, SD]);
    expect(request.expiresAt - request.createdAt).toBe(24 * HOUR);
    expect(vod.emulator.callsTo('DeleteStream')).toHaveLength(0);

    const vote = await workflow.vote(request.id, bob, 'approve');
    expect(vote.ok && vote.request.status).toBe('approved');
    const done = vote.ok ? await vote.execution : undefined;

    const calls = vod.emulator.callsTo('DeleteStream');
    expect(calls).toHaveLength(1);
    expect(done).toMatchObject({
      status: 'succeeded',
      execution: { requestId: calls[0]?.requestId, claims: 1 },
    });
    expect(events.map((e) => e.type)).toEqual(['created', 'vote', 'approved', 'executing', 'succeeded']);
    const trail = await workflow.audit({ requestId: request.id });
    expect(trail.map((e) => e.type)).toEqual(['created', 'vote', 'approved', 'executing', 'succeeded']);
    expect(trail.at(-1)?.details).toMatchObject({ requestId: calls[0]?.requestId });
  });

  it('returns the existing request for an identical pending one (same video, same set of job IDs)', async () => {
    const workflow = build();
    const first = await ask(workflow, [LD, SD]);
    const again = await ask(workflow, [SD.toUpperCase(), LD], bob);
    expect(again).toEqual({ request: first.request, created: false });
    expect((await workflow.list()).length).toBe(1);
  });

  it('creates a fresh request once the identical one has expired', async () => {
    const workflow = build();
    const first = await ask(workflow);
    time += 25 * HOUR;
    const second = await ask(workflow);
    expect(second.created).toBe(true);
    expect((await workflow.get(first.request.id))?.status).toBe('expired');
  });

  it('refuses requests when no approver is configured (fail closed)', async () => {
    const workflow = build({ approvers: [] });
    await expect(ask(workflow)).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/VOD_OPS_APPROVERS/),
    });
    expect(await workflow.list()).toEqual([]);
  });

  it('refuses job IDs that are not streams of the video, creating nothing', async () => {
    const workflow = build();
    await expect(ask(workflow, [LD, MISSING])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await workflow.list()).toEqual([]);
  });

  it('needs the configured number of distinct approvals', async () => {
    const workflow = build({ required: 2 });
    const { request } = await ask(workflow);
    const first = await workflow.vote(request.id, bob, 'approve');
    expect(first.ok && first.request.status).toBe('pending');
    const twice = await workflow.vote(request.id, bob, 'approve');
    expect(twice).toMatchObject({ ok: false, refusal: { kind: 'already_voted' } });
    const second = await workflow.vote(request.id, carol, 'approve');
    expect(second.ok && second.request.status).toBe('approved');
    await workflow.idle();
    expect(vod.emulator.callsTo('DeleteStream')).toHaveLength(1);
  });

  it.each([
    ['the requester', alice, 'self_approval'],
    ['someone not on the approver list', mallory, 'not_approver'],
  ])('refuses approval by %s, deleting nothing', async (_who, who, kind) => {
    const workflow = build();
    const { request } = await ask(workflow);
    expect(await workflow.vote(request.id, who, 'approve')).toMatchObject({ ok: false, refusal: { kind } });
    expect((await workflow.get(request.id))?.status).toBe('pending');
    expect(vod.emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('answers a late click with who already decided', async () => {
    const workflow = build();
    const { request } = await ask(workflow);
    const vote = await workflow.vote(request.id, bob, 'approve');
    if (vote.ok) await vote.execution;
    const late = await workflow.vote(request.id, carol, 'approve');
    expect(late).toMatchObject({
      ok: false,
      refusal: { kind: 'already_decided', status: 'succeeded', decidedBy: bob },
    });
    expect(vod.emulator.callsTo('DeleteStream')).toHaveLength(1);
  });

  it('rejects with a reason, and a rejection is final', async () => {
    const workflow = build({ required: 2 });
    const { request } = await ask(workflow);
    await workflow.vote(request.id, bob, 'approve');
    const rejected = await workflow.vote(
      request.id,
      carol,
      'reject',
      'the HD stream is still used by the app',
    );
    expect(rejected).toMatchObject({
      ok: true,
      request: {
        status: 'rejected',
        decision: { outcome: 'rejected', by: carol, reason: 'the HD stream is still used by the app' },
      },
    });
    expect(vod.emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('expires a request on a click after its time to live, reading "expired", never "rejected"', async () => {
    const workflow = build();
    const { request } = await ask(workflow);
    time = request.expiresAt;
    const late = await workflow.vote(request.id, bob, 'approve');
    expect(late).toMatchObject({ ok: false, refusal: { kind: 'expired' }, request: { status: 'expired' } });
    expect(events.map((e) => e.type)).toEqual(['created', 'expired']);
    expect(vod.emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('expires due requests in a sweep and leaves the others pending', async () => {
    const workflow = build();
    const old = await ask(workflow, [LD]);
    time += 23 * HOUR;
    const recent = await ask(workflow, [SD]);
    time += 2 * HOUR;
    expect(await workflow.expireDue()).toBe(1);
    expect((await workflow.get(old.request.id))?.status).toBe('expired');
    expect((await workflow.get(recent.request.id))?.status).toBe('pending');
  });

  it('lets the requester or an approver cancel, and nobody else', async () => {
    const workflow = build();
    const { request } = await ask(workflow);
    expect(await workflow.cancel(request.id, mallory)).toMatchObject({
      ok: false,
      refusal: { kind: 'not_allowed_to_cancel' },
    });
    expect(await workflow.cancel(request.id, alice, 'wrong video')).toMatchObject({
      ok: true,
      request: { status: 'cancelled', decision: { outcome: 'cancelled', by: alice, reason: 'wrong video' } },
    });
    expect(await workflow.vote(request.id, bob, 'approve')).toMatchObject({
      ok: false,
      refusal: { kind: 'cancelled' },
    });
  });

  it('records a failed DeleteStream with Alibaba’s code, message and RequestId', async () => {
    const workflow = build();
    const { request } = await ask(workflow);
    vod.emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed', times: 10 });
    const vote = await workflow.vote(request.id, bob, 'approve');
    const done = vote.ok ? await vote.execution : undefined;
    expect(done).toMatchObject({
      status: 'failed',
      execution: {
        error: {
          code: 'UPSTREAM_UNAVAILABLE',
          vodCode: 'DeleteStreamFailed',
          httpStatus: 503,
          requestId: vod.emulator.callsTo('DeleteStream').at(-1)?.requestId,
        },
      },
    });
    expect(events.at(-1)?.type).toBe('failed');
  });

  it('runs DeleteStream once for ten approvals arriving at the same moment', async () => {
    const workflow = build({ approvers: Array.from({ length: 10 }, (_, i) => `U0APPROVER${i}`) });
    const { request } = await ask(workflow);
    const approvers = Array.from(
      { length: 10 },
      (_, i): Principal => ({ source: 'slack', id: `U0APPROVER${i}`, displayName: `a${i}` }),
    );
    const results = await Promise.all(approvers.map((a) => workflow.vote(request.id, a, 'approve')));
    await workflow.idle();
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.refusal.kind)).toEqual(
      Array(9).fill('already_decided'),
    );
    expect(vod.emulator.callsTo('DeleteStream')).toHaveLength(1);
    expect(
      (await workflow.audit({ requestId: request.id })).filter((e) => e.type === 'executing'),
    ).toHaveLength(1);
  });

  it('resumes an execution whose process died, counting a NotFound as already deleted', async () => {
    const dead = build({ instanceId: 'dead-process' });
    const { request } = await ask(dead);
    // The dead process approved, claimed the execution, and its DeleteStream reached Alibaba; then it died.
    const approved = await dead.vote(request.id, bob, 'approve');
    expect(approved.ok).toBe(true);
    await dead.idle();
    const done = await store.get(request.id);
    expect(done?.status).toBe('succeeded');
    // Reset the request to "executing, lease held by the dead process" as it was at the moment of death.
    const stuck = claimExecution(
      { ...done!, status: 'approved', execution: undefined },
      {
        owner: 'dead-process',
        leaseMs: 60_000,
        now: time,
        by: { source: 'system', id: 'dead-process', displayName: 'vod-ops' },
      },
    )!;
    await expect(store.transition(stuck.next, done!.version, stuck.audit)).resolves.toBe(true);

    const survivor = build({ instanceId: 'survivor' });
    expect(await survivor.resumeExecutions()).toBe(0); // the lease still stands
    time += 61_000;
    expect(await survivor.resumeExecutions()).toBe(1);
    await survivor.idle();
    const resumed = await survivor.get(request.id);
    expect(resumed).toMatchObject({
      status: 'succeeded',
      execution: { owner: 'survivor', claims: 2, alreadyDeleted: true },
    });
    expect(resumed?.execution?.requestId).toBe(vod.emulator.callsTo('DeleteStream').at(-1)?.requestId);
    expect(vod.emulator.callsTo('DeleteStream').map((c) => c.code)).toEqual([
      undefined,
      'InvalidStream.NotFound',
    ]);
  });

  it('records a late outcome in the audit trail when its executor was taken over, losing no RequestId', async () => {
    const slow = build({ instanceId: 'slow' });
    const { request } = await ask(slow);
    // Alibaba deletes at once but answers the slow process only after 600 ms.
    vod.emulator.injectFault({ action: 'DeleteStream', kind: 'applyThenStall', delayMs: 600 });
    const vote = await slow.vote(request.id, bob, 'approve');
    await waitUntil(() => vod.emulator.callsTo('DeleteStream').length === 1);
    time += 61_000; // the slow executor's lease runs out while it waits
    const other = build({ instanceId: 'other' });
    expect(await other.resumeExecutions()).toBe(1);
    await other.idle();
    const late = vote.ok ? await vote.execution : undefined;

    const [first, second] = vod.emulator.callsTo('DeleteStream');
    expect(late).toMatchObject({
      status: 'succeeded',
      execution: { owner: 'other', claims: 2, requestId: second?.requestId },
    });
    const outcomes = (await other.audit({ requestId: request.id })).filter((e) => e.type === 'succeeded');
    expect(outcomes.map((e) => e.details)).toEqual([
      expect.objectContaining({ requestId: second?.requestId, alreadyDeleted: true }),
      expect.objectContaining({ requestId: first?.requestId, superseded: true, claims: 1 }),
    ]);
  });

  it('leaves a fresh approval to the process that made it before another sweeper may run it', async () => {
    const workflow = build();
    const { request } = await ask(workflow);
    // Approved in the store, as by a process that has not started the execution yet.
    const current = (await store.get(request.id))!;
    const approved = applyVote(current, { approver: bob, decision: 'approve', isApprover: true, now: time });
    if (!approved.ok) throw new Error('expected approval');
    await store.transition(approved.transition.next, current.version, approved.transition.audit);

    const sweeper = build({ instanceId: 'sweeper' });
    expect(await sweeper.resumeExecutions()).toBe(0);
    time += APPROVED_GRACE_MS;
    expect(await sweeper.resumeExecutions()).toBe(1);
    await sweeper.idle();
    expect((await store.get(request.id))?.status).toBe('succeeded');
  });

  it('lets exactly one of several processes claim showing a request made elsewhere', async () => {
    const workflow = build();
    const { request } = await ask(workflow, [LD], { source: 'mcp', id: 'assistant-user', displayName: 'a' });
    expect((await workflow.awaitingAnnouncement(10)).map((r) => r.id)).toEqual([request.id]);
    const replicas = [build({ instanceId: 'a' }), build({ instanceId: 'b' }), build({ instanceId: 'c' })];
    const claims = await Promise.all(replicas.map((r) => r.claimAnnouncement(request.id)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await workflow.awaitingAnnouncement(10)).toEqual([]);
    await workflow.recordAnnouncement(request.id, { channel: 'C0APPROVALS', ts: '1.2' });
    expect(await workflow.claimAnnouncement(request.id)).toBe(false);
    expect((await workflow.get(request.id))?.announcement).toEqual({
      claimedAt: time,
      ref: { channel: 'C0APPROVALS', ts: '1.2' },
    });
  });

  it('claims a request for the front end that shows it itself, and lets a released claim be taken again', async () => {
    const workflow = build();
    const { request } = await workflow.requestDeletion({
      videoId: KEYNOTE,
      jobIds: parseJobIds([LD]),
      requester: alice,
      announcesItself: true,
    });
    expect(request.announcement).toEqual({ claimedAt: time });
    expect(await workflow.claimAnnouncement(request.id)).toBe(false);
    await workflow.recordAnnouncement(request.id, undefined);
    expect(await workflow.claimAnnouncement(request.id)).toBe(true);
    const vote = await workflow.vote(request.id, bob, 'approve');
    await (vote.ok ? vote.execution : undefined);
    // Once decided, nothing about its announcement changes: the executor owns the request's version.
    expect(await workflow.recordAnnouncement(request.id, { channel: 'C1', ts: '1' })).toMatchObject({
      status: 'succeeded',
      announcement: { claimedAt: time },
    });
  });

  it('keeps copies shown elsewhere beside the announcement, never taking them for it, through claims and releases', async () => {
    const workflow = build();
    const { request } = await ask(workflow, [LD], { source: 'mcp', id: 'assistant-user', displayName: 'a' });
    expect(await workflow.recordAnnouncementCopies(request.id, { U0BOB: 'DU0BOB:1.1' })).toBe(true);
    // Shown only as copies: still awaiting its announcement, and claimable.
    expect((await workflow.awaitingAnnouncement(10)).map((r) => r.id)).toEqual([request.id]);
    expect(await workflow.claimAnnouncement(request.id)).toBe(true);
    await workflow.recordAnnouncementCopies(request.id, { U0CAROL: 'DU0CAROL:2.2' });
    await workflow.recordAnnouncement(request.id, undefined);
    expect((await workflow.get(request.id))?.announcement).toEqual({
      claimedAt: 0,
      copies: { U0BOB: 'DU0BOB:1.1', U0CAROL: 'DU0CAROL:2.2' },
    });
    expect(await workflow.claimAnnouncement(request.id)).toBe(true);
    await workflow.recordAnnouncement(request.id, { channel: 'C0APPROVALS', ts: '3.3' });
    expect((await workflow.get(request.id))?.announcement).toEqual({
      claimedAt: time,
      ref: { channel: 'C0APPROVALS', ts: '3.3' },
      copies: { U0BOB: 'DU0BOB:1.1', U0CAROL: 'DU0CAROL:2.2' },
    });
    expect(await workflow.awaitingAnnouncement(10)).toEqual([]);
    await workflow.cancel(request.id, bob);
    expect(await workflow.recordAnnouncementCopies(request.id, { U0DAVE: 'DU0DAVE:4.4' })).toBe(false);
  });

  it('lets a claim that never got shown be taken again, once it is old enough', async () => {
    const workflow = build();
    const { request } = await workflow.requestDeletion({
      videoId: KEYNOTE,
      jobIds: parseJobIds([LD]),
      requester: alice,
      announcesItself: true,
    });
    // Its process died before posting it.
    expect(await workflow.awaitingAnnouncement(10)).toEqual([]);
    time += ANNOUNCEMENT_CLAIM_MS - 1;
    expect(await workflow.claimAnnouncement(request.id)).toBe(false);
    time += 1;
    expect((await workflow.awaitingAnnouncement(10)).map((r) => r.id)).toEqual([request.id]);
    expect(await workflow.claimAnnouncement(request.id)).toBe(true);
    expect(await workflow.claimAnnouncement(request.id)).toBe(false);
  });

  it('records a deletion whose answer was lost as succeeded, not failed, when the retries then fail', async () => {
    await vod.close();
    vod = await startVodFixture({ env: { VOD_TIMEOUT_MS: '150' } });
    const workflow = build();
    const { request } = await ask(workflow, [LD]);
    vod.emulator.injectFault({ action: 'DeleteStream', kind: 'applyThenStall', times: 1 });
    vod.emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed', times: 3 });
    const vote = await workflow.vote(request.id, bob, 'approve');
    const done = vote.ok ? await vote.execution : undefined;
    expect(done).toMatchObject({ status: 'succeeded', execution: { alreadyDeleted: true } });
    expect(vod.emulator.video(KEYNOTE)?.streams.map((s) => s.jobId)).not.toContain(LD);
    const trail = await workflow.audit({ requestId: request.id });
    expect(trail.at(-1)).toMatchObject({ type: 'succeeded', details: { alreadyDeleted: true } });
  });

  it('keeps working when an event listener throws', async () => {
    const workflow = build();
    workflow.subscribe(() => {
      throw new Error('listener bug');
    });
    const { request } = await ask(workflow);
    const vote = await workflow.vote(request.id, bob, 'approve');
    expect(vote.ok && (await vote.execution)?.status).toBe('succeeded');
  });
});
