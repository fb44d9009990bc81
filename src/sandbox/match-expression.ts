import type { VideoHead } from './catalogue.js';

/** Whether a video is a hit; `creationMs` is its CreationTime, parsed once by the caller. */
export type MatchPredicate = (video: VideoHead, creationMs: number) => boolean;

export type ParsedMatch =
  | { readonly ok: true; readonly matches: MatchPredicate }
  | { readonly ok: false; readonly fragment: string };

/** `VideoId in (…)` takes at most this many IDs. */
export const MAX_MATCH_VIDEO_IDS = 100;

/**
 * Parses SearchMedia's `Match` for videos, in the subset vod-ops generates and Alibaba's media search protocol
 * documents: terms joined by `and`, each one of
 * - `Status = 'Normal'`, `Status in ('Normal','Blocked')`: exact;
 * - `VideoId = '…'`, `VideoId in ('…', …)`: exact, at most 100;
 * - `CateId = 1000123`: exact, an unquoted Long;
 * - `Title = 'x'`, `Title in ('x','y')`, and the same for `Tags`: fuzzy, a hit contains one of the values
 *   (case-insensitive; for tags, one of its tags does);
 * - `CreationTime = ('2018-01-01T00:00:00Z','2019-01-01T00:00:00Z')`: a range, open with `( )`, closed with `[ ]`,
 *   either side may be empty.
 * Strings are in single quotes. Anything else (`or`, other fields, a malformed term) is refused with the fragment
 * where reading stopped, which the emulator answers as `ErrorMatchSyntax`: Alibaba accepts more than this subset,
 * but a refusal is better than a guess.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/protocol-for-media-asset-search
 */
export function parseMatch(text: string): ParsedMatch {
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return { ok: false, fragment: tokens.fragment };
  const reader = createReader(tokens);
  const terms: MatchPredicate[] = [];
  try {
    do {
      terms.push(readTerm(reader));
    } while (reader.acceptWord('and'));
    if (!reader.atEnd()) reader.fail();
  } catch (error) {
    if (error instanceof MatchSyntaxError) return { ok: false, fragment: error.fragment };
    throw error;
  }
  return { ok: true, matches: (video, ms) => terms.every((term) => term(video, ms)) };
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; text: string; at: number }
  | { kind: 'symbol'; text: string; at: number };

class MatchSyntaxError extends Error {
  readonly fragment: string;
  constructor(fragment: string) {
    super(`Match syntax error at ${fragment}`);
    this.fragment = fragment;
  }
}

function tokenize(text: string): Token[] | { fragment: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const word = /^[A-Za-z][A-Za-z0-9]*/.exec(rest);
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (word) tokens.push({ kind: 'word', text: word[0], at: i });
    else if (number) tokens.push({ kind: 'number', text: number[0], at: i });
    else if (rest.startsWith("'")) {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { fragment: excerpt(text, i) };
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    } else if ('=(),[]'.includes(rest[0] ?? '')) tokens.push({ kind: 'symbol', text: rest[0] ?? '', at: i });
    else return { fragment: excerpt(text, i) };
    i += (word ?? number)?.[0].length ?? 1;
  }
  return tokens;
}

interface Reader {
  next(): Token | undefined;
  peek(): Token | undefined;
  acceptWord(word: string): boolean;
  acceptSymbol(symbol: string): boolean;
  expectSymbol(symbol: string): void;
  atEnd(): boolean;
  fail(): never;
}

function createReader(tokens: Token[]): Reader {
  let position = 0;
  const text = tokens
    .map((t) => (t.kind === 'string' ? `'${t.text}'` : t.text))
    .join(' ')
    .trim();
  const reader: Reader = {
    next: () => tokens[position++],
    peek: () => tokens[position],
    acceptWord(word) {
      const token = tokens[position];
      if (token?.kind !== 'word' || token.text.toLowerCase() !== word) return false;
      position++;
      return true;
    },
    acceptSymbol(symbol) {
      const token = tokens[position];
      if (token?.kind !== 'symbol' || token.text !== symbol) return false;
      position++;
      return true;
    },
    expectSymbol(symbol) {
      if (!reader.acceptSymbol(symbol)) reader.fail();
    },
    atEnd: () => position >= tokens.length,
    fail() {
      const from = tokens
        .slice(Math.max(0, position - 1))
        .map((t) => (t.kind === 'string' ? `'${t.text}'` : t.text))
        .join(' ');
      throw new MatchSyntaxError(excerpt(from || text, 0));
    },
  };
  return reader;
}

function readTerm(reader: Reader): MatchPredicate {
  const field = reader.next();
  if (field?.kind !== 'word') reader.fail();
  const isIn = reader.acceptWord('in');
  if (!isIn) reader.expectSymbol('=');
  switch (field.text) {
    case 'Status': {
      const values = new Set(isIn ? readList(reader) : [readString(reader)]);
      return (video) => values.has(video.status);
    }
    case 'VideoId': {
      const values = new Set(isIn ? readList(reader) : [readString(reader)]);
      if (values.size > MAX_MATCH_VIDEO_IDS) reader.fail();
      return (video) => values.has(video.videoId);
    }
    case 'CateId': {
      const token = reader.next();
      if (isIn || token?.kind !== 'number' || !/^-?\d+$/.test(token.text)) reader.fail();
      const cateId = Number(token.text);
      return (video) => video.cateId === cateId;
    }
    case 'Title': {
      const values = lowered(isIn ? readList(reader) : [readString(reader)]);
      return (video) => containsAny(video.title, values);
    }
    case 'Tags': {
      const values = lowered(isIn ? readList(reader) : [readString(reader)]);
      return (video) => (video.tags ?? []).some((tag) => containsAny(tag, values));
    }
    case 'CreationTime': {
      if (isIn) reader.fail();
      return readTimeRange(reader);
    }
    default:
      return reader.fail();
  }
}

function readString(reader: Reader): string {
  const token = reader.next();
  if (token?.kind !== 'string') reader.fail();
  return token.text;
}

function readList(reader: Reader): string[] {
  reader.expectSymbol('(');
  const values = [readString(reader)];
  while (reader.acceptSymbol(',')) values.push(readString(reader));
  reader.expectSymbol(')');
  return values;
}

/** `('from','to')` excludes its bounds, `['from','to']` includes them; an empty side is unbounded. */
function readTimeRange(reader: Reader): MatchPredicate {
  const closed = reader.acceptSymbol('[');
  if (!closed) reader.expectSymbol('(');
  const from = readOptionalTime(reader);
  reader.expectSymbol(',');
  const to = readOptionalTime(reader);
  reader.expectSymbol(closed ? ']' : ')');
  if (from === undefined && to === undefined) reader.fail();
  const low = from ?? Number.NEGATIVE_INFINITY;
  const high = to ?? Number.POSITIVE_INFINITY;
  return closed ? (_, ms) => ms >= low && ms <= high : (_, ms) => ms > low && ms < high;
}

function readOptionalTime(reader: Reader): number | undefined {
  const token = reader.peek();
  if (token?.kind !== 'string') return undefined;
  reader.next();
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(token.text) ? Date.parse(token.text) : Number.NaN;
  if (!Number.isFinite(ms)) reader.fail();
  return ms;
}

function lowered(values: string[]): string[] {
  return values.map((v) => v.toLowerCase());
}

function containsAny(text: string, values: readonly string[]): boolean {
  const haystack = text.toLowerCase();
  return values.some((value) => haystack.includes(value));
}

function excerpt(text: string, from: number): string {
  const part = text.slice(from, from + 40);
  return part.length < text.length - from ? `${part}…` : part;
}
