const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case: no i, l, o, u

/**
 * A deletion request's own id: `dr-` and 13 base32 characters (65 random bits). Short enough to type in a chat,
 * unguessable, and never shaped like Alibaba's RequestId (an upper-case UUID).
 */
export function newRequestId(random: (size: number) => Buffer): string {
  const bytes = random(13);
  let id = 'dr-';
  for (const byte of bytes) id += ALPHABET[byte % 32];
  return id;
}

export const REQUEST_ID_PATTERN = /^dr-[0-9a-hjkmnp-tv-z]{13}$/;
