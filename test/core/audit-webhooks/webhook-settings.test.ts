import { describe, expect, it } from 'vitest';
import {
  loadAuditWebhookSettings,
  webhookTarget,
} from '../../../src/core/audit-webhooks/webhook-settings.js';
import { AppError } from '../../../src/core/errors.js';

const SECRET = 's'.repeat(32);

function refusal(env: Record<string, string>): AppError {
  try {
    loadAuditWebhookSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG');
    return error as AppError;
  }
  throw new Error('the settings were accepted');
}

describe('audit webhook settings', () => {
  it('sends nothing when no URL is set', () => {
    expect(loadAuditWebhookSettings({})).toBeUndefined();
  });

  it('takes an https URL with its secret, a timeout, and a target that is a hash of the URL', () => {
    const url = 'https://siem.example.com/hooks/vod?token=abc';
    const settings = loadAuditWebhookSettings({
      VOD_OPS_AUDIT_WEBHOOK_URL: url,
      VOD_OPS_AUDIT_WEBHOOK_SECRET: SECRET,
      VOD_OPS_AUDIT_WEBHOOK_TIMEOUT: '5s',
    });
    expect(settings).toEqual({ url, secret: SECRET, timeoutMs: 5000, target: webhookTarget(url) });
    expect(settings?.target).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(settings?.target).not.toContain('abc');
    expect(
      loadAuditWebhookSettings({ VOD_OPS_AUDIT_WEBHOOK_URL: url, VOD_OPS_AUDIT_WEBHOOK_SECRET: SECRET })
        ?.timeoutMs,
    ).toBe(10_000);
  });

  it.each(['http://localhost:8080/h', 'http://127.0.0.1:9/h', 'http://[::1]:9/h'])(
    'takes plain http to this host (%s)',
    (url) => {
      expect(
        loadAuditWebhookSettings({ VOD_OPS_AUDIT_WEBHOOK_URL: url, VOD_OPS_AUDIT_WEBHOOK_SECRET: SECRET })
          ?.url,
      ).toBe(url);
    },
  );

  it('refuses a URL without a secret, naming the variable', () => {
    expect(refusal({ VOD_OPS_AUDIT_WEBHOOK_URL: 'https://siem.example.com/h' }).message).toMatch(
      /^VOD_OPS_AUDIT_WEBHOOK_SECRET is not set: .*at least 32/,
    );
  });

  it('refuses a secret shorter than 32 characters without quoting it', () => {
    const error = refusal({
      VOD_OPS_AUDIT_WEBHOOK_URL: 'https://siem.example.com/h',
      VOD_OPS_AUDIT_WEBHOOK_SECRET: 'short-secret-value',
    });
    expect(error.message).toMatch(/^VOD_OPS_AUDIT_WEBHOOK_SECRET is too short: use at least 32/);
    expect(error.message).not.toContain('short-secret-value');
  });

  it('refuses a secret without a URL', () => {
    expect(refusal({ VOD_OPS_AUDIT_WEBHOOK_SECRET: SECRET }).message).toMatch(
      /^VOD_OPS_AUDIT_WEBHOOK_SECRET is set but VOD_OPS_AUDIT_WEBHOOK_URL is not/,
    );
  });

  it.each([
    ['not a URL', 'siem.example.com/hook?token=t0ps3cret', /is not a URL: use an https:\/\/ URL/],
    ['another scheme', 'ftp://siem.example.com/hook?token=t0ps3cret', /is not an http\(s\) URL/],
    ['a user name and password', 'https://u:t0ps3cret@siem.example.com/h', /carries a user name or password/],
    [
      'plain http to another host',
      'http://siem.example.com/h?token=t0ps3cret',
      /plain http:\/\/ to another host: use https/,
    ],
  ])('refuses %s, naming the variable and never quoting the URL', (_case, url, sentence) => {
    const error = refusal({ VOD_OPS_AUDIT_WEBHOOK_URL: url, VOD_OPS_AUDIT_WEBHOOK_SECRET: SECRET });
    expect(error.message).toMatch(/^VOD_OPS_AUDIT_WEBHOOK_URL /);
    expect(error.message).toMatch(sentence);
    expect(error.message).not.toContain('t0ps3cret');
  });

  it('refuses a timeout out of range', () => {
    expect(
      refusal({
        VOD_OPS_AUDIT_WEBHOOK_URL: 'https://siem.example.com/h',
        VOD_OPS_AUDIT_WEBHOOK_SECRET: SECRET,
        VOD_OPS_AUDIT_WEBHOOK_TIMEOUT: '5m',
      }).message,
    ).toMatch(/^VOD_OPS_AUDIT_WEBHOOK_TIMEOUT="5m" is not valid: .*from 1s to 60s/);
  });
});
