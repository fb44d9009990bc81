import { createHash } from 'node:crypto';
import { type Env, readDuration } from '../env.js';
import { AppError } from '../errors.js';

/** Where audit entries are sent, and how they are signed. */
export interface AuditWebhookSettings {
  /** `VOD_OPS_AUDIT_WEBHOOK_URL`. Never logged: its path or query may carry a token. */
  url: string;
  /** `VOD_OPS_AUDIT_WEBHOOK_SECRET`: the HMAC key. Never logged. */
  secret: string;
  /** `VOD_OPS_AUDIT_WEBHOOK_TIMEOUT`: how long one delivery may take (default 10 s). */
  timeoutMs: number;
  /** Names the cursor in the store: a hash of the URL, so a new URL starts from the first entry. */
  target: string;
}

export const MIN_SECRET_LENGTH = 32;

const URL_RULE =
  'use an https:// URL (http:// only to this host: localhost, 127.0.0.1 or [::1]) without a user name or password';

/**
 * The audit webhook's settings, or undefined when `VOD_OPS_AUDIT_WEBHOOK_URL` is unset (nothing is sent). Refused,
 * with a sentence naming the variable and never quoting the URL or the secret:
 * - a URL that is not http(s), or carries a user name or password (the receiver authenticates the sender by the
 *   signature; a password in the URL would only be one more secret to leak in proxies' logs);
 * - plain http to another host: the events name people, videos and reasons, and a signature proves who sent them
 *   and that they are whole, not that nobody else read them;
 * - a missing secret or one under 32 characters (HMAC-SHA256's key should carry 256 bits), and a secret without a
 *   URL (half a configuration is a typo).
 */
export function loadAuditWebhookSettings(env: Env): AuditWebhookSettings | undefined {
  const raw = (env.VOD_OPS_AUDIT_WEBHOOK_URL ?? '').trim();
  const secret = env.VOD_OPS_AUDIT_WEBHOOK_SECRET ?? '';
  if (raw === '') {
    if (secret.trim() !== '') {
      throw new AppError(
        'CONFIG',
        'VOD_OPS_AUDIT_WEBHOOK_SECRET is set but VOD_OPS_AUDIT_WEBHOOK_URL is not: set the URL to send audit ' +
          'events to, or unset the secret.',
      );
    }
    return undefined;
  }
  const url = parseWebhookUrl(raw);
  if (secret.trim() === '') {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_AUDIT_WEBHOOK_SECRET is not set: audit webhooks are signed with it. Set at least ${MIN_SECRET_LENGTH} ` +
        'random characters (e.g. openssl rand -hex 32), and give the receiver the same.',
    );
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_AUDIT_WEBHOOK_SECRET is too short: use at least ${MIN_SECRET_LENGTH} random characters ` +
        '(e.g. openssl rand -hex 32).',
    );
  }
  return {
    url: url.href,
    secret,
    timeoutMs: readDuration(env, 'VOD_OPS_AUDIT_WEBHOOK_TIMEOUT', '10s', {
      min: 1000,
      max: 60_000,
      described: 'from 1s to 60s',
    }),
    target: webhookTarget(url.href),
  };
}

/** `sha256:<hex>` of the URL: a cursor per URL, without keeping a token the URL may carry in the store. */
export function webhookTarget(url: string): string {
  return `sha256:${createHash('sha256').update(url).digest('hex')}`;
}

function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('CONFIG', `VOD_OPS_AUDIT_WEBHOOK_URL is not a URL: ${URL_RULE}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('CONFIG', `VOD_OPS_AUDIT_WEBHOOK_URL is not an http(s) URL: ${URL_RULE}.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError(
      'CONFIG',
      'VOD_OPS_AUDIT_WEBHOOK_URL carries a user name or password: remove it. The receiver knows vod-ops by the ' +
        'signature made with VOD_OPS_AUDIT_WEBHOOK_SECRET.',
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new AppError(
      'CONFIG',
      'VOD_OPS_AUDIT_WEBHOOK_URL sends the audit trail over plain http:// to another host: use https://. The ' +
        'events name people, videos and reasons; http:// is accepted only to localhost, 127.0.0.1 or [::1].',
    );
  }
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
