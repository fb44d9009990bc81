import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAllowlistApprovers } from '../../../src/core/requests/approvers.js';
import type { DeletionStore } from '../../../src/core/store/deletion-store.js';
import { createSqliteStore } from '../../../src/core/store/sqlite-store.js';
import {
  createDeletionWorkflow,
  type DeletionWorkflow,
} from '../../../src/core/workflow/deletion-workflow.js';
import { startSweeper } from '../../../src/core/workflow/sweeper.js';
import { someJobIds } from '../../helpers/builders.js';
import { DEMO } from '../../helpers/demo.js';
import { startVodFixture, type VodFixture } from '../../helpers/vod-fixture.js';

const KEYNOTE = DEMO.keynote;
const LD = DEMO.keynoteLd;
const alice = { source: 'slack' as const, id: 'U0ALICE', displayName: 'alice' };

let vod: VodFixture;
let store: DeletionStore;
let workflow: DeletionWorkflow;
let time: number;

beforeEach(async () => {
  vod = await startVodFixture();
  store = createSqliteStore({ path: ':memory:' });
  await store.migrate();
  time = Date.UTC(2026, 10, 24, 9, 0, 0);
  workflow = createDeletionWorkflow({
    store,
    vod: vod.regions,
    approvers: createAllowlistApprovers(['U0BOB'], []),
    policy: { requiredApprovals: 1, ttlMs: 3_600_000, leaseMs: 60_000 },
    clock: { now: () => time, monotonic: () => performance.now() },
    newId: () => 'dr-sweeper00000',
    logger: vod.logger,
    instanceId: 'sweeper-test',
  });
});
afterEach(async () => {
  await store.close();
  await vod.close();
});

it('expires requests past their time to live on its pass, and emits the expiry', async () => {
  const { request } = await workflow.requestDeletion({
    videoId: KEYNOTE,
    jobIds: someJobIds(LD),
    requester: alice,
  });
  const seen: string[] = [];
  workflow.subscribe((e) => void seen.push(e.type));
  const sweeper = startSweeper(workflow, { intervalMs: 60_000, logger: vod.logger });
  await sweeper.tick();
  expect((await workflow.get(request.id))?.status).toBe('pending');
  time += 3_600_000;
  await sweeper.tick();
  await sweeper.stop();
  expect((await workflow.get(request.id))?.status).toBe('expired');
  expect(seen).toEqual(['expired']);
});

it('records due reminders on its pass, and logs how many', async () => {
  const reminding = createDeletionWorkflow({
    store,
    vod: vod.regions,
    approvers: createAllowlistApprovers(['U0BOB'], []),
    policy: {
      requiredApprovals: 1,
      ttlMs: 3_600_000,
      leaseMs: 60_000,
      reminders: { remindAfterMs: 600_000 },
    },
    clock: { now: () => time, monotonic: () => performance.now() },
    newId: () => 'dr-sweeper00001',
    logger: vod.logger,
    instanceId: 'sweeper-test',
  });
  const { request } = await reminding.requestDeletion({
    videoId: KEYNOTE,
    jobIds: someJobIds(LD),
    requester: alice,
  });
  const sweeper = startSweeper(reminding, { intervalMs: 60_000, logger: vod.logger });
  await sweeper.tick();
  time += 600_000;
  await sweeper.tick();
  await sweeper.stop();
  const trail = await reminding.audit({ requestId: request.id });
  expect(trail.map((e) => e.type)).toEqual(['created', 'reminded']);
  expect(vod.logs.find((l) => l.msg === 'sweep')).toMatchObject({ reminded: 1, expired: 0 });
});

it('keeps sweeping after a pass fails', async () => {
  const sweeper = startSweeper(workflow, { intervalMs: 60_000, logger: vod.logger });
  await sweeper.tick();
  await store.close();
  await expect(sweeper.tick()).resolves.toBeUndefined();
  await sweeper.stop();
  expect(vod.logs.some((l) => l.msg === 'sweep failed; retrying on the next pass')).toBe(true);
});
