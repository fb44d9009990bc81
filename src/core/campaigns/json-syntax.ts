/**
 * Where a JSON text stops being JSON, or gives a key twice, for a refusal that names the line. `JSON.parse`
 * says where only for some mistakes (V8 gives no position for an unexpected token, the commonest one: a
 * trailing comma, a bare word), and takes the last of two equal keys without a word, where YAML refuses them.
 * So this reads the text the way RFC 8259 writes it and stops at the first character that cannot continue it,
 * or at a key its object already has.
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export interface JsonSyntaxProblem {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  /** What is wrong there, e.g. `a value was expected`. */
  problem: string;
}

/** Deeper than this is refused rather than read with recursion that could exhaust the stack. */
const MAX_DEPTH = 512;

class Stop {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {}
}

/** The first place `text` is not JSON or repeats a key, or undefined when it is JSON without repeated keys. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at++;
  };
  const stop = (expected: string): never => {
    throw new Stop(
      at,
      at >= text.length ? `it ends where ${expected} should follow` : `${expected} was expected`,
    );
  };
  const expect = (char: string) => {
    skipSpace();
    if (text.charAt(at) !== char) stop(`'${char}'`);
    at++;
  };
  const string = () => {
    at++;
    for (;;) {
      const char = text.charAt(at);
      if (char === '' || char < ' ') stop(`the end of the string (")`);
      if (char === '"') {
        at++;
        return;
      }
      if (char !== '\\') {
        at++;
      } else if (text.charAt(at + 1) === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) stop('\\u and 4 hexadecimal digits');
        at += 6;
      } else if ('"\\/bfnrt'.includes(text.charAt(at + 1)) && text.charAt(at + 1) !== '') {
        at += 2;
      } else {
        stop('an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u');
      }
    }
  };
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const scalar = (): boolean => {
    const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, at));
    if (word !== undefined) {
      at += word.length;
      return true;
    }
    number.lastIndex = at;
    if (!number.test(text)) return false;
    at = number.lastIndex;
    return true;
  };
  const value = (depth: number) => {
    skipSpace();
    if (depth > MAX_DEPTH) stop(`at most ${MAX_DEPTH} levels of nesting`);
    const char = text.charAt(at);
    if (char === '{' || char === '[') container(char, depth);
    else if (char === '"') string();
    else if (!scalar()) stop('a value');
  };
  const container = (open: '{' | '[', depth: number) => {
    const close = open === '{' ? '}' : ']';
    at++;
    skipSpace();
    if (text.charAt(at) === close) {
      at++;
      return;
    }
    const keys = new Set<string>();
    for (;;) {
      if (open === '{') {
        skipSpace();
        if (text.charAt(at) !== '"') stop('a property name in double quotes');
        const start = at;
        string();
        const key: string = JSON.parse(text.slice(start, at));
        if (keys.has(key)) {
          throw new Stop(start, `${text.slice(start, at)} is given a second time: give each key once`);
        }
        keys.add(key);
        expect(':');
      }
      value(depth + 1);
      skipSpace();
      const next = text.charAt(at);
      if (next === close) {
        at++;
        return;
      }
      if (next !== ',') stop(`',' or '${close}'`);
      at++;
    }
  };
  try {
    value(0);
    skipSpace();
    if (at < text.length) stop('the end of the text');
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const lines = text.slice(0, error.offset).split('\n');
    return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1, problem: error.problem };
  }
}
