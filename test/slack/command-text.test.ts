import { describe, expect, it } from 'vitest';
import { parseVodCommand } from '../../src/slack/command-text.js';

const V = '94783faed59e41bde3bea921c994e5da';
const A = 'bbffd3db76aa4d4c98c5fa6f42f9bff9';
const B = '6dedefbfa26d4a3258e58d5fa289f8f3';

describe('parseVodCommand', () => {
  it.each([
    [
      'comma-separated job IDs and a reason',
      `delete-stream ${V} ${A},${B} stale renditions`,
      [`${A},${B}`],
      'stale renditions',
    ],
    ['space-separated job IDs', `delete-stream ${V} ${A} ${B}`, [A, B], ''],
    ['comma and space', `delete-stream ${V} ${A}, ${B} cleanup`, [`${A},`, B], 'cleanup'],
    [
      'a reason starting with a short hex word',
      `delete-stream ${V} ${A} bad transcode`,
      [A],
      'bad transcode',
    ],
  ])('reads delete-stream with %s', (_name, text, jobIds, reason) => {
    expect(parseVodCommand(text)).toEqual({ kind: 'delete-stream', videoId: V, jobIds, reason });
  });

  it('keeps a mistyped job ID as a job ID, so the input rules refuse it instead of deleting the others', () => {
    const typo = A.slice(0, 31);
    expect(parseVodCommand(`delete-stream ${V} ${B} ${typo} old`)).toMatchObject({
      jobIds: [B, typo],
      reason: 'old',
    });
  });

  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['pending', { kind: 'pending' }],
    [`streams ${V}`, { kind: 'streams', videoId: V }],
    ['status DR-7KQ2M9X4PZT1B', { kind: 'status', requestId: 'dr-7kq2m9x4pzt1b' }],
    [
      'cancel dr-7kq2m9x4pzt1b wrong video',
      { kind: 'cancel', requestId: 'dr-7kq2m9x4pzt1b', reason: 'wrong video' },
    ],
  ])('reads %j', (text, expected) => {
    expect(parseVodCommand(text)).toEqual(expected);
  });

  it.each([
    ['delete-stream', /needs a VideoId/],
    [`delete-stream ${V}`, /at least one job ID/],
    [`delete-stream ${V} please`, /at least one job ID/],
    ['streams', /needs a VideoId/],
    ['status', /needs a request id/],
    ['status 123', /not a request id/],
    ['purge everything', /Unknown command "purge"/],
  ])('answers %j with help and the problem', (text, problem) => {
    const parsed = parseVodCommand(text);
    expect(parsed.kind).toBe('help');
    expect(parsed.kind === 'help' && parsed.problem).toMatch(problem);
  });

  it.each([
    [`delete-stream --region ap-southeast-1 ${V} ${A} old`, 'ap-southeast-1', [A], 'old'],
    [`delete-stream ${V} --region=ap-southeast-1 ${A},${B} old`, 'ap-southeast-1', [`${A},${B}`], 'old'],
    [
      `delete-stream ${V} ${A} --region AP-SOUTHEAST-1 stale renditions`,
      'ap-southeast-1',
      [A],
      'stale renditions',
    ],
    // Once the reason has begun, a --region is the requester's words, kept as typed.
    [
      `delete-stream ${V} ${A} moved see --region eu-central-1 note`,
      undefined,
      [A],
      'moved see --region eu-central-1 note',
    ],
    [`delete-stream ${V} ${A} the --region flag was wrong`, undefined, [A], 'the --region flag was wrong'],
  ])('reads the region of %j only before the reason', (text, region, jobIds, reason) => {
    expect(parseVodCommand(text)).toEqual({
      kind: 'delete-stream',
      videoId: V,
      jobIds,
      reason,
      ...(region ? { region } : {}),
    });
  });

  it.each([
    [`streams --region cn-beijing ${V}`, { kind: 'streams', videoId: V, region: 'cn-beijing' }],
    [`streams ${V} --region=cn-beijing`, { kind: 'streams', videoId: V, region: 'cn-beijing' }],
  ])('reads %j', (text, expected) => {
    expect(parseVodCommand(text)).toEqual(expected);
  });

  it.each([
    [`delete-stream ${V} ${A} --region`, /--region takes a region id such as ap-southeast-1, not ""/],
    [`delete-stream ${V} --region *bold* ${A}`, /--region takes a region id .* not "\*bold\*"/],
    [`delete-stream --region cn-beijing ${V} --region cn-shanghai ${A}`, /Give --region once/],
    [`streams ${V} --region <!channel>`, /not "<!channel>"/],
  ])('answers %j with help and the problem', (text, problem) => {
    const parsed = parseVodCommand(text);
    expect(parsed.kind).toBe('help');
    expect(parsed.kind === 'help' && parsed.problem).toMatch(problem);
  });

  it.each([
    ['cleanup pending', { kind: 'cleanup-pending' }],
    ['cleanup status cp-7kq2m9x4pzt1b', { kind: 'cleanup-status', campaignId: 'cp-7kq2m9x4pzt1b' }],
    ['Cleanup STATUS CP-7KQ2M9X4PZT1B', { kind: 'cleanup-status', campaignId: 'cp-7kq2m9x4pzt1b' }],
  ])('reads %j', (text, expected) => {
    expect(parseVodCommand(text)).toEqual(expected);
  });

  it.each([
    ['cleanup', /cleanup takes/],
    ['cleanup frobnicate', /cleanup takes/],
    ['cleanup status', /needs a campaign id/],
    ['cleanup status dr-7kq2m9x4pzt1b', /is not a campaign id/],
    ['cleanup status cp-7kq2m9x4pzt1', /is not a campaign id/],
  ])('answers %j with what is wrong', (text, problem) => {
    expect(parseVodCommand(text)).toMatchObject({ kind: 'help', problem: expect.stringMatching(problem) });
  });
});
