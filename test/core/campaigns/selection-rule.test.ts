import { describe, expect, it } from 'vitest';
import { isSearchSafe } from '../../../src/core/campaigns/rule-fields.js';
import { checkSelectionRule, parseSelectionRule } from '../../../src/core/campaigns/selection-rule.js';
import { hexId } from '../../helpers/builders.js';
import { DAY, NOW, refusal } from './fixtures.js';

const INVISIBLE = { streams: { status: ['Invisible'] } };

describe('parseSelectionRule', () => {
  it('normalises every value to Alibaba’s spelling, drops duplicates and resolves the dates', () => {
    const rule = parseSelectionRule(
      {
        streams: {
          status: ['invisible'],
          definitions: ['2k', '4K', '2K'],
          formats: ['MP4'],
          streamType: 'Video',
          createdBefore: '365d',
        },
        videos: {
          createdBefore: '2025-12-03',
          createdAfter: '2024-01-01T08:00:00+08:00',
          category: 1000123,
          tags: [' promo ', '2019'],
          title: '宣传片 trailer',
        },
        guards: { keepLastPlayable: false, keepDefinitions: ['sd', 'HD'] },
      },
      NOW,
    );
    expect(rule).toStrictEqual({
      streams: {
        status: ['Invisible'],
        definitions: ['2K', '4K'],
        formats: ['mp4'],
        streamType: 'video',
        createdBefore: '2025-03-01T12:00:00Z',
      },
      videos: {
        createdBefore: '2025-12-03T00:00:00Z',
        createdAfter: '2024-01-01T00:00:00Z',
        category: 1000123,
        tags: ['promo', '2019'],
        title: '宣传片 trailer',
      },
      guards: { keepLastPlayable: false, keepDefinitions: ['SD', 'HD'] },
    });
  });

  it('keeps the last playable stream unless told otherwise, and leaves out what was not given', () => {
    expect(parseSelectionRule(INVISIBLE, NOW)).toStrictEqual({
      streams: { status: ['Invisible'] },
      guards: { keepLastPlayable: true },
    });
    expect(parseSelectionRule({ ...INVISIBLE, videos: {} }, NOW)).toStrictEqual({
      streams: { status: ['Invisible'] },
      guards: { keepLastPlayable: true },
    });
  });

  it('gives a resolved rule back unchanged, however much later it is checked again', () => {
    const rule = parseSelectionRule(
      {
        streams: { definitions: ['FD'], createdBefore: '30d' },
        videos: { createdAfter: '2y', title: 'keynote' },
        guards: { keepDefinitions: ['LD'] },
      },
      NOW,
    );
    expect(parseSelectionRule(rule, NOW + 400 * DAY)).toStrictEqual(rule);
  });

  it('reads VideoIds with the input rules: lower-cased, each once, in the order given', () => {
    const rule = parseSelectionRule(
      { ...INVISIBLE, videoIds: [hexId('B').toUpperCase(), hexId('a'), ` ${hexId('b')} `] },
      NOW,
    );
    expect(rule.videoIds).toEqual([hexId('b'), hexId('a')]);
  });

  it.each([
    ['1d', 'before', NOW, '2026-02-28T12:00:00Z'],
    ['365d', 'before', NOW, '2025-03-01T12:00:00Z'],
    ['1y', 'before', NOW, '2025-03-01T12:00:00Z'],
    ['2Y', 'before', NOW, '2024-03-01T12:00:00Z'],
    ['30 d', 'before', NOW, '2026-01-30T12:00:00Z'],
    ['1d', 'before (now at 12:00:00.700, rounded down)', NOW + 700, '2026-02-28T12:00:00Z'],
    ['1d', 'after (now at 12:00:00.300, rounded up)', NOW + 300, '2026-02-28T12:00:01Z'],
  ])('resolves the age %s %s against the injected now', (age, side, now, expected) => {
    const field = side.startsWith('after') ? 'createdAfter' : 'createdBefore';
    const rule = parseSelectionRule({ ...INVISIBLE, videos: { [field]: age } }, now);
    expect(rule.videos?.[field]).toBe(expected);
  });

  it.each([
    ['2025-12-03', '2025-12-03T00:00:00Z'],
    ['2025-12-03T08:30:00Z', '2025-12-03T08:30:00Z'],
    ['2025-12-03t08:30z', '2025-12-03T08:30:00Z'],
    ['2025-12-03 08:30:00+08:00', '2025-12-03T00:30:00Z'],
    ['2025-12-03T08:30:00-0130', '2025-12-03T10:00:00Z'],
    ['2025-12-03T08:30:00.999Z', '2025-12-03T08:30:00Z'],
    ['2024-02-29', '2024-02-29T00:00:00Z'],
  ])('reads the date %s as the instant %s', (text, expected) => {
    expect(parseSelectionRule({ streams: { createdBefore: text } }, NOW).streams.createdBefore).toBe(
      expected,
    );
  });
});

describe('what parseSelectionRule refuses', () => {
  const ALL_CRITERIA =
    'give at least one of streams.status, streams.definitions, streams.formats, streams.streamType or streams.createdBefore';
  it.each([
    [
      'an unknown field of the rule',
      { ...INVISIBLE, guard: {} },
      'guard: is not a field of a rule: its fields are streams, videos, videoIds and guards',
    ],
    [
      'a misspelt criterion',
      { streams: { status: ['Invisible'], defintions: ['SD'] } },
      'streams.defintions: is not a field of streams: its fields are status, definitions, formats, streamType and createdBefore',
    ],
    [
      'an unknown guard',
      { ...INVISIBLE, guards: { keepLast: true } },
      'guards.keepLast: is not a field of guards: its fields are keepLastPlayable and keepDefinitions',
    ],
    [
      'a definition Alibaba does not document',
      { streams: { definitions: ['SD', '8K'] } },
      'streams.definitions[1]: "8K" is not a definition Alibaba documents: use FD, LD, SD, HD, OD, 2K, 4K, SQ, HQ or AUTO',
    ],
    [
      'a format Alibaba does not document',
      { streams: { formats: ['mp5'] } },
      'streams.formats[0]: "mp5" is not a format Alibaba documents: use mp4, m3u8, mp3, flv, mpd or m4a',
    ],
    [
      'a stream status other than Normal and Invisible',
      { streams: { status: ['Blocked'] } },
      'streams.status[0]: "Blocked" is not a stream status Alibaba documents: use Normal or Invisible',
    ],
    [
      'a stream type other than video and audio',
      { streams: { streamType: 'both' } },
      'streams.streamType: "both" is not a stream type Alibaba documents: use video or audio',
    ],
    [
      'an empty value in a list',
      { streams: { definitions: [' '] } },
      'streams.definitions[0]: is empty: use FD, LD, SD, HD, OD, 2K, 4K, SQ, HQ or AUTO',
    ],
    [
      'an empty list',
      { streams: { definitions: [] } },
      'streams.definitions: is an empty list: name at least one value, or leave the field out',
    ],
    [
      'a rule with no streams',
      { guards: {} },
      `a rule with no stream criterion would delete every stream: ${ALL_CRITERIA}`,
    ],
    [
      'a rule with empty stream criteria',
      { streams: {}, videos: { title: 'old' } },
      `a rule with no stream criterion would delete every stream: ${ALL_CRITERIA}`,
    ],
    [
      'a criterion that names every status',
      { streams: { status: ['Normal', 'invisible'] } },
      `a rule with no stream criterion would delete every stream: ${ALL_CRITERIA} (a list of every value Alibaba documents narrows nothing)`,
    ],
    [
      'a list of VideoIds together with video filters',
      { ...INVISIBLE, videoIds: [hexId('a')], videos: { category: 7, title: 'x' } },
      'videoIds: cannot be combined with videos.category or videos.title: listed videos are read as they are, ' +
        'without a search, so those filters would be silently ignored; give either the list or the filters',
    ],
    [
      'something that is not a VideoId',
      { ...INVISIBLE, videoIds: [hexId('a'), 'abc'] },
      'videoIds[1]: "abc" is not a VideoId: 32 hexadecimal characters',
    ],
    [
      'an empty list of VideoIds',
      { ...INVISIBLE, videoIds: [] },
      'videoIds: is an empty list: list at least one VideoId, or leave the field out',
    ],
    [
      'a tag with a quote, which would end the Match string',
      { ...INVISIBLE, videos: { tags: ["O'Brien"] } },
      `videos.tags[0]: "O'Brien" holds "'", which cannot go safely into SearchMedia's Match expression: ` +
        "a tag may hold only letters, digits, spaces, '-', '_' and '.'",
    ],
    [
      'a title with Match syntax in it',
      { ...INVISIBLE, videos: { title: "x') or (Title = 'y" } },
      `videos.title: "x') or (Title = 'y" holds "'", ")", "(" and "=", which cannot go safely into SearchMedia's ` +
        "Match expression: a title may hold only letters, digits, spaces, '-', '_' and '.'",
    ],
    [
      'a title longer than VOD allows',
      { ...INVISIBLE, videos: { title: 'x'.repeat(129) } },
      'videos.title: is 129 characters long; a title in VOD has at most 128',
    ],
    [
      'more tags than a video holds',
      { ...INVISIBLE, videos: { tags: Array.from({ length: 17 }, (_, i) => `t${i}`) } },
      'videos.tags: names more than 16 tags, more than a video can hold',
    ],
    [
      'a category that is not a whole number',
      { ...INVISIBLE, videos: { category: 1.5 } },
      'videos.category: must be a whole number, not 1.5',
    ],
    [
      'a category given as text',
      { ...INVISIBLE, videos: { category: '12' } },
      'videos.category: must be a whole number, not the text "12"',
    ],
    [
      'a single value where a list belongs',
      { streams: { definitions: 'SD' } },
      'streams.definitions: must be a list, not the text "SD"',
    ],
    [
      'a number where text belongs, as YAML reads 2019',
      { ...INVISIBLE, videos: { title: 2019 } },
      'videos.title: must be text, not 2019 (in YAML, put it in quotes: "2019")',
    ],
    [
      'a field left empty',
      { streams: { status: null } },
      'streams.status: is empty: give a value, or leave the field out',
    ],
    [
      'a guard that is not true or false',
      { ...INVISIBLE, guards: { keepLastPlayable: 'no' } },
      'guards.keepLastPlayable: must be true or false, not the text "no"',
    ],
    [
      'a rule that is not a set of fields',
      ['Invisible'],
      'a rule must be a set of fields (streams, videos, videoIds and guards), not a list',
    ],
  ])('refuses %s, naming the field', (_name, input, expected) => {
    const error = refusal(() => parseSelectionRule(input, NOW));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(`Rule not accepted: ${expected}.`);
  });

  const EXAMPLES =
    'use a date like 2025-12-03, a date-time like 2025-12-03T08:00:00Z, or an age like 365d or 1y';
  it.each([
    ['2025-02-30', `"2025-02-30" is not a real date and time from 1970 on: ${EXAMPLES}`],
    ['2025-12-03T24:00Z', `"2025-12-03T24:00Z" is not a real date and time from 1970 on: ${EXAMPLES}`],
    ['1969-12-31', `"1969-12-31" is not a real date and time from 1970 on: ${EXAMPLES}`],
    [
      '2025-12-03T08:00',
      '"2025-12-03T08:00" has a time but no time zone: add Z for UTC or an offset like +08:00',
    ],
    ['yesterday', `"yesterday" is not a date: ${EXAMPLES}`],
    ['0d', '"0d" is not an age from 1 day (1d) to 100 years (100y)'],
    ['101y', '"101y" is not an age from 1 day (1d) to 100 years (100y)'],
    [
      '2099-01-01',
      '2099-01-01T00:00:00Z is in the future (it is now 2026-03-01T12:00:00Z): give a date in the past',
    ],
  ])('refuses the date %s, saying what a date looks like', (text, expected) => {
    const error = refusal(() => parseSelectionRule({ streams: { createdBefore: text } }, NOW));
    expect(error.message).toBe(`Rule not accepted: streams.createdBefore: ${expected}.`);
    expect(error.detail.field).toBe('streams.createdBefore');
  });

  it('refuses video dates that leave no video between them', () => {
    const error = refusal(() =>
      parseSelectionRule(
        { ...INVISIBLE, videos: { createdAfter: '2025-06-01', createdBefore: '2025-01-01' } },
        NOW,
      ),
    );
    expect(error.message).toBe(
      'Rule not accepted: videos.createdAfter: 2025-06-01T00:00:00Z is not before videos.createdBefore ' +
        '(2025-01-01T00:00:00Z), so no video would match.',
    );
  });

  it('refuses more than 10,000 VideoIds, saying why', () => {
    const ids = Array.from({ length: 10_001 }, (_, i) => i.toString(16).padStart(32, '0'));
    const error = refusal(() => parseSelectionRule({ ...INVISIBLE, videoIds: ids }, NOW));
    expect(error.message).toBe(
      'Rule not accepted: videoIds: lists more than 10,000 VideoIds: a campaign is approved as a whole, so it ' +
        'should stay a set people can review; split the list into several campaigns.',
    );
  });

  it('names five problems at most, and how many more there are', () => {
    const error = refusal(() =>
      parseSelectionRule({ streams: { formats: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] } }, NOW),
    );
    expect(error.message).toMatch(/^Rule not accepted: streams\.formats\[0\]: "a" is not a format/);
    expect(error.message).toMatch(/streams\.formats\[4\]: "e" is not a format[^;]*\(and 2 more\)\.$/);
    expect(error.message).not.toContain('formats[5]');
  });

  it('returns every problem as a value from checkSelectionRule, for each front end to word', () => {
    expect(checkSelectionRule({ streams: { formats: ['mp5'] }, videos: { bogus: 1 } }, NOW)).toEqual({
      ok: false,
      problems: [
        { path: ['streams', 'formats', 0], message: expect.stringContaining('"mp5" is not a format') },
        { path: ['videos', 'bogus'], message: expect.stringContaining('is not a field of videos') },
      ],
    });
  });
});

describe('isSearchSafe', () => {
  it.each(['promo', '宣传片 2019', 'Année-1_final.v2', 'Видео'])('accepts %j', (text) => {
    expect(isSearchSafe(text)).toBe(true);
  });

  it.each(["O'Brien", 'a,b', 'x)', '(y', 'k=v', 'a"b', 'back\\slash', ' padded', '', 'line\nbreak', '100%'])(
    'refuses %j',
    (text) => {
      expect(isSearchSafe(text)).toBe(false);
    },
  );
});
