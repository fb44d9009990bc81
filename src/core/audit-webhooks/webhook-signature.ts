import { createHmac } from 'node:crypto';

/** The headers that let a receiver check a delivery came from vod-ops, whole, and recently. */
export interface SignatureHeaders {
  /** Unix seconds when it was signed: receivers refuse one older than 5 minutes (a replay). */
  'x-vod-ops-timestamp': string;
  /** `v1=<hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + body)>`. */
  'x-vod-ops-signature': string;
}

/**
 * Signs `body` as sent, byte for byte, at `timestampSeconds`: Slack's scheme, so receivers already know how to
 * verify it (recompute, compare in constant time, check the timestamp). The version prefix lets the scheme change
 * without ambiguity. Every attempt is signed afresh, so a retry is never refused as stale.
 * @see https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export function signatureHeaders(secret: string, timestampSeconds: number, body: string): SignatureHeaders {
  const digest = createHmac('sha256', secret).update(`v1:${timestampSeconds}:${body}`).digest('hex');
  return { 'x-vod-ops-timestamp': String(timestampSeconds), 'x-vod-ops-signature': `v1=${digest}` };
}
