import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NonceLedger } from './nonce-ledger.js';
import { decodeQueryPairs } from './wire-query.js';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** Alibaba refuses a request whose `x-acs-date` is more than 15 minutes away from its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** An HTTP request as received: `url` is the request-target (path and raw query), header names are lowercase. */
export interface SignedHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Uint8Array | string;
}

export type Acs3FailureCode =
  | 'MissingAuthorization'
  | 'IncompleteSignature'
  | 'InvalidAccessKeyId.NotFound'
  | 'SignatureDoesNotMatch'
  | 'InvalidTimeStamp.Format'
  | 'InvalidTimeStamp.Expired'
  | 'SignatureNonceUsed';

export type Acs3Verification =
  | { readonly ok: true; readonly accessKeyId: string }
  | {
      readonly ok: false;
      readonly httpStatus: number;
      readonly code: Acs3FailureCode;
      readonly message: string;
    };

export interface Acs3Checks {
  /** The server's clock in ms, compared with `x-acs-date`. */
  readonly nowMs: number;
  /** Where nonces are claimed; without it replays are not detected. */
  readonly nonces?: NonceLedger;
}

const REQUIRED_HEADERS = ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'] as const;
const ACS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * Verifies a request signed with ACS3-HMAC-SHA256 (Alibaba's "V3 request structure and signature"), the default of
 * `@alicloud/openapi-core`, exactly as the engine computes it: canonical query (decoded, sorted by key, values
 * re-encoded with `!'()*` escaped), canonical headers from `SignedHeaders`, canonical request, string to sign,
 * HMAC-SHA256 keyed with the AccessKeySecret. It also checks `x-acs-content-sha256` against the body, that every
 * `x-acs-*` header, `host` and `content-type` is signed, the date skew and (if a ledger is given) nonce reuse.
 *
 * The checks run in the order malformed → unknown key → body hash → signature → date → nonce, so a nonce is only
 * claimed by an authentic, fresh request and a forged request cannot burn a legitimate client's nonce.
 * Failures carry the code and HTTP status Alibaba answers with. Pure apart from claiming the nonce.
 *
 * @see https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
 */
export function verifyAcs3Request(
  request: SignedHttpRequest,
  lookupSecret: (accessKeyId: string) => string | undefined,
  checks: Acs3Checks,
): Acs3Verification {
  const authorization = headerText(request.headers.authorization);
  if (authorization === undefined || authorization.trim() === '') {
    return fail(
      400,
      'MissingAuthorization',
      'The request is not signed: the Authorization header is missing.',
    );
  }
  const parsed = parseAuthorization(authorization);
  if (typeof parsed === 'string') return fail(400, 'IncompleteSignature', parsed);

  for (const name of REQUIRED_HEADERS) {
    if (headerText(request.headers[name]) === undefined) {
      return fail(
        400,
        'IncompleteSignature',
        `The request signature is incomplete: header ${name} is missing.`,
      );
    }
  }
  const signed = new Set(parsed.signedHeaders);
  for (const name of Object.keys(request.headers)) {
    const lower = name.toLowerCase();
    const mustSign = lower.startsWith('x-acs-') || lower === 'host' || lower === 'content-type';
    if (mustSign && !signed.has(lower)) {
      return fail(
        400,
        'IncompleteSignature',
        `The request signature is incomplete: header ${lower} is not signed.`,
      );
    }
  }

  const secret = lookupSecret(parsed.accessKeyId);
  if (secret === undefined) {
    return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  }

  const payloadHash = sha256Hex(request.body);
  const declaredHash = (headerText(request.headers['x-acs-content-sha256']) ?? '').trim().toLowerCase();
  if (declaredHash !== payloadHash) {
    return fail(
      400,
      'SignatureDoesNotMatch',
      'The x-acs-content-sha256 header does not match the request body.',
    );
  }

  const canonicalRequest = [
    request.method.toUpperCase(),
    '/',
    canonicalQuery(request.url),
    canonicalHeaders(request.headers, parsed.signedHeaders),
    parsed.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  const expected = createHmac('sha256', secret).update(stringToSign).digest();
  const provided = Buffer.from(parsed.signature, 'hex');
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    return fail(
      400,
      'SignatureDoesNotMatch',
      `Specified signature does not match our calculation. server string to sign is:${stringToSign}`,
    );
  }

  const date = headerText(request.headers['x-acs-date'])?.trim() ?? '';
  const signedAt = ACS_DATE.test(date) ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(signedAt)) {
    return fail(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  }
  if (Math.abs(checks.nowMs - signedAt) > MAX_CLOCK_SKEW_MS) {
    return fail(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }

  const nonce = headerText(request.headers['x-acs-signature-nonce'])?.trim() ?? '';
  if (checks.nonces !== undefined && !checks.nonces.claim(nonce, checks.nowMs)) {
    return fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  }
  return { ok: true, accessKeyId: parsed.accessKeyId };
}

/** The RFC 3986 encoding the engine signs with: encodeURIComponent plus `!'()*`. */
export function acs3Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function parseAuthorization(authorization: string): ParsedAuthorization | string {
  const trimmed = authorization.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ACS3_ALGORITHM) {
    return `The signature algorithm ${algorithm} is not supported; use ${ACS3_ALGORITHM}.`;
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) {
    return 'The Authorization header must carry Credential, SignedHeaders and Signature.';
  }
  const names = [...new Set(signedHeaders.split(';').map((name) => name.trim().toLowerCase()))];
  return { accessKeyId, signedHeaders: names.filter((name) => name !== '').sort(), signature };
}

function canonicalQuery(url: string): string {
  return decodeQueryPairs(url)
    .sort(([keyA, valueA], [keyB, valueB]) => compare(keyA, keyB) || compare(valueA, valueB))
    .map(([key, value]) => `${key}=${acs3Encode(value)}`)
    .join('&');
}

function canonicalHeaders(headers: SignedHttpRequest['headers'], names: readonly string[]): string {
  let text = '';
  for (const name of names) {
    const value = headers[name];
    const values = value === undefined ? [''] : typeof value === 'string' ? [value] : [...value];
    text += `${name}:${values
      .map((v) => v.trim())
      .sort()
      .join(',')}\n`;
  }
  return text;
}

function headerText(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value.join(',');
}

function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fail(httpStatus: number, code: Acs3FailureCode, message: string): Acs3Verification {
  return { ok: false, httpStatus, code, message };
}
