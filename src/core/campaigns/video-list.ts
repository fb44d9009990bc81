import { AppError } from '../errors.js';
import { joinWords } from '../format.js';
import { parseVideoId, type VideoId } from '../vod/input-rules.js';
import { MAX_VIDEO_IDS } from './rule-fields.js';
import { quote } from './rule-problems.js';

/**
 * Reads a list of VideoIds (`--videos FILE`): one a line; blank lines, and anything from a `#` to the end of
 * its line, are ignored; an id given twice counts once. Every line that holds something other than a VideoId
 * is refused with its line number (the first five are named), rather than skipped: a list that does not read
 * cleanly may not be the list that was meant. Returns the ids in the order of the file.
 */
export function parseVideoList(text: string): VideoId[] {
  const ids = new Set<VideoId>();
  const bad: string[] = [];
  let badLines = 0;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const content = line.replace(/#.*$/, '').trim();
      if (content === '') return;
      try {
        ids.add(parseVideoId(content));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        badLines++;
        if (bad.length < 5) bad.push(`line ${index + 1} (${quote(content)})`);
      }
    });
  if (badLines > 0) {
    const lines =
      badLines > bad.length
        ? `${bad.join(', ')} and ${badLines - bad.length} more lines`
        : joinWords(bad, 'and');
    throw invalid(
      `VideoId list not accepted: ${lines} ${badLines === 1 ? 'is not a VideoId' : 'are not VideoIds'}. ` +
        'Write one VideoId (32 hexadecimal characters) a line; blank lines and # comments are ignored.',
    );
  }
  if (ids.size === 0) {
    throw invalid('VideoId list not accepted: it lists no VideoId. Write one VideoId a line.');
  }
  if (ids.size > MAX_VIDEO_IDS) {
    throw invalid(
      `VideoId list not accepted: it lists ${ids.size.toLocaleString('en-US')} VideoIds, more than the ` +
        `${MAX_VIDEO_IDS.toLocaleString('en-US')} one campaign takes: a campaign is approved as a whole, so it ` +
        'should stay a set people can review. Split the list into several campaigns.',
    );
  }
  return [...ids];
}

function invalid(message: string): AppError {
  return new AppError('INVALID_INPUT', message, { detail: { field: 'videos' } });
}
