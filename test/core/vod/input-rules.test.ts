import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { MAX_JOB_IDS, parseJobIds, parseVideoId } from '../../../src/core/vod/input-rules.js';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccccccccccccccccccc';
const hex = (i: number) => i.toString(16).padStart(32, '0');

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

describe('parseVideoId', () => {
  it('accepts 32 hexadecimal characters, trims white space and lower-cases it as Alibaba writes ids', () => {
    expect(parseVideoId(`  ${A.toUpperCase()} `)).toBe(A);
  });

  it.each([
    ['', /required/],
    [undefined, /required/],
    ['abc', /not a VideoId.*32 hexadecimal/],
    [`${A}0`, /not a VideoId/],
    ['95948ddba24446b6aed5db985e78****', /not a VideoId/],
  ])('refuses %j saying what a VideoId looks like', (raw, message) => {
    const error = refusal(() => parseVideoId(raw));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(message);
  });
});

describe('parseJobIds', () => {
  it.each([
    ['comma-separated', `${A},${B}`, [A, B]],
    ['comma and space', `${A}, ${B}`, [A, B]],
    ['space-separated', `${A} ${B}  ${C}`, [A, B, C]],
    ['several arguments', [A, `${B},`, C], [A, B, C]],
    ['arguments split around commas', [`${A},`, B], [A, B]],
    ['in upper case, lower-cased', `${A.toUpperCase()},${B}`, [A, B]],
  ])('accepts job IDs %s, in the order given', (_name, raw, expected) => {
    expect(parseJobIds(raw)).toEqual(expected);
  });

  it('accepts exactly the maximum of 20', () => {
    const ids = Array.from({ length: MAX_JOB_IDS }, (_, i) => hex(i));
    expect(parseJobIds(ids.join(','))).toEqual(ids);
  });

  it.each([
    ['nothing', '', /At least one job ID/],
    ['only separators', ' , ', /empty item/],
    ['an empty item between commas', `${A},,${B}`, /empty item at position 2/],
    ['a trailing comma', `${A},${B},`, /empty item at position 3 \(a doubled or trailing comma/],
    ['an empty argument between two', [A, '', B], /empty item at position 2/],
    ['an empty argument at the end', [A, B, ' '], /empty item at position 3/],
    ['a malformed item', `${A},nope`, /"nope" is not a job ID/],
    ['a duplicate', `${A},${B},${A}`, new RegExp(`duplicate job ID ${A}`)],
    ['a duplicate in other case', `${A},${A.toUpperCase()}`, /duplicate job ID/],
  ])('refuses %s, saying what to fix', (_name, raw, message) => {
    const error = refusal(() => parseJobIds(raw));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(message);
  });

  it('refuses more than 20 job IDs, mirroring JobIdsExceededMax', () => {
    const ids = Array.from({ length: MAX_JOB_IDS + 1 }, (_, i) => hex(i));
    const error = refusal(() => parseJobIds(ids));
    expect(error.message).toMatch(/21 job IDs given, but DeleteStream accepts at most 20 per video/);
    expect(error.message).toMatch(/Split them/);
  });

  it('reports every problem at once', () => {
    const error = refusal(() => parseJobIds(`${A},,bad,${A}`));
    expect(error.message).toMatch(/empty item/);
    expect(error.message).toMatch(/"bad"/);
    expect(error.message).toMatch(/duplicate/);
  });
});
