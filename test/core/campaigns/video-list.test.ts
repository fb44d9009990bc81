import { describe, expect, it } from 'vitest';
import { parseVideoList } from '../../../src/core/campaigns/video-list.js';
import { hexId } from '../../helpers/builders.js';
import { refusal } from './fixtures.js';

const A = hexId('a');
const B = hexId('b');
const C = hexId('c');

describe('parseVideoList', () => {
  it('reads one VideoId a line, skipping blank lines and comments, each id once, in the order of the file', () => {
    const text = `\uFEFF# videos of the 2019 campaign\r\n${A}\r\n\r\n  ${B.toUpperCase()}  # the keynote\n${A}\n#${C}\n`;
    expect(parseVideoList(text)).toEqual([A, B]);
  });

  it.each([
    [
      'one bad line',
      `${A}\n\nabc\n`,
      'VideoId list not accepted: line 3 ("abc") is not a VideoId. Write one VideoId (32 hexadecimal characters) ' +
        'a line; blank lines and # comments are ignored.',
    ],
    [
      'two ids on one line and a truncated one',
      `${A} ${B}\n${A}\n${C.slice(1)}`,
      `VideoId list not accepted: line 1 ("${`${A} ${B}`.slice(0, 37)}...") and line 3 ("${C.slice(1)}") are not VideoIds. ` +
        'Write one VideoId (32 hexadecimal characters) a line; blank lines and # comments are ignored.',
    ],
    [
      'more bad lines than it names',
      'a\nb\nc\nd\ne\nf\ng\n',
      'VideoId list not accepted: line 1 ("a"), line 2 ("b"), line 3 ("c"), line 4 ("d"), line 5 ("e") and 2 ' +
        'more lines are not VideoIds. Write one VideoId (32 hexadecimal characters) a line; blank lines and # ' +
        'comments are ignored.',
    ],
    [
      'a list of comments only',
      '# to do\n\n',
      'VideoId list not accepted: it lists no VideoId. Write one VideoId a line.',
    ],
  ])('refuses %s, with the line numbers', (_name, text, expected) => {
    const error = refusal(() => parseVideoList(text));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(expected);
  });

  it('refuses more than 10,000 VideoIds, saying why', () => {
    const text = Array.from({ length: 10_001 }, (_, i) => i.toString(16).padStart(32, '0')).join('\n');
    expect(refusal(() => parseVideoList(text)).message).toBe(
      'VideoId list not accepted: it lists 10,001 VideoIds, more than the 10,000 one campaign takes: a campaign ' +
        'is approved as a whole, so it should stay a set people can review. Split the list into several campaigns.',
    );
  });
});
