import { z } from 'zod';
import { AppError } from '../errors.js';
import { joinWords } from '../format.js';
import { parseVideoId } from '../vod/input-rules.js';
import { type DateBound, readDateBound } from './rule-dates.js';
import { quote, typeProblem } from './rule-problems.js';
import { documentedValue } from './stream-vocabulary.js';

/**
 * How each value of a selection rule is read: zod schemas that normalise a value (Alibaba's spelling, trimmed
 * text, a parsed date, a branded VideoId) or refuse it with a sentence fragment saying what to write instead.
 * The fragments follow the field's name: `streams.formats[0]: "mp5" is not a format Alibaba documents: …`.
 */

/**
 * At most this many VideoIds in one campaign: a campaign is approved as a whole, so it should stay a set people
 * can review. The list is kept on the campaign itself, which is rewritten with every page of its plan (100
 * videos): 10,000 ids (about 350 KB) make a plan write some 35 MB in all; 100,000 would make it 3.5 GB. A larger
 * set is split into several campaigns (until the list has a table of its own).
 */
export const MAX_VIDEO_IDS = 10_000;
/** VOD keeps at most 16 tags of at most 32 characters on a video, and titles of at most 128 characters. */
export const MAX_TAGS = 16;
const MAX_TAG_LENGTH = 32;
const MAX_TITLE_LENGTH = 128;

/**
 * What text may go into SearchMedia's Match expression: letters and digits of any script, spaces, `-`, `_`
 * and `.`. Match puts strings between single quotes and documents no escape, so a `'` would end the string
 * early and let the rest be read as syntax; `(`, `)`, `,` and `=` are its syntax too. Other punctuation is
 * left out because Alibaba does not say how its search reads it.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/protocol-for-media-asset-search
 */
const SEARCH_SAFE_CHARACTER = /^[\p{L}\p{M}\p{N} ._-]$/u;

/** Whether `text` can go between quotes in a Match expression as it is (see {@link SEARCH_SAFE_CHARACTER}). */
export function isSearchSafe(text: string): boolean {
  return text !== '' && text.trim() === text && [...text].every((c) => SEARCH_SAFE_CHARACTER.test(c));
}

/** One of `values` (Alibaba's documented spellings), given in any case. */
export function documentedField<T extends string>(values: readonly T[], noun: string) {
  return z.string().transform((raw, ctx) => {
    const value = documentedValue(values, raw);
    if (value !== undefined) return value;
    const use = `use ${joinWords(values, 'or')}`;
    ctx.addIssue({
      code: 'custom',
      message:
        raw.trim() === '' ? `is empty: ${use}` : `${quote(raw)} is not ${noun} Alibaba documents: ${use}`,
    });
    return z.NEVER;
  });
}

/**
 * A non-empty list of `item`, duplicates dropped. An empty list is refused: it could be read as "none" as
 * easily as "any", and a selection must not rest on a guess.
 */
export function listField<T>(item: z.ZodType<T>) {
  return z
    .array(item)
    .min(1, 'is an empty list: name at least one value, or leave the field out')
    .transform((items) => [...new Set(items)]);
}

/** Text for the search (a tag, a title): trimmed, at most `maxLength` characters, {@link isSearchSafe}. */
function searchTextField(noun: string, maxLength: number) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    const unsafe = [...new Set([...text].filter((c) => !SEARCH_SAFE_CHARACTER.test(c)))];
    const problem =
      text === ''
        ? 'is empty: give some text, or leave the field out'
        : text.length > maxLength
          ? `is ${text.length} characters long; ${noun} in VOD has at most ${maxLength}`
          : unsafe.length > 0
            ? `${quote(text)} holds ${joinWords(unsafe.map(quote), 'and')}, which cannot go safely into ` +
              `SearchMedia's Match expression: ${noun} may hold only letters, digits, spaces, '-', '_' and '.'`
            : undefined;
    if (problem === undefined) return text;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });
}

/** A category id (CateId, a Long): a whole number, whatever else was given. */
export const categoryField = z.int({
  error: (issue) => typeProblem(issue.code === 'invalid_type' ? { ...issue, expected: 'int' } : issue),
});

export const tagsField = listField(searchTextField('a tag', MAX_TAG_LENGTH)).refine(
  (tags) => tags.length <= MAX_TAGS,
  `names more than ${MAX_TAGS} tags, more than a video can hold`,
);

export const titleField = searchTextField('a title', MAX_TITLE_LENGTH);

/** A date, date-time or age as `readDateBound` reads it; resolved later, against the moment of checking. */
export const dateField = z.string().transform((raw, ctx): DateBound => {
  const reading = readDateBound(raw);
  if (reading.ok) return reading.bound;
  ctx.addIssue({ code: 'custom', message: reading.problem });
  return z.NEVER;
});

const videoIdField = z.string().transform((raw, ctx) => {
  try {
    return parseVideoId(raw);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    ctx.addIssue({ code: 'custom', message: `${quote(raw)} is not a VideoId: 32 hexadecimal characters` });
    return z.NEVER;
  }
});

export const videoIdsField = z
  .array(videoIdField)
  .min(1, 'is an empty list: list at least one VideoId, or leave the field out')
  .max(
    MAX_VIDEO_IDS,
    `lists more than ${MAX_VIDEO_IDS.toLocaleString('en-US')} VideoIds: a campaign is approved as a whole, ` +
      'so it should stay a set people can review; split the list into several campaigns',
  )
  .transform((ids) => [...new Set(ids)]);
