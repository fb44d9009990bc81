import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/core/requests/audit-entry.js';
import type { DeletionRequest } from '../../../src/core/requests/deletion-request.js';
import { startVodEmulator, type VodEmulator } from '../../../src/sandbox/index.js';
import { DEMO } from '../../helpers/demo.js';
import {
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
  warnIfPostgresSkipped,
} from '../../helpers/pg-schema.js';
import { TEST_KEY } from '../../helpers/vod-fixture.js';
import { startWorker, type WorkerProcess } from '../../helpers/worker-process.js';

const KEYNOTE = DEMO.keynote;
const LD = DEMO.keynoteLd;
const SD = DEMO.keynoteSd;
const APPROVERS = Array.from({ length: 50 }, (_, i) => `U0APPROVER${String(i).padStart(2, '0')}`);
const alice = { source: 'slack' as const, id: 'U0ALICE', displayName: 'alice' };
const approver = (i: number) => ({
  source: 'slack' as const,
  id: APPROVERS[i]!,
  displayName: `approver ${i}`,
});

warnIfPostgresSkipped('Multi-process PostgreSQL workflow tests');

type StoreKind = 'SQLite' | 'PostgreSQL';
const kinds: StoreKind[] = TEST_DATABASE_URL ? ['SQLite', 'PostgreSQL'] : ['SQLite'];

let emulator: VodEmulator;
let schema: TestSchema | undefined;
const workers: WorkerProcess[] = [];

beforeEach(async () => {
  emulator = await startVodEmulator({ credentials: [TEST_KEY] });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill()));
  await emulator.close();
  await schema?.drop();
  schema = undefined;
});

/** The environment of every process sharing one store, as an operator would configure replicas. */
async function sharedEnv(kind: StoreKind, extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  let store: Record<string, string>;
  if (kind === 'PostgreSQL') {
    schema = await createTestSchema();
    store = { DATABASE_URL: schema.connectionString };
  } else {
    store = { VOD_OPS_DB_PATH: join(mkdtempSync(join(tmpdir(), 'vod-ops-mp-')), 'vod-ops.db') };
  }
  return {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
    ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
    VOD_ENDPOINT: emulator.endpoint,
    VOD_OPS_APPROVERS: APPROVERS.join(','),
    VOD_OPS_LOG_LEVEL: 'warn',
    ...store,
    ...extra,
  };
}

async function worker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const started = await startWorker(env);
  workers.push(started);
  return started;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!TEST_DATABASE_URL)('two processes on one PostgreSQL database', () => {
  it('turns 50 concurrent approvals across both into exactly one DeleteStream and one execution', async () => {
    const env = await sharedEnv('PostgreSQL');
    const [a, b] = await Promise.all([worker(env), worker(env)]);
    const request = await a.send<DeletionRequest>({
      cmd: 'request',
      videoId: KEYNOTE,
      jobIds: [LD, SD],
      requester: alice,
    });

    const votes = await Promise.all(
      APPROVERS.map((_, i) =>
        (i % 2 === 0 ? a : b).send<{ ok: boolean; refusal?: string }>({
          cmd: 'vote',
          id: request.id,
          approver: approver(i),
        }),
      ),
    );
    await Promise.all([a.send({ cmd: 'idle' }), b.send({ cmd: 'idle' })]);

    expect(votes.filter((v) => v.ok)).toHaveLength(1);
    expect(votes.filter((v) => !v.ok).every((v) => v.refusal === 'already_decided')).toBe(true);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
    const trail = await b.send<AuditEntry[]>({ cmd: 'audit', requestId: request.id });
    expect(trail.map((e) => e.type)).toEqual(['created', 'vote', 'approved', 'executing', 'succeeded']);
    const done = await b.send<DeletionRequest>({ cmd: 'get', id: request.id });
    expect(done).toMatchObject({
      status: 'succeeded',
      execution: { requestId: emulator.callsTo('DeleteStream')[0]?.requestId },
    });
  });
});

describe.each(kinds)('restarts and crashes on %s', (kind) => {
  it('lets a new process approve and execute a request created by one that has stopped', async () => {
    const env = await sharedEnv(kind);
    const first = await worker(env);
    const request = await first.send<DeletionRequest>({
      cmd: 'request',
      videoId: KEYNOTE,
      jobIds: [LD],
      requester: alice,
    });
    await first.stop();

    const second = await worker(env);
    expect(await second.send({ cmd: 'vote', id: request.id, approver: approver(0) })).toEqual({
      ok: true,
      status: 'approved',
    });
    await second.send({ cmd: 'idle' });
    const done = await second.send<DeletionRequest>({ cmd: 'get', id: request.id });
    expect(done).toMatchObject({ status: 'succeeded', requester: alice });
    expect(done.execution?.requestId).toBe(emulator.callsTo('DeleteStream')[0]?.requestId);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
  });

  it('finishes, after a SIGKILL mid-execution, with a RequestId and no second deletion', async () => {
    // A lease just longer than the longest DeleteStream these settings allow (2 x 1 attempt x 1.5 s).
    const env = await sharedEnv(kind, {
      VOD_OPS_EXECUTION_LEASE_MS: '3000',
      VOD_TIMEOUT_MS: '1500',
      VOD_MAX_ATTEMPTS: '1',
    });
    const doomed = await worker(env);
    const request = await doomed.send<DeletionRequest>({
      cmd: 'request',
      videoId: KEYNOTE,
      jobIds: [LD, SD],
      requester: alice,
    });
    // Alibaba deletes the streams, but the answer never reaches the process, which is killed while waiting.
    emulator.injectFault({ action: 'DeleteStream', kind: 'applyThenStall', delayMs: 120_000 });
    await doomed.send({ cmd: 'vote', id: request.id, approver: approver(0) });
    await waitFor(
      async () => (emulator.callsTo('DeleteStream').length > 0 ? true : undefined),
      'the DeleteStream call',
    );
    await doomed.kill();
    expect(emulator.video(KEYNOTE)?.streams.map((s) => s.jobId)).not.toContain(LD);

    const survivor = await worker(env);
    const done = await waitFor(async () => {
      const current = await survivor.send<DeletionRequest>({ cmd: 'get', id: request.id });
      return current.status === 'succeeded' || current.status === 'failed' ? current : undefined;
    }, 'the resumed execution');

    const calls = emulator.callsTo('DeleteStream');
    expect(calls.map((c) => c.code)).toEqual([undefined, 'InvalidStream.NotFound']);
    expect(calls[0]?.status).toBe(0); // the first answer was never sent
    expect(done).toMatchObject({
      status: 'succeeded',
      execution: {
        claims: 2,
        alreadyDeleted: true,
        requestId: calls[1]?.requestId,
        owner: survivor.instanceId,
      },
    });
    const trail = await survivor.send<AuditEntry[]>({ cmd: 'audit', requestId: request.id });
    expect(trail.map((e) => e.type)).toEqual([
      'created',
      'vote',
      'approved',
      'executing',
      'executing',
      'succeeded',
    ]);
    expect(trail[4]?.details).toMatchObject({ claims: 2, resumedFrom: doomed.instanceId });
  });
});
