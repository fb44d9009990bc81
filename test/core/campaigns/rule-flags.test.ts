import { describe, expect, it } from 'vitest';
import { type RuleFlags, ruleFromFlags } from '../../../src/core/campaigns/rule-flags.js';
import { parseSelectionRule } from '../../../src/core/campaigns/selection-rule.js';
import { hexId } from '../../helpers/builders.js';
import { NOW, refusal } from './fixtures.js';

describe('ruleFromFlags', () => {
  it('builds from every flag the rule a file with the same values gives', () => {
    const rule = ruleFromFlags(
      {
        streamStatus: 'invisible',
        definition: '2K,4K',
        format: 'mp4, m3u8',
        streamType: 'video',
        createdBefore: '1y',
        videoCreatedBefore: '2025-12-03',
        videoCreatedAfter: '2024-01-01',
        category: '1000123',
        tag: 'promo,2019',
        title: 'keynote',
        keepDefinition: 'SD,HD',
        allowLastPlayable: true,
      },
      NOW,
    );
    expect(rule).toStrictEqual(
      parseSelectionRule(
        {
          streams: {
            status: ['Invisible'],
            definitions: ['2K', '4K'],
            formats: ['mp4', 'm3u8'],
            streamType: 'video',
            createdBefore: '1y',
          },
          videos: {
            createdBefore: '2025-12-03',
            createdAfter: '2024-01-01',
            category: 1000123,
            tags: ['promo', '2019'],
            title: 'keynote',
          },
          guards: { keepLastPlayable: false, keepDefinitions: ['SD', 'HD'] },
        },
        NOW,
      ),
    );
  });

  it('keeps the last playable stream unless --allow-last-playable is given, and ignores other flags', () => {
    const flags = { definition: 'FD', rule: undefined, yes: true, dryRun: true } as RuleFlags;
    expect(ruleFromFlags(flags, NOW)).toStrictEqual({
      streams: { definitions: ['FD'] },
      guards: { keepLastPlayable: true },
    });
  });

  it('takes the VideoIds of --videos as the rule’s list', () => {
    const rule = ruleFromFlags({ streamStatus: 'Invisible', videoIds: [hexId('a'), hexId('b')] }, NOW);
    expect(rule.videoIds).toEqual([hexId('a'), hexId('b')]);
    expect(rule.videos).toBeUndefined();
  });

  it.each([
    [
      'a definition Alibaba does not document',
      { definition: 'SD,8K' },
      '--definition (item 2): "8K" is not a definition Alibaba documents: use FD, LD, SD, HD, OD, 2K, 4K, SQ, HQ or AUTO',
    ],
    [
      'an empty item between commas',
      { format: 'mp4,,m3u8' },
      '--format (item 2): is empty: use mp4, m3u8, mp3, flv, mpd or m4a',
    ],
    [
      'a trailing comma',
      { streamStatus: 'Invisible,' },
      '--stream-status (item 2): is empty: use Normal or Invisible',
    ],
    [
      'no stream flag at all',
      { title: 'keynote', category: '3' },
      'a rule with no stream criterion would delete every stream: give at least one of --stream-status, ' +
        '--definition, --format, --stream-type or --created-before',
    ],
    [
      'a list of videos with video filters',
      { streamStatus: 'Invisible', videoIds: [hexId('a')], category: '7', tag: 'promo' },
      '--videos: cannot be combined with --category or --tag: listed videos are read as they are, without a ' +
        'search, so those filters would be silently ignored; give either the list or the filters',
    ],
    [
      'a category that is not a whole number',
      { streamStatus: 'Invisible', category: '12a' },
      '--category: must be a whole number, not the text "12a"',
    ],
    [
      'a tag with a quote',
      { streamStatus: 'Invisible', tag: "promo,O'Brien" },
      `--tag (item 2): "O'Brien" holds "'", which cannot go safely into SearchMedia's Match expression: a tag ` +
        "may hold only letters, digits, spaces, '-', '_' and '.'",
    ],
    [
      'video dates in the wrong order',
      { streamStatus: 'Invisible', videoCreatedAfter: '30d', videoCreatedBefore: '1y' },
      '--video-created-after: 2026-01-30T12:00:00Z is not before --video-created-before (2025-03-01T12:00:00Z), ' +
        'so no video would match',
    ],
    [
      'a stream date in the future',
      { createdBefore: '2030-01-01' },
      '--created-before: 2030-01-01T00:00:00Z is in the future (it is now 2026-03-01T12:00:00Z): give a date in the past',
    ],
    [
      'a definition to keep Alibaba does not document',
      { streamStatus: 'Invisible', keepDefinition: 'HD,UHD' },
      '--keep-definition (item 2): "UHD" is not a definition Alibaba documents: use FD, LD, SD, HD, OD, 2K, 4K, SQ, HQ or AUTO',
    ],
  ])('refuses %s, naming the flag', (_name, flags: RuleFlags, expected) => {
    const error = refusal(() => ruleFromFlags(flags, NOW));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(`Selection not accepted: ${expected}.`);
  });
});
