import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_VIDEO_IDS } from '../../src/sandbox/index.js';
import { approveCampaign } from '../helpers/campaign-core.js';
import { parseCsv } from '../helpers/csv.js';
import { cliEnv, runCli } from '../helpers/run-cli.js';

const STALE_KEYNOTE_STREAM = 'dfb7def03fe74233558bb253bb58650a';

describe('vod-ops cleanup --sandbox', () => {
  it('keeps sandbox campaigns from one command to the next, in a store of their own, with no account', async () => {
    // No endpoint and no credentials: only the in-process emulator can answer.
    const env = cliEnv({ VOD_OPS_APPROVERS: 'U0APPROVER' });
    const realDb = env.VOD_OPS_DB_PATH as string;
    const sandboxDb = join(dirname(realDb), 'vod-ops-sandbox.db');
    const cli = (...args: string[]) => runCli(['cleanup', ...args, '--sandbox'], env);
    const plan = (reason: string) =>
      cli('plan', '--stream-status', 'Invisible', '--reason', reason, '--json').then((r) =>
        JSON.parse(r.stdout),
      );

    const planned = await plan('stale re-transcodes');
    expect(planned).toMatchObject({ status: 'pending', items: 1, streams: 1 });
    const { id } = planned;
    const text = await cli('plan', '--stream-status', 'Invisible', '--reason', 'the same, in words');
    expect(text.stdout).toMatch(/See it with: vod-ops cleanup show cp-\w+ --sandbox/);

    const listed = JSON.parse((await cli('list', '--json')).stdout);
    expect(listed.map((c: { id: string }) => c.id)).toContain(id);
    expect(JSON.parse((await cli('show', id, '--json')).stdout)).toMatchObject({
      id,
      status: 'pending',
      itemsDone: 0,
      bytesFreed: 0,
    });
    const refused = await cli('run', id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('awaits approval in Slack');
    expect(JSON.parse((await cli('report', id, '--json')).stdout)).toMatchObject({
      status: 'pending',
      itemsPending: 1,
    });

    await approveCampaign(sandboxDb, id);
    expect((await cli('pause', id, '--reason', 'not now')).code).toBe(0);
    const resumed = await cli('resume', id);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`vod-ops cleanup run ${id} --sandbox`);
    // Each command has a fresh emulator with the demo videos: the stale keynote stream is there to delete.
    const run = await cli('run', id, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({
      type: 'report',
      status: 'completed',
      itemsDone: 1,
      bytesFreed: planned.bytes,
    });
    const [header, row, ...rest] = parseCsv((await cli('report', id, '--csv')).stdout);
    expect(header?.[0]).toBe('seq');
    expect(row?.slice(0, 5)).toEqual([
      '1',
      DEMO_VIDEO_IDS.keynote,
      STALE_KEYNOTE_STREAM,
      String(planned.bytes),
      'deleted',
    ]);
    expect(rest).toEqual([]);

    const other = await plan('changed my mind');
    const cancelled = await cli('cancel', other.id, '--json');
    expect(JSON.parse(cancelled.stdout)).toEqual({ id: other.id, status: 'cancelled' });
    expect((await cli('resume', other.id)).stderr).toContain('is cancelled, not paused');

    // Nothing of it reached the real store: it was never even created.
    expect(existsSync(realDb)).toBe(false);
    const real = await runCli(['cleanup', 'list'], env);
    expect(real.code).toBe(1);
    expect(real.stderr).toContain('There is no vod-ops database');
  });

  it('keeps sandbox campaigns where VOD_OPS_SANDBOX_DB_PATH says, and never in the real store', async () => {
    const env = cliEnv();
    const elsewhere = join(dirname(env.VOD_OPS_DB_PATH as string), 'elsewhere', 'sandbox.db');
    const planned = await runCli(
      ['cleanup', 'plan', '--sandbox', '--stream-status', 'Invisible', '--reason', 'x y', '--json'],
      { ...env, VOD_OPS_SANDBOX_DB_PATH: elsewhere },
    );
    expect(planned.code).toBe(0);
    expect(existsSync(elsewhere)).toBe(true);

    const same = await runCli(['cleanup', 'list', '--sandbox'], {
      ...env,
      VOD_OPS_SANDBOX_DB_PATH: env.VOD_OPS_DB_PATH as string,
    });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('VOD_OPS_SANDBOX_DB_PATH is the real store');
  });
});
