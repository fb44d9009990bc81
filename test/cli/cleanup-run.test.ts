import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_CSV_COLUMNS } from '../../src/cli/campaign-csv.js';
import type { CampaignItem } from '../../src/core/campaigns/campaign.js';
import { ruleFromFlags } from '../../src/core/campaigns/rule-flags.js';
import { systemClock } from '../../src/core/clock.js';
import {
  createDemoCatalogue,
  createLibraryCatalogue,
  type LibraryCatalogue,
  startVodEmulator,
  type VodEmulator,
} from '../../src/sandbox/index.js';
import { APPROVER, approveCampaign, OTHER_REQUESTER, openCampaignCore } from '../helpers/campaign-core.js';
import { parseCsv } from '../helpers/csv.js';
import { captureOutput, cliEnv, runCli, spawnCli } from '../helpers/run-cli.js';
import { TEST_KEY } from '../helpers/vod-fixture.js';

const OPERATOR = userInfo().username;

describe('vod-ops cleanup run, pause, resume, cancel and report', () => {
  let emulator: VodEmulator;
  let library: LibraryCatalogue;
  let env: NodeJS.ProcessEnv;
  let db: string;
  /** Each test takes videos of its own, so that one test's deletions never change another's plan. */
  let nextVideo = 0;

  beforeAll(async () => {
    library = createLibraryCatalogue({ videos: 400, seed: 'cli-run' });
    emulator = await startVodEmulator({ credentials: [TEST_KEY], catalogue: library });
    emulator.addVideos(createDemoCatalogue());
    env = cliEnv({
      VOD_ENDPOINT: emulator.endpoint,
      ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
      VOD_OPS_APPROVERS: APPROVER.id,
      // One attempt per call: an injected failure is one failed item.
      VOD_MAX_ATTEMPTS: '1',
      VOD_OPS_CAMPAIGN_CONCURRENCY: '4',
    });
    db = env.VOD_OPS_DB_PATH as string;
  });
  afterAll(async () => {
    await emulator.close();
  });

  /** A file listing the next `count` Normal videos of the library, for `--videos`. */
  function videoList(count: number): { path: string; videoIds: string[] } {
    const videoIds: string[] = [];
    while (videoIds.length < count) {
      const head = library.heads[nextVideo++];
      if (!head) throw new Error('the library ran out of videos');
      if (head.status === 'Normal' && head.mediaType === 'video') videoIds.push(head.videoId);
    }
    const path = join(dirname(db), `videos-${nextVideo}.txt`);
    writeFileSync(path, `${videoIds.join('\n')}\n`);
    return { path, videoIds };
  }

  /** Plans, with the CLI as the operator, the low renditions (FD, LD) of `count` fresh videos. */
  async function plan(count: number): Promise<{ id: string; items: number; videoIds: string[] }> {
    const { path, videoIds } = videoList(count);
    const result = await runCli(
      [
        'cleanup',
        'plan',
        '--videos',
        path,
        '--definition',
        'FD,LD',
        '--reason',
        'HD serves everyone',
        '--json',
      ],
      env,
    );
    expect(result.code).toBe(0);
    const planned = JSON.parse(result.stdout);
    expect(planned.items).toBeGreaterThan(2);
    return { id: planned.id, items: planned.items, videoIds };
  }

  async function storedItems(id: string): Promise<CampaignItem[]> {
    const core = await openCampaignCore(db);
    try {
      return await core.campaigns.items(id, { limit: 1000 });
    } finally {
      await core.close();
    }
  }

  function deleteCalls(videoIds: readonly string[]): number {
    const ids = new Set(videoIds);
    return emulator.callsTo('DeleteStream').filter((call) => ids.has(call.params.VideoId ?? '')).length;
  }

  /** `cleanup run --json` in a child, slowed down, and a promise of the moment its first items have settled. */
  function startRun(id: string) {
    emulator.setLatency(60);
    const child = spawnCli(['cleanup', 'run', id, '--json'], { ...env, VOD_OPS_CAMPAIGN_CONCURRENCY: '1' });
    child.stdin?.end();
    const output = captureOutput(child);
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const settled = new Promise<void>((resolve) => {
      child.stdout?.on('data', () => {
        const progress = jsonLines(output.stdout()).filter((line) => line.type === 'progress');
        if (progress.some((line) => Number(line.itemsSettled) > 0)) resolve();
      });
    });
    return { child, output, closed, settled };
  }

  function jsonLines(stdout: string): Array<Record<string, unknown>> {
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  }

  it('runs an approved campaign to the end, then reports it: counts, failures by code, skips, every item', async () => {
    const campaign = await plan(12);
    const [, second] = await storedItems(campaign.id);
    if (!second) throw new Error('too few items');
    // Between the plan and the run, one video loses a planned stream (the item is skipped), and one DeleteStream
    // call fails.
    const changed = emulator.video(second.videoId);
    if (!changed) throw new Error('no such video');
    emulator.addVideos([
      { ...changed, streams: changed.streams.filter((s) => s.jobId !== second.jobIds[0]) },
    ]);
    emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed' });
    await approveCampaign(db, campaign.id);

    const run = await runCli(['cleanup', 'run', campaign.id], env);
    // Not a terminal: JSON lines, then the report; exit 1 because an item failed.
    expect(run.code).toBe(1);
    const lines = jsonLines(run.stdout);
    expect(lines.slice(0, -1).every((line) => line.type === 'progress' && line.id === campaign.id)).toBe(
      true,
    );
    expect(lines[0]).toMatchObject({ status: 'running', items: campaign.items, itemsDone: 0 });
    const report = lines.at(-1);
    expect(report).toMatchObject({
      type: 'report',
      id: campaign.id,
      status: 'completed',
      items: campaign.items,
      itemsDone: campaign.items - 2,
      itemsSkipped: 1,
      itemsFailed: 1,
      itemsPending: 0,
      failures: [{ code: 'DeleteStreamFailed', items: 1 }],
      skipped: [{ items: 1, examples: [{ seq: second.seq, videoId: second.videoId }] }],
    });
    expect(report).toMatchObject({ skipped: [{ reason: expect.stringContaining('no longer exist') }] });

    const items = await storedItems(campaign.id);
    const deleted = items.filter((item) => item.status === 'deleted');
    expect(report?.bytesFreed).toBe(deleted.reduce((sum, item) => sum + item.bytes, 0));
    for (const item of deleted) {
      const left = new Set(emulator.video(item.videoId)?.streams.map((s) => s.jobId));
      expect(item.jobIds.filter((jobId) => left.has(jobId))).toEqual([]);
    }

    const json = await runCli(['cleanup', 'report', campaign.id, '--json'], env);
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout);
    expect(document).toMatchObject({
      status: 'completed',
      itemsDone: deleted.length,
      itemsSkipped: 1,
      itemsFailed: 1,
      bytesFreed: report?.bytesFreed,
      counts: { deleted: { items: deleted.length }, failed: { items: 1 }, skipped: { items: 1 } },
    });
    expect(document.failures[0].examples[0].requestId).toMatch(/^[0-9A-F-]{36}$/);

    const text = await runCli(['cleanup', 'report', campaign.id], env);
    expect(text.stdout).toContain('COMPLETED');
    expect(text.stdout).toContain('DeleteStreamFailed: 1 item');
    expect(text.stdout).toMatch(/Skipped, by reason:\n {2}Stream … no longer exists/);

    const shown = JSON.parse((await runCli(['cleanup', 'show', campaign.id, '--json'], env)).stdout);
    expect(shown).toMatchObject({
      status: 'completed',
      itemsDone: deleted.length,
      itemsSkipped: 1,
      itemsFailed: 1,
      bytesFreed: report?.bytesFreed,
      itemsPending: 0,
    });
    expect(shown.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('writes every item as CSV, one row each, quoted where a field needs it', async () => {
    const campaign = await plan(10);
    const [, second] = await storedItems(campaign.id);
    if (!second) throw new Error('too few items');
    const changed = emulator.video(second.videoId);
    if (!changed) throw new Error('no such video');
    emulator.addVideos([
      { ...changed, streams: changed.streams.filter((s) => s.jobId !== second.jobIds[0]) },
    ]);
    await approveCampaign(db, campaign.id);
    expect((await runCli(['cleanup', 'run', campaign.id], env)).code).toBe(0);

    const csv = await runCli(['cleanup', 'report', campaign.id, '--csv'], env);
    expect(csv.code).toBe(0);
    const [header, ...rows] = parseCsv(csv.stdout);
    expect(header).toEqual([...ITEM_CSV_COLUMNS]);
    expect(rows.map((row) => Number(row[0]))).toEqual(
      Array.from({ length: campaign.items }, (_, i) => i + 1),
    );
    const items = await storedItems(campaign.id);
    for (const [i, row] of rows.entries()) {
      const item = items[i];
      if (!item) throw new Error('fewer items than rows');
      expect(row).toEqual([
        String(item.seq),
        item.videoId,
        item.jobIds.join(' '),
        String(item.bytes),
        item.status,
        item.outcome?.requestId ?? '',
        item.outcome?.code ?? '',
        item.outcome?.reason ?? '',
        new Date(item.outcome?.at ?? 0).toISOString(),
      ]);
    }
    // The skip's reason holds a comma: quoted in the file.
    expect(rows[1]?.[4]).toBe('skipped');
    expect(csv.stdout).toContain(`,"${items[1]?.outcome?.reason}",`);
  });

  it('refuses to run a campaign that awaits approval, and says where it is approved', async () => {
    const campaign = await plan(3);
    const text = await runCli(['cleanup', 'run', campaign.id], env);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`Campaign ${campaign.id} awaits approval in Slack`);
    const json = await runCli(['cleanup', 'run', campaign.id, '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', error: { code: 'CONFLICT' } });
    expect(deleteCalls(campaign.videoIds)).toBe(0);
  });

  it('lets its requester pause and resume it; a paused campaign is not run until resumed', async () => {
    const campaign = await plan(4);
    await approveCampaign(db, campaign.id);

    const paused = await runCli(['cleanup', 'pause', campaign.id, '--reason', 'peak hours', '--json'], env);
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.stdout)).toEqual({ id: campaign.id, status: 'paused' });
    const refused = await runCli(['cleanup', 'run', campaign.id], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`paused (by ${OPERATOR}`);
    expect(refused.stderr).toContain(
      `peak hours): resume it first with: vod-ops cleanup resume ${campaign.id}`,
    );
    expect(deleteCalls(campaign.videoIds)).toBe(0);

    const resumed = await runCli(['cleanup', 'resume', campaign.id], env);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`is running again`);
    expect(resumed.stdout).toContain(`vod-ops cleanup run ${campaign.id}`);
    // resume ran nothing itself: that is left to servers and to `cleanup run`.
    expect(deleteCalls(campaign.videoIds)).toBe(0);

    const run = await runCli(['cleanup', 'run', campaign.id, '--json'], env);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ status: 'completed', itemsDone: campaign.items });
    expect(deleteCalls(campaign.videoIds)).toBe(campaign.items);

    const trail = await runCli(['audit', '--request', campaign.id, '--json'], env);
    const types = jsonLines(trail.stdout).map((entry) => entry.type);
    expect(types.filter((type) => String(type).startsWith('campaign_'))).toEqual([
      'campaign_created',
      'campaign_planned',
      'campaign_vote',
      'campaign_approved',
      'campaign_started',
      'campaign_paused',
      'campaign_resumed',
      'campaign_completed',
    ]);
  });

  it('lets its requester cancel a running campaign: nothing more of it runs', async () => {
    const campaign = await plan(3);
    await approveCampaign(db, campaign.id);
    const cancelled = await runCli(['cleanup', 'cancel', campaign.id, '--reason', 'wrong rule'], env);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain('is cancelled: no new item starts');
    const run = await runCli(['cleanup', 'run', campaign.id], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Campaign ${campaign.id} is cancelled: nothing more of it runs`);
    expect(deleteCalls(campaign.videoIds)).toBe(0);
  });

  it('refuses pause, resume and cancel by someone who is neither its requester nor an approver', async () => {
    const { videoIds } = videoList(3);
    const core = await openCampaignCore(db, { endpoint: emulator.endpoint });
    const now = systemClock.now();
    const campaign = await core.campaigns
      .plan({
        rule: ruleFromFlags({ definition: 'FD,LD', videoIds }, now),
        reason: 'requested in Slack',
        requester: OTHER_REQUESTER,
      })
      .finally(() => core.close());
    await approveCampaign(db, campaign.id);

    const asApprover = { ...env, VOD_OPS_APPROVERS: `${APPROVER.id},cli:${OPERATOR}` };
    const refusedTo = async (verb: string) => {
      const result = await runCli(['cleanup', verb, campaign.id, '--json'], env);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: 'error', error: { code: 'FORBIDDEN' } });
    };
    await refusedTo('pause');
    await refusedTo('cancel');
    const text = await runCli(['cleanup', 'pause', campaign.id], env);
    expect(text.stderr).toContain(
      `Only the campaign's requester or an approver may pause or resume ${campaign.id}`,
    );
    // The same person, once an approver, may.
    expect((await runCli(['cleanup', 'pause', campaign.id], asApprover)).code).toBe(0);
    await refusedTo('resume');
    expect((await runCli(['cleanup', 'resume', campaign.id], asApprover)).code).toBe(0);
    expect((await runCli(['cleanup', 'cancel', campaign.id], asApprover)).code).toBe(0);
    expect(deleteCalls(videoIds)).toBe(0);
  });

  it('ends a foreground run when someone pauses the campaign meanwhile, saying so, with exit 1', async () => {
    const campaign = await plan(40);
    await approveCampaign(db, campaign.id);
    try {
      const run = startRun(campaign.id);
      await run.settled;
      const paused = await runCli(['cleanup', 'pause', campaign.id, '--reason', 'peak hours'], env);
      expect(paused.code).toBe(0);
      expect(await run.closed).toBe(1);
      const last = jsonLines(run.output.stdout()).at(-1);
      expect(last).toMatchObject({
        type: 'report',
        status: 'paused',
        paused: { reason: 'peak hours', by: { source: 'cli', id: OPERATOR } },
        next: `vod-ops cleanup resume ${campaign.id}`,
        itemsRunning: 0,
      });
      expect(Number(last?.itemsSettled)).toBeLessThan(campaign.items);
    } finally {
      emulator.setLatency(0);
    }
  });

  it('stops cleanly on Ctrl-C: running items finish, and another run settles every item exactly once', async () => {
    const campaign = await plan(40);
    await approveCampaign(db, campaign.id);
    try {
      const run = startRun(campaign.id);
      await run.settled;
      run.child.kill('SIGINT');
      expect(await run.closed).toBe(130);
      const stopped = jsonLines(run.output.stdout()).at(-1);
      expect(stopped).toMatchObject({
        type: 'report',
        status: 'running',
        stoppedBy: 'SIGINT',
        next: `vod-ops cleanup run ${campaign.id}`,
        itemsRunning: 0,
      });
      expect(Number(stopped?.itemsSettled)).toBeLessThan(campaign.items);
      expect(run.output.stderr()).toContain('stopping: no new item starts');
    } finally {
      emulator.setLatency(0);
    }

    const again = await runCli(['cleanup', 'run', campaign.id], env);
    expect(again.code).toBe(0);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ status: 'completed', itemsDone: campaign.items });
    const items = await storedItems(campaign.id);
    expect(items.map((item) => [item.status, item.claims])).toEqual(items.map(() => ['deleted', 1]));
    expect(deleteCalls(campaign.videoIds)).toBe(campaign.items);
    const core = await openCampaignCore(db);
    const trail = await core.campaigns.audit(campaign.id).finally(() => core.close());
    const settled = trail.filter((entry) => entry.type.startsWith('item_')).map((entry) => entry.details.seq);
    expect(settled.sort((a, b) => Number(a) - Number(b))).toEqual(items.map((item) => item.seq));
  });

  it('continues a plan that was interrupted, and only a plan, with resume', async () => {
    // A planner that stopped after its first page, long enough ago for its claim to have run out.
    const tenMinutesAgo = { now: () => Date.now() - 10 * 60_000, monotonic: () => performance.now() };
    const core = await openCampaignCore(db, { endpoint: emulator.endpoint, clock: tenMinutesAgo });
    const rule = ruleFromFlags({ streamStatus: 'Invisible' }, systemClock.now());
    let pages = 0;
    const stopped = await core.campaigns
      .plan({ rule, reason: 'stale re-transcodes', requester: OTHER_REQUESTER }, () => {
        pages += 1;
        throw new Error('the planner died');
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      )
      .finally(() => core.close());
    expect(String(stopped)).toContain('the planner died');
    expect(pages).toBe(1);
    const [interrupted] = JSON.parse(
      (await runCli(['cleanup', 'list', '--status', 'planning', '--json'], env)).stdout,
    );
    expect(interrupted).toMatchObject({ status: 'planning' });

    const resumed = await runCli(['cleanup', 'resume', interrupted.id, '--json'], env);
    expect(resumed.code).toBe(0);
    const dryRun = await runCli(
      ['cleanup', 'plan', '--stream-status', 'Invisible', '--dry-run', '--json'],
      env,
    );
    const whole = JSON.parse(dryRun.stdout);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      id: interrupted.id,
      status: 'pending',
      videosScanned: whole.videosScanned,
      streams: whole.streams,
      items: whole.items,
    });
    const again = await runCli(['cleanup', 'resume', interrupted.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is pending, not paused: there is nothing to resume');
  });
});
