const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case: no i, l, o, u

/**
 * One of vod-ops' own ids: `prefix` and 13 base32 characters (65 random bits). Short enough to type in a chat,
 * unguessable, and never shaped like Alibaba's RequestId (an upper-case UUID).
 */
export function newShortId(prefix: string, random: (size: number) => Buffer): string {
  let id = prefix;
  for (const byte of random(13)) id += ALPHABET[byte % 32];
  return id;
}

/** A deletion request's own id: `dr-…`. */
export function newRequestId(random: (size: number) => Buffer): string {
  return newShortId('dr-', random);
}

export const REQUEST_ID_PATTERN = /^dr-[0-9a-hjkmnp-tv-z]{13}$/;
