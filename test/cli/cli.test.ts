import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVodEmulator, type VodEmulator } from '../../src/sandbox/index.js';
import { DEMO } from '../helpers/demo.js';
import { CLI, cliEnv, runCli, spawnCli } from '../helpers/run-cli.js';
import { TEST_KEY } from '../helpers/vod-fixture.js';

const KEYNOTE = DEMO.keynote;
const KEYNOTE_LD = DEMO.keynoteLd;
const KEYNOTE_SD = DEMO.keynoteSd;
const TEASER = DEMO.teaser;
const TEASER_ONLY = DEMO.teaserOnly;
const UNKNOWN = 'ffffffffffffffffffffffffffffffff';

/**
 * Runs the CLI on a real pseudo-terminal (util-linux `script`) and types `keys` once, after the confirmation
 * prompt appears and readline has had a moment to take the terminal into raw mode.
 */
async function runOnTerminal(args: string[], keys: string, env: NodeJS.ProcessEnv) {
  const command = [process.execPath, CLI, ...args].join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => {}); // the process may be gone by the time a write lands
  let output = '';
  let answered = false;
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    if (!answered && output.includes('Type "delete" to confirm')) {
      answered = true;
      setTimeout(() => child.stdin.write(keys), 300);
    }
  });
  const [code] = await once(child, 'close');
  return { code: code as number | null, output };
}

let emulator: VodEmulator;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  emulator = await startVodEmulator({ credentials: [TEST_KEY] });
  env = cliEnv({
    VOD_ENDPOINT: emulator.endpoint,
    ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
    VOD_MAX_ATTEMPTS: '2',
  });
});
afterEach(() => emulator.close());

describe('vod-ops streams', () => {
  it('prints the video and every stream as a table', async () => {
    const result = await runCli(['streams', KEYNOTE], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Product launch keynote 2025');
    expect(result.stdout).toMatch(new RegExp(`${KEYNOTE_LD}\\s+LD\\s+mp4`));
    expect(result.stdout.trim().split('\n')).toHaveLength(3 + 2 + 5);
  });

  it('prints JSON with --json, and logs each VOD call as a JSON line on stderr', async () => {
    const result = await runCli(['streams', KEYNOTE, '--json'], env);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.video).toMatchObject({ videoId: KEYNOTE, status: 'Normal' });
    expect(body.streams).toHaveLength(5);
    const logs = result.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(logs.map((l) => l.action).sort()).toEqual(['GetPlayInfo', 'GetVideoInfo']);
    expect(logs.map((l) => l.requestId).sort()).toEqual(emulator.calls.map((c) => c.requestId).sort());
    expect(result.stderr).not.toContain(TEST_KEY.accessKeySecret);
  });

  it('runs against an in-process emulator with --sandbox and no credentials at all', async () => {
    const result = await runCli(['streams', KEYNOTE, '--sandbox'], cliEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(KEYNOTE_LD);
    expect(result.stderr).toContain('sandbox');
  });
});

describe('vod-ops delete-stream', () => {
  it('previews, deletes with --yes and prints the RequestId', async () => {
    const result = await runCli(['delete-stream', KEYNOTE, `${KEYNOTE_LD},${KEYNOTE_SD}`, '--yes'], env);
    expect(result.code).toBe(0);
    const deletes = emulator.callsTo('DeleteStream');
    expect(deletes).toHaveLength(1);
    expect(result.stdout).toContain('Would DELETE 2 streams');
    expect(result.stdout).toContain(`Alibaba RequestId: ${deletes[0]?.requestId}`);
    expect(emulator.video(KEYNOTE)?.streams.map((s) => s.jobId)).not.toContain(KEYNOTE_SD);
  });

  it('accepts job IDs as separate arguments and reports the outcome as JSON', async () => {
    const result = await runCli(
      ['delete-stream', KEYNOTE, `${KEYNOTE_LD},`, KEYNOTE_SD, '--yes', '--json'],
      env,
    );
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.status).toBe('deleted');
    expect(body.result.requestId).toBe(emulator.callsTo('DeleteStream')[0]?.requestId);
    expect(body.preview.toDelete.map((s: { jobId: string }) => s.jobId)).toEqual([KEYNOTE_LD, KEYNOTE_SD]);
  });

  it('shows the preview and deletes nothing with --dry-run', async () => {
    const result = await runCli(['delete-stream', TEASER, TEASER_ONLY, '--dry-run'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('WARNING: No stream would remain');
    expect(result.stdout).toContain('Dry run: nothing was deleted.');
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('refuses without --yes when not on a terminal, before sending anything', async () => {
    const result = await runCli(['delete-stream', KEYNOTE, KEYNOTE_LD], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no terminal.*--dry-run.*--yes/);
    expect(emulator.calls).toHaveLength(0);
  });

  it('refuses more than 20 job IDs with exit code 2 and no request sent', async () => {
    const ids = Array.from({ length: 21 }, (_, i) => i.toString(16).padStart(32, '0'));
    const result = await runCli(['delete-stream', KEYNOTE, ids.join(','), '--yes'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/21 job IDs given, but DeleteStream accepts at most 20/);
    expect(emulator.calls).toHaveLength(0);
  });

  it.each([
    [['delete-stream', 'not-a-video', KEYNOTE_LD, '--yes'], /not a VideoId/],
    [['delete-stream', KEYNOTE, `${KEYNOTE_LD},,${KEYNOTE_SD}`, '--yes'], /empty item at position 2/],
    [['delete-stream', KEYNOTE, `${KEYNOTE_LD} ${KEYNOTE_LD}`, '--yes'], /duplicate job ID/],
    [['delete-stream', KEYNOTE], /missing required argument 'JobIds'/],
    [['streams'], /missing required argument 'VideoId'/],
  ])('exits 2 on bad input %j, sending nothing', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(emulator.calls).toHaveLength(0);
  });

  it('refuses job IDs that are not streams of the video after the preview, deleting nothing', async () => {
    const result = await runCli(['delete-stream', KEYNOTE, `${KEYNOTE_LD},${UNKNOWN}`, '--yes'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`Job ID ${UNKNOWN} is not a stream of video ${KEYNOTE}`));
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('exits 1 with the message and RequestId when the service fails', async () => {
    emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed', times: 5 });
    const result = await runCli(['delete-stream', KEYNOTE, KEYNOTE_LD, '--yes'], env);
    expect(result.code).toBe(1);
    const last = emulator.callsTo('DeleteStream').at(-1);
    expect(result.stderr).toMatch(
      /error: Alibaba Cloud failed to delete the streams \(HTTP 503, DeleteStreamFailed\) \(after 2 attempts\)/,
    );
    expect(result.stderr).toContain(`Alibaba RequestId: ${last?.requestId}`);
  });

  it('exits 1 when Alibaba rejects the credentials, never printing the secret', async () => {
    const result = await runCli(['streams', KEYNOTE], {
      ...env,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret-123',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rejected the credentials .*SignatureDoesNotMatch/);
    expect(result.stderr).not.toContain('wrong-secret-123');
  });

  it('exits 2 on a bad setting, naming the variable', async () => {
    const result = await runCli(['streams', KEYNOTE], { ...env, VOD_TIMEOUT_MS: 'soon' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/VOD_TIMEOUT_MS="soon" is not valid/);
  });

  it('asks for confirmation on a terminal and deletes once "delete" is typed', async () => {
    const { code, output } = await runOnTerminal(['delete-stream', KEYNOTE, KEYNOTE_LD], 'delete\r', env);
    expect(code).toBe(0);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
    expect(output).toContain(`Alibaba RequestId: ${emulator.callsTo('DeleteStream')[0]?.requestId}`);
  });

  it('shows a person text on a terminal: no JSON log lines, nothing printed after the prompt', async () => {
    const { code, output } = await runOnTerminal(['delete-stream', KEYNOTE, KEYNOTE_LD], 'delete\r', env);
    expect(code).toBe(0);
    expect(output).not.toContain('"level"');
    // What a person sees after the prompt, terminal control sequences aside: their answer, then the outcome.
    const seen = stripVTControlCharacters(output).replace(/\r/g, '');
    const afterPrompt = seen.slice(seen.indexOf('Type "delete" to confirm: '));
    expect(afterPrompt).toMatch(/^Type "delete" to confirm: delete\n+Deleted 1 stream of /);
  });

  it('writes a failure on a terminal as a warning a person reads, and JSON lines when asked to', async () => {
    emulator.injectFault({ action: 'GetVideoInfo', kind: 'InternalError', times: 10 });
    const text = await runOnTerminal(['streams', KEYNOTE], '', env);
    expect(text.code).toBe(1);
    expect(text.output).toMatch(
      /warning: vod call \(action=GetVideoInfo .*outcome=failed .*code=InternalError/,
    );
    expect(text.output).not.toContain('"level"');
    const json = await runOnTerminal(['streams', KEYNOTE], '', { ...env, VOD_OPS_LOG_FORMAT: 'json' });
    expect(json.output).toMatch(/"level":40.*"action":"GetVideoInfo".*"outcome":"failed"/);
  });

  it('deletes nothing when the confirmation is not "delete"', async () => {
    const { code, output } = await runOnTerminal(['delete-stream', KEYNOTE, KEYNOTE_LD], 'y\r', env);
    expect(code).toBe(1);
    expect(output).toContain('Cancelled: nothing was deleted.');
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });
});

describe('vod-ops audit trail of direct deletions', () => {
  it('records a CLI deletion with the operator and the RequestId, and shows it with `audit`', async () => {
    const deleted = await runCli(['delete-stream', KEYNOTE, KEYNOTE_LD, '--yes'], env);
    expect(deleted.code).toBe(0);
    const requestId = emulator.callsTo('DeleteStream')[0]?.requestId;

    const audit = await runCli(['audit', '--json', '--video', KEYNOTE], env);
    expect(audit.code).toBe(0);
    const entries = audit.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries.map((e) => e.details.outcome)).toEqual(['started', 'succeeded']);
    expect(entries[1]).toMatchObject({
      type: 'direct_deletion',
      videoId: KEYNOTE,
      actor: { source: 'cli' },
      details: { jobIds: [KEYNOTE_LD], outcome: 'succeeded', requestId },
    });

    const human = await runCli(['audit', '--since', '1h'], env);
    expect(human.stdout).toMatch(new RegExp(`direct_deletion .*${KEYNOTE}.*requestId=${requestId}`));
  });

  it('records a failed CLI deletion with Alibaba’s code and RequestId', async () => {
    emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed', times: 5 });
    const deleted = await runCli(['delete-stream', KEYNOTE, KEYNOTE_LD, '--yes'], env);
    expect(deleted.code).toBe(1);
    const audit = await runCli(['audit', '--json'], env);
    expect(JSON.parse(audit.stdout.trim().split('\n').at(-1) ?? '')).toMatchObject({
      type: 'direct_deletion',
      details: {
        outcome: 'failed',
        vodCode: 'DeleteStreamFailed',
        httpStatus: 503,
        message: expect.stringMatching(/failed to delete the streams/),
        requestId: emulator.callsTo('DeleteStream').at(-1)?.requestId,
      },
    });
  });

  it.each([
    [['requests', 'show', 'not-a-request'], /<id> takes a request id such as dr-/],
    [['audit', '--request', 'DROP TABLE'], /--request takes a request id such as dr-/],
  ])('answers a malformed request id as bad input (exit 2): %j', async (args, message) => {
    expect((await runCli(['delete-stream', KEYNOTE, KEYNOTE_LD, '--yes'], env)).code).toBe(0);
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('says there is no database yet instead of creating one when only reading', async () => {
    const audit = await runCli(['audit'], env);
    expect(audit.code).toBe(1);
    expect(audit.stderr).toMatch(/There is no vod-ops database at .*vod-ops\.db yet/);
    const again = await runCli(['requests', 'list'], env);
    expect(again.stderr).toMatch(/There is no vod-ops database/);
  });

  it('lists no requests on a store with only direct deletions, and explains an unknown request id', async () => {
    expect((await runCli(['delete-stream', KEYNOTE, KEYNOTE_LD, '--yes'], env)).code).toBe(0);
    const list = await runCli(['requests', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('(no deletion requests)');
    const audit = await runCli(['audit', '--since', '1h'], env);
    expect(audit.stdout.split('\n')[0]).toMatch(/^TIME\s+EVENT\s+REQUEST\s+VIDEO\s+BY\s+DETAILS$/);
    expect((await runCli(['audit', '--video', UNKNOWN], env)).stdout).toContain('(no audit entries match)');
    const show = await runCli(['requests', 'show', 'dr-0000000000000'], env);
    expect(show.code).toBe(1);
    expect(show.stderr).toMatch(/No deletion request dr-0000000000000/);
  });

  it.each([
    [['audit', '--since', 'yesterday-ish'], /--since takes an ISO date\/time/],
    [['requests', 'list', '--status', 'pending,done'], /--status takes pending, approved/],
  ])('refuses %j with exit code 2', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('vod-ops input and settings', () => {
  it('accepts IDs in upper case and deletes exactly the previewed streams', async () => {
    const result = await runCli(
      ['delete-stream', KEYNOTE.toUpperCase(), KEYNOTE_LD.toUpperCase(), '--yes'],
      env,
    );
    expect(result.code).toBe(0);
    expect(emulator.callsTo('DeleteStream')[0]?.params).toMatchObject({
      VideoId: KEYNOTE,
      JobIds: KEYNOTE_LD,
    });
  });

  it('reports an empty argument (an unset shell variable) instead of dropping it', async () => {
    const result = await runCli(['delete-stream', KEYNOTE, KEYNOTE_LD, '', KEYNOTE_SD, '--yes'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/empty item at position 2/);
    expect(emulator.calls).toHaveLength(0);
  });

  it('exits 2 on an unknown VOD_OPS_LOG_LEVEL, naming it', async () => {
    const result = await runCli(['streams', KEYNOTE], { ...env, VOD_OPS_LOG_LEVEL: 'verbose' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/VOD_OPS_LOG_LEVEL="verbose" is not valid/);
  });

  it('treats Ctrl-C at the confirmation prompt as a cancellation', async () => {
    const { code, output } = await runOnTerminal(['delete-stream', KEYNOTE, KEYNOTE_LD], '\u0003', env);
    expect(code).toBe(1);
    expect(output).toContain('Cancelled: nothing was deleted.');
    expect(output).not.toMatch(/unexpected/i);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });
});

describe('vod-ops sandbox', () => {
  it('serves the demo catalogue, prints how to use it, and stops on SIGTERM', async () => {
    const child = spawnCli(['sandbox', '--port', '0'], cliEnv());
    let banner = '';
    const ready = new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        banner += chunk.toString();
        if (banner.includes('Try:')) resolve();
      });
    });
    await ready;
    const vars = Object.fromEntries([...banner.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(vars)).toEqual([
      'VOD_ENDPOINT',
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    ]);
    expect(banner).toContain(KEYNOTE);
    // Counted in words: "1 stream", never "1 streams".
    expect(banner).toMatch(/ 1 stream {2}/);
    expect(banner).not.toMatch(/\b1 streams\b/);

    const result = await runCli(['streams', KEYNOTE, '--json'], cliEnv(vars as Record<string, string>));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).streams).toHaveLength(5);

    child.kill('SIGTERM');
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    expect(banner).toContain('sandbox stopped');
  });

  it('refuses a bad --port with exit code 2', async () => {
    const result = await runCli(['sandbox', '--port', 'http'], cliEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port takes a whole number/);
  });
});
