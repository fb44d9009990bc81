import { describe, expect, it } from 'vitest';
import { checkDeletion, describeCheck } from '../../../src/core/vod/deletion-check.js';
import { hexId, someJobIds } from '../../helpers/builders.js';

const A = hexId('a');
const B = hexId('b');
const C = hexId('c');

describe('checking what a DeleteStream of unknown outcome did', () => {
  it.each([
    ['deleted, when none of the job IDs remains', [C], { verified: 'deleted', checkRequestId: 'R' }],
    [
      'not deleted, when every one remains',
      [A.toUpperCase(), B, C],
      { verified: 'not_deleted', checkRequestId: 'R' },
    ],
    [
      'partly deleted, naming what remains',
      [B, C],
      { verified: 'partly_deleted', checkRequestId: 'R', remaining: [B] },
    ],
  ])('calls it %s', (_name, present, expected) => {
    expect(checkDeletion(someJobIds(A, B), { requestId: 'R', jobIds: present })).toEqual(expected);
  });

  it('calls it unknown when the streams could not be read', () => {
    expect(checkDeletion(someJobIds(A), undefined)).toEqual({ verified: 'unknown' });
  });

  it('says plainly what was found, with every RequestId', () => {
    expect(describeCheck({ verified: 'not_deleted', checkRequestId: 'R9' }, ['R1', 'R2'])).toMatch(
      /checked afterwards \(GetPlayInfo, RequestId R9\): none of them was deleted.*RequestIds of the attempts: R1, R2\./,
    );
    expect(describeCheck({ verified: 'partly_deleted', checkRequestId: 'R9', remaining: [B] }, [])).toMatch(
      new RegExp(`some were deleted, and these remain: ${B}`),
    );
    expect(describeCheck({ verified: 'unknown' }, ['R1'])).toMatch(
      /Whether the streams were deleted is unknown.*RequestIds of the attempts: R1\./,
    );
  });
});
