import { describe, expect, it } from 'vitest';
import { describeRule } from '../../../src/core/campaigns/rule-words.js';
import { parseSelectionRule } from '../../../src/core/campaigns/selection-rule.js';
import { hexId } from '../../helpers/builders.js';
import { NOW } from './fixtures.js';

const words = (input: unknown) => describeRule(parseSelectionRule(input, NOW));

describe('describeRule', () => {
  it('puts every criterion, filter and guard of a rule in words', () => {
    expect(
      words({
        streams: {
          status: ['Invisible'],
          definitions: ['2K', '4K'],
          formats: ['mp4', 'm3u8', 'flv'],
          streamType: 'video',
          createdBefore: '2025-06-01T08:30:00+08:00',
        },
        videos: {
          createdBefore: '2025-12-03',
          category: 1000123,
          tags: ['promo', '2019'],
          title: 'keynote',
        },
        guards: { keepDefinitions: ['SD', 'HD'] },
      }),
    ).toEqual([
      'Streams with status Invisible',
      'Definition 2K or 4K',
      'Format mp4, m3u8 or flv',
      'Stream type video',
      'Streams created before 2025-06-01T00:30:00Z',
      'Of videos with status Normal',
      'Of videos created before 2025-12-03',
      'Of videos in category 1000123',
      'Of videos with a tag like promo or 2019',
      'Of videos whose title contains "keynote"',
      'Guard: each video keeps its last playable stream',
      'Guard: each video keeps at least one of SD, HD',
    ]);
  });

  it('says when a rule searches the whole library', () => {
    expect(words({ streams: { status: ['Invisible'] } })).toEqual([
      'Streams with status Invisible',
      'Of every video in the library with status Normal',
      'Guard: each video keeps its last playable stream',
    ]);
  });

  it.each([
    [{ createdAfter: '2024-01-01' }, 'Of videos created after 2024-01-01'],
    [
      { createdAfter: '2024-01-01', createdBefore: '365d' },
      'Of videos created after 2024-01-01 and before 2025-03-01T12:00:00Z',
    ],
  ])('puts video dates in words: %j', (videos, line) => {
    expect(words({ streams: { definitions: ['FD'] }, videos })).toContain(line);
  });

  it('counts listed videos rather than listing them', () => {
    expect(words({ streams: { formats: ['flv'] }, videoIds: [hexId('a'), hexId('b'), hexId('c')] })).toEqual([
      'Format flv',
      'Of 3 listed videos',
      'Guard: each video keeps its last playable stream',
    ]);
    expect(words({ streams: { formats: ['flv'] }, videoIds: [hexId('a')] })).toContain('Of 1 listed video');
  });

  it('says plainly when no guard keeps a video playable, and names a single definition kept', () => {
    expect(
      words({
        streams: { status: ['Normal'] },
        guards: { keepLastPlayable: false, keepDefinitions: ['hd'] },
      }),
    ).toEqual([
      'Streams with status Normal',
      'Of every video in the library with status Normal',
      'No guard on playability: a video may lose its last playable stream',
      'Guard: each video keeps at least one HD stream',
    ]);
  });
});
