import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoCatalogue, startVodEmulator, type VodEmulator } from '../../src/sandbox/index.js';
import { DEMO } from '../helpers/demo.js';
import { cliEnv, runCli } from '../helpers/run-cli.js';
import { TEST_KEY } from '../helpers/vod-fixture.js';

// Two regions, each its own emulator: Shanghai holds the keynote, Singapore the teaser.
let shanghai: VodEmulator;
let singapore: VodEmulator;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  const demo = createDemoCatalogue();
  const only = (...ids: string[]) => demo.filter((v) => ids.includes(v.videoId));
  shanghai = await startVodEmulator({ credentials: [TEST_KEY], catalogue: only(DEMO.keynote) });
  singapore = await startVodEmulator({
    credentials: [TEST_KEY],
    region: 'ap-southeast-1',
    catalogue: only(DEMO.teaser),
  });
  env = cliEnv({
    VOD_REGIONS: `cn-shanghai=${shanghai.endpoint},ap-southeast-1=${singapore.endpoint}`,
    ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
    VOD_MAX_ATTEMPTS: '1',
  });
});
afterEach(async () => {
  await shanghai.close();
  await singapore.close();
});

describe('the CLI with VOD_REGIONS', () => {
  it('finds a video in its region and says which', async () => {
    const table = await runCli(['streams', DEMO.teaser], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Region ap-southeast-1/);
    const json = await runCli(['streams', DEMO.keynote, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      region: 'cn-shanghai',
      video: { videoId: DEMO.keynote },
    });
  });

  it('deletes in the video’s region and records the region in the audit trail', async () => {
    const result = await runCli(['delete-stream', DEMO.teaser, DEMO.teaserOnly, '--yes', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'deleted', region: 'ap-southeast-1' });
    expect(singapore.callsTo('DeleteStream').map((c) => c.params.VideoId)).toEqual([DEMO.teaser]);
    expect(shanghai.callsTo('DeleteStream')).toHaveLength(0);

    const audit = await runCli(['audit', '--json'], env);
    const entries = audit.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; details: { region?: string; outcome?: string } });
    expect(entries.map((e) => [e.type, e.details.outcome, e.details.region])).toEqual([
      ['direct_deletion', 'started', 'ap-southeast-1'],
      ['direct_deletion', 'succeeded', 'ap-southeast-1'],
    ]);
  });

  it('acts only in the region --region names', async () => {
    const elsewhere = await runCli(['streams', DEMO.keynote, '--region', 'ap-southeast-1'], env);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/does not exist .*the region asked/);
    expect(shanghai.calls).toHaveLength(0);

    const unserved = await runCli(['streams', DEMO.keynote, '--region', 'eu-central-1'], env);
    expect(unserved.code).toBe(2);
    expect(unserved.stderr).toMatch(
      /--region eu-central-1 is not one of the regions this deployment serves \(VOD_REGIONS: cn-shanghai, ap-southeast-1\)/,
    );
    const plan = await runCli(
      [
        'cleanup',
        'plan',
        '--region',
        'ap-southeast-1',
        '--definition',
        'FD',
        '--reason',
        'test',
        '--dry-run',
        '--json',
      ],
      env,
    );
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ status: 'dry_run', region: 'ap-southeast-1' });
    expect(singapore.callsTo('SearchMedia').length).toBeGreaterThan(0);
    expect(shanghai.callsTo('SearchMedia')).toHaveLength(0);
  });

  it('refuses a video no region holds', async () => {
    const result = await runCli(['delete-stream', DEMO.missing, DEMO.keynoteLd, '--dry-run'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /was not found in any region vod-ops serves \(cn-shanghai, ap-southeast-1\)/,
    );
  });
});

describe('--profile', () => {
  /** A home folder with an aliyun CLI configuration holding one AccessKey profile. */
  function homeWithProfile(): string {
    const home = mkdtempSync(join(tmpdir(), 'vod-ops-home-'));
    mkdirSync(join(home, '.aliyun'));
    writeFileSync(
      join(home, '.aliyun', 'config.json'),
      JSON.stringify({
        current: 'other',
        profiles: [
          {
            name: 'vod-admin',
            mode: 'AK',
            access_key_id: TEST_KEY.accessKeyId,
            access_key_secret: TEST_KEY.accessKeySecret,
            region_id: 'cn-shanghai',
          },
          { name: 'other', mode: 'AK', access_key_id: 'LTAIwrong', access_key_secret: 'profile-secret-Xy7' },
        ],
      }),
    );
    return home;
  }

  it('signs with the named aliyun CLI profile’s credentials', async () => {
    const home = homeWithProfile();
    const profileEnv = cliEnv({ HOME: home, VOD_ENDPOINT: shanghai.endpoint });
    delete profileEnv.ALIBABA_CLOUD_CLI_PROFILE_DISABLED;
    const result = await runCli(['streams', DEMO.keynote, '--profile', 'vod-admin', '--json'], profileEnv);
    expect(result.stderr).not.toMatch(/credentials/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ region: 'cn-shanghai' });
  });

  it('refuses a profile that is not there, and never prints the configuration file', async () => {
    const home = homeWithProfile();
    const profileEnv = cliEnv({ HOME: home, VOD_ENDPOINT: shanghai.endpoint });
    delete profileEnv.ALIBABA_CLOUD_CLI_PROFILE_DISABLED;
    const result = await runCli(['streams', DEMO.keynote, '--profile', 'nobody'], profileEnv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No Alibaba Cloud credentials were found.*--profile/);
    expect(result.stderr).not.toContain('profile-secret-Xy7');
    expect(shanghai.calls).toHaveLength(0);
  });
});
