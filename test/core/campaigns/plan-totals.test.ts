import { describe, expect, it } from 'vitest';
import {
  addVideoToTotals,
  describeMonthlySaving,
  emptyPlanTotals,
  monthlySaving,
  type PlanTotals,
  restorePlanTotals,
} from '../../../src/core/campaigns/plan-totals.js';
import type { StreamSelection } from '../../../src/core/campaigns/stream-selection.js';
import { aStream, hexId } from '../../helpers/builders.js';
import { refusal } from './fixtures.js';

const GIB = 1024 ** 3;

const first: StreamSelection = {
  selected: [
    aStream(hexId('1'), { definition: 'HD', format: 'mp4', sizeBytes: 3 * GIB }),
    aStream(hexId('2'), { definition: 'SD', format: 'm3u8', sizeBytes: GIB }),
    aStream(hexId('3'), { definition: 'HD', format: 'm3u8', sizeBytes: undefined }),
  ],
  held: [{ stream: aStream(hexId('4'), { definition: '4K', sizeBytes: 5 * GIB }), guard: 'last_playable' }],
};
const second: StreamSelection = {
  selected: [aStream(hexId('5'), { definition: '2K', format: 'mp4', sizeBytes: 2 * GIB })],
  held: [{ stream: aStream(hexId('6'), { definition: 'SD', sizeBytes: 100 }), guard: 'keep_definition' }],
};
const nothing: StreamSelection = { selected: [], held: [] };

const sum = (...selections: StreamSelection[]) => selections.reduce(addVideoToTotals, emptyPlanTotals());

describe('plan totals', () => {
  it('counts videos, streams and bytes, by definition, by format and by guard', () => {
    expect(sum(first, nothing, second)).toStrictEqual({
      videosScanned: 3,
      videosMatched: 2,
      streams: 4,
      bytes: 6 * GIB,
      streamsWithoutSize: 1,
      byDefinition: {
        '2K': { streams: 1, bytes: 2 * GIB },
        HD: { streams: 2, bytes: 3 * GIB },
        SD: { streams: 1, bytes: GIB },
      },
      byFormat: { m3u8: { streams: 2, bytes: GIB }, mp4: { streams: 2, bytes: 5 * GIB } },
      held: { keep_definition: { streams: 1, bytes: 100 }, last_playable: { streams: 1, bytes: 5 * GIB } },
    } satisfies PlanTotals);
  });

  it('gives the same JSON whatever order the videos came in', () => {
    expect(JSON.stringify(sum(second, nothing, first))).toBe(JSON.stringify(sum(first, nothing, second)));
  });

  it('resumes from its JSON as if it had never stopped', () => {
    const saved = JSON.stringify(sum(first));
    const resumed = [nothing, second].reduce(addVideoToTotals, restorePlanTotals(JSON.parse(saved)));
    expect(resumed).toStrictEqual(sum(first, nothing, second));
  });

  it.each([
    ['a count below zero', { ...emptyPlanTotals(), streams: -1 }, 'streams'],
    ['a missing count', { ...emptyPlanTotals(), bytes: undefined }, 'bytes'],
    ['a field a plan does not save', { ...emptyPlanTotals(), extra: 1 }, 'the value'],
    ['a tally that is not one', { ...emptyPlanTotals(), byFormat: { mp4: 3 } }, 'byFormat.mp4'],
    ['no totals at all', null, 'the value'],
  ])('refuses to restore %s', (_name, saved, where) => {
    expect(refusal(() => restorePlanTotals(saved)).message).toBe(
      `The saved totals of this plan cannot be restored (${where} is not what a plan saves): plan the campaign again.`,
    );
  });
});

describe('monthlySaving', () => {
  it.each([
    [GIB, 0.0173, 0.0173],
    [500 * GIB, 0.02, 10],
    [0, 0.0173, 0],
    [1e9, 1, 1e9 / GIB],
  ])(
    'saves, for %d bytes at %d a GB-month (a GB being 1024³ bytes), %d a month',
    (bytes, price, expected) => {
      expect(monthlySaving(bytes, price)).toBeCloseTo(expected, 10);
    },
  );

  it.each([
    [-1, 0.02],
    [1, -0.02],
    [Number.NaN, 0.02],
    [Number.POSITIVE_INFINITY, 0.02],
  ])('refuses %d bytes at %d', (bytes, price) => {
    expect(() => monthlySaving(bytes, price)).toThrow(RangeError);
  });
});

describe('describeMonthlySaving', () => {
  it('words the saving to the cent, with the price it was computed at', () => {
    expect(describeMonthlySaving(500 * GIB, 0.02)).toBe('10.00 a month at 0.02 per GB-month');
    expect(describeMonthlySaving(GIB, 0.0173)).toBe('0.02 a month at 0.0173 per GB-month');
  });
});
