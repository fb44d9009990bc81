import { describe, expect, it } from 'vitest';
import { searchMatchFor } from '../../../src/core/campaigns/match-expression.js';
import { parseSelectionRule, type SelectionRule } from '../../../src/core/campaigns/selection-rule.js';
import { hexId } from '../../helpers/builders.js';
import { NOW } from './fixtures.js';

const STREAMS = { status: ['Invisible'] };

describe('searchMatchFor', () => {
  it.each([
    ['no video filter', {}, "Status in ('Normal')"],
    [
      'a category, a whole number unquoted',
      { category: 1000123 },
      "Status in ('Normal') and CateId = 1000123",
    ],
    ['one tag', { tags: ['promo'] }, "Status in ('Normal') and Tags in ('promo')"],
    [
      'tags and a title',
      { tags: ['promo', '2019'], title: 'trailer' },
      "Status in ('Normal') and Tags in ('promo','2019') and Title = 'trailer'",
    ],
    [
      'videos created after a date, the range open at its end',
      { createdAfter: '2018-01-01' },
      "Status in ('Normal') and CreationTime = ('2018-01-01T00:00:00Z',)",
    ],
    [
      'videos created before a date, the range open at its start',
      { createdBefore: '2018-02-01T00:00:00Z' },
      "Status in ('Normal') and CreationTime = (,'2018-02-01T00:00:00Z')",
    ],
    [
      'videos created between two dates',
      { createdAfter: '2018-01-01', createdBefore: '2018-02-01' },
      "Status in ('Normal') and CreationTime = ('2018-01-01T00:00:00Z','2018-02-01T00:00:00Z')",
    ],
    [
      'every filter',
      { category: 7, tags: ['宣传片'], title: 'keynote 2019', createdAfter: '1y', createdBefore: '30d' },
      "Status in ('Normal') and CateId = 7 and Tags in ('宣传片') and Title = 'keynote 2019' and " +
        "CreationTime = ('2025-03-01T12:00:00Z','2026-01-30T12:00:00Z')",
    ],
  ])('searches Normal videos only, with %s', (_name, videos, expected) => {
    expect(searchMatchFor(parseSelectionRule({ streams: STREAMS, videos }, NOW))).toBe(expected);
  });

  it('gives no expression for a list of videos, which the planner reads without a search', () => {
    expect(
      searchMatchFor(parseSelectionRule({ streams: STREAMS, videoIds: [hexId('a')] }, NOW)),
    ).toBeUndefined();
  });

  it.each([
    ['a title with a quote', { title: "x' or Title = 'y" }],
    ['a tag with a comma', { tags: ['a,b'] }],
    ['a date that is not a resolved instant', { createdBefore: "2025-01-01') or ('" }],
    ['a category that is not a whole number', { category: 1.5 }],
  ])('throws rather than build an expression from a rule not made by the schema: %s', (_name, videos) => {
    const rule: SelectionRule = {
      streams: { status: ['Invisible'] },
      videos,
      guards: { keepLastPlayable: true },
    };
    expect(() => searchMatchFor(rule)).toThrow();
  });
});
