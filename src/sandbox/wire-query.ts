/**
 * Decodes the query string of a request line the way Alibaba's gateway reads it: `&`-separated pairs, split at the
 * first `=`, percent-decoded, `+` read as a space. A malformed escape is kept as it was rather than rejected, so the
 * signature check (not the parser) decides whether the request is acceptable.
 *
 * Pairs keep their order and duplicates; callers that need a map take the last value of a key.
 */
export function decodeQueryPairs(url: string): Array<[string, string]> {
  const start = url.indexOf('?');
  if (start < 0) return [];
  const pairs: Array<[string, string]> = [];
  for (const segment of url.slice(start + 1).split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const rawKey = eq < 0 ? segment : segment.slice(0, eq);
    const rawValue = eq < 0 ? '' : segment.slice(eq + 1);
    pairs.push([decodeComponent(rawKey), decodeComponent(rawValue)]);
  }
  return pairs;
}

/** The decoded query as a plain object (last value wins), frozen because call records share it. */
export function decodeQuery(url: string): Readonly<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const [key, value] of decodeQueryPairs(url)) params[key] = value;
  return Object.freeze(params);
}

/** The path of a request line, without its query. */
export function requestPath(url: string): string {
  const start = url.indexOf('?');
  return start < 0 ? url : url.slice(0, start);
}

function decodeComponent(raw: string): string {
  const spaced = raw.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
