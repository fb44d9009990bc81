import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDemoCatalogue,
  createLibraryCatalogue,
  DEMO_VIDEO_IDS,
  startVodEmulator,
  type VodEmulator,
} from '../../src/sandbox/index.js';
import { cliEnv, runCli } from '../helpers/run-cli.js';
import { TEST_KEY } from '../helpers/vod-fixture.js';

const STALE_KEYNOTE_STREAM = 'dfb7def03fe74233558bb253bb58650a';

describe('vod-ops cleanup', () => {
  let emulator: VodEmulator;
  let env: NodeJS.ProcessEnv;
  const dir = mkdtempSync(join(tmpdir(), 'vod-ops-cleanup-'));

  beforeAll(async () => {
    emulator = await startVodEmulator({
      credentials: [TEST_KEY],
      catalogue: createLibraryCatalogue({ videos: 250, seed: 'cli-cleanup' }),
    });
    emulator.addVideos(createDemoCatalogue());
    env = cliEnv({
      VOD_ENDPOINT: emulator.endpoint,
      ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
      VOD_OPS_STORAGE_PRICE_PER_GB_MONTH: '0.02',
    });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('plans a campaign, shows it, lists it, and cancels it, all recorded in the audit trail', async () => {
    const planned = await runCli(
      ['cleanup', 'plan', '--stream-status', 'Invisible', '--reason', 'stale re-transcodes', '--json'],
      env,
    );
    expect(planned.stderr).not.toContain(TEST_KEY.accessKeySecret);
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout);
    expect(plan).toMatchObject({ status: 'pending', rule: { streams: { status: ['Invisible'] } } });
    expect(plan.id).toMatch(/^cp-[0-9a-z]{13}$/);
    expect(plan.videosScanned).toBeGreaterThan(200);
    expect(plan.streams).toBeGreaterThan(0);
    expect(plan.items).toBeGreaterThan(0);
    expect(plan.monthlySaving).toBeCloseTo((plan.bytes / 1024 ** 3) * 0.02, 2);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);

    const shown = JSON.parse((await runCli(['cleanup', 'show', plan.id, '--json'], env)).stdout);
    expect(shown).toMatchObject({
      id: plan.id,
      status: 'pending',
      items: plan.items,
      itemsDone: 0,
      itemsSkipped: 0,
      itemsFailed: 0,
      bytesFreed: 0,
      digest: plan.digest,
    });
    const text = await runCli(['cleanup', 'show', plan.id], env);
    expect(text.stdout).toContain('Streams with status Invisible');
    expect(text.stdout).toContain('campaign_planned');

    const listed = JSON.parse((await runCli(['cleanup', 'list', '--json'], env)).stdout);
    expect(listed.map((c: { id: string }) => c.id)).toContain(plan.id);

    const cancelled = await runCli(['cleanup', 'cancel', plan.id, '--reason', 'wrong week'], env);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain('is cancelled');
    const again = await runCli(['cleanup', 'cancel', plan.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already cancelled');

    const trail = await runCli(['audit', '--request', plan.id, '--json'], env);
    expect(
      trail.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).type),
    ).toEqual(['campaign_created', 'campaign_planned', 'campaign_cancelled']);
  });

  it('counts without storing anything with --dry-run, from a YAML rule file', async () => {
    const rule = join(dir, 'rule.yaml');
    writeFileSync(rule, 'streams:\n  status: [Invisible]\nvideos:\n  title: Product launch keynote 2025\n');
    const result = await runCli(['cleanup', 'plan', '--rule', rule, '--dry-run', '--json'], env);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ id: null, status: 'dry_run', streams: 1, items: 1 });
    expect(body.sample).toMatchObject([{ videoId: DEMO_VIDEO_IDS.keynote, jobIds: [STALE_KEYNOTE_STREAM] }]);
    const text = await runCli(['cleanup', 'plan', '--rule', rule, '--dry-run'], env);
    expect(text.stdout).toContain('Dry run in cn-shanghai: nothing stored, nothing deleted.');
    expect(text.stdout).toContain(DEMO_VIDEO_IDS.keynote);
  });

  it('plans an explicit list of videos', async () => {
    const list = join(dir, 'videos.txt');
    writeFileSync(list, `# the keynote only\n${DEMO_VIDEO_IDS.keynote}\n`);
    const result = await runCli(
      [
        'cleanup',
        'plan',
        '--videos',
        list,
        '--definition',
        'HD',
        '--reason',
        'HD is served by m3u8',
        '--json',
      ],
      env,
    );
    expect(result.code).toBe(0);
    // The keynote's three HD streams, all selected: its LD and SD stay playable.
    expect(JSON.parse(result.stdout)).toMatchObject({ videosScanned: 1, streams: 3, items: 1 });
  });

  it.each([
    [['cleanup', 'plan', '--definition', '8K', '--reason', 'x y'], /--definition.*8K/],
    [['cleanup', 'plan', '--reason', 'nothing chosen'], /stream criterion/],
    [
      ['cleanup', 'plan', '--rule', '/nonexistent.yaml', '--definition', 'SD'],
      /--rule gives the whole selection/,
    ],
    [['cleanup', 'plan', '--rule', '/nonexistent.yaml'], /no file/],
    [['cleanup', 'plan', '--title', "it's", '--stream-status', 'Invisible', '--dry-run'], /--title/],
    [['cleanup', 'show', 'dr-0000000000000'], /campaign id such as cp-/],
    [['cleanup', 'list', '--status', 'done'], /--status takes/],
  ])('refuses bad input %j with exit 2 before calling VOD', async (args, message) => {
    const before = emulator.calls.length;
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(emulator.calls.length).toBe(before);
  });

  it('completes a plan that found nothing at once: nothing to approve', async () => {
    const args = ['cleanup', 'plan', '--stream-status', 'Invisible', '--title', 'no such title anywhere'];
    const json = await runCli([...args, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'completed', items: 0, streams: 0 });
    expect((await runCli(args, env)).stdout).toContain('found nothing the rule selects: nothing to approve');
  });

  it('answers bad input in JSON with --json', async () => {
    const result = await runCli(['cleanup', 'show', 'nope', '--json'], env);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'error', error: { code: 'INVALID_INPUT' } });
  });

  it('says so when there is no such campaign', async () => {
    const result = await runCli(['cleanup', 'show', 'cp-0000000000000'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No campaign cp-0000000000000');
  });

  it('plans against the in-process sandbox with no account', async () => {
    const result = await runCli(
      ['cleanup', 'plan', '--sandbox', '--stream-status', 'Invisible', '--dry-run', '--json'],
      cliEnv(),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'dry_run', streams: 1 });
  });
});
