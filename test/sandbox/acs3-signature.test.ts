import { beforeAll, describe, expect, it } from 'vitest';
import { createNonceLedger, type SignedHttpRequest, verifyAcs3Request } from '../../src/sandbox/index.js';
import { type CapturedRequest, startCaptureServer } from './capture-server.js';
import { createEngineClient } from './engine-client.js';

const ACCESS_KEY_ID = 'LTAI5tCaptureKey000001';
const SECRET = 'capture-secret-value-0001';
const lookup = (id: string) => (id === ACCESS_KEY_ID ? SECRET : undefined);

let signed: CapturedRequest;
let signedAt: number;

beforeAll(async () => {
  const capture = await startCaptureServer();
  try {
    const engine = createEngineClient({
      port: capture.port,
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: SECRET,
    });
    await engine.call('DeleteStream', {
      VideoId: '94783faed59e41bde3bea921c994e5da',
      JobIds: "bbffd3db76aa4d4c98c5fa6f42f9bff9,a*b!c'd(e)f g~h+i&j=k/é",
    });
  } finally {
    await capture.close();
  }
  const [first] = capture.captured;
  if (first === undefined) throw new Error('the engine sent nothing');
  signed = first;
  signedAt = Date.parse(first.headers['x-acs-date']?.[0] ?? '');
});

function request(changes: Partial<SignedHttpRequest> = {}): SignedHttpRequest {
  return { method: signed.method, url: signed.url, headers: signed.headers, body: signed.body, ...changes };
}

function withHeaders(headers: Record<string, string[] | undefined>): SignedHttpRequest {
  return request({ headers: { ...signed.headers, ...headers } });
}

describe('verifyAcs3Request against what the official engine sends', () => {
  it('sends business parameters in the query, with an empty body and the action in a header', () => {
    expect(signed.method).toBe('POST');
    expect(signed.url).toMatch(/^\/\?VideoId=94783faed59e41bde3bea921c994e5da&JobIds=/);
    expect(signed.body.length).toBe(0);
    expect(signed.headers['x-acs-action']).toEqual(['DeleteStream']);
    expect(signed.headers.authorization?.[0]).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI5tCaptureKey000001,/);
  });

  it('accepts the signature, including values with characters the engine leaves unescaped in the URL', () => {
    expect(verifyAcs3Request(request(), lookup, { nowMs: signedAt })).toEqual({
      ok: true,
      accessKeyId: ACCESS_KEY_ID,
    });
  });

  it('refuses a request whose query was changed after signing', () => {
    const url = signed.url.replace('94783faed59e41bde3bea921c994e5da', '0232263cef22471f82a113c836a06a03');
    expect(verifyAcs3Request(request({ url }), lookup, { nowMs: signedAt })).toMatchObject({
      ok: false,
      httpStatus: 400,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('refuses a request whose signed action header was changed', () => {
    const verdict = verifyAcs3Request(withHeaders({ 'x-acs-action': ['GetPlayInfo'] }), lookup, {
      nowMs: signedAt,
    });
    expect(verdict).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
  });

  it('refuses a signature made with another secret', () => {
    const verdict = verifyAcs3Request(request(), () => 'another-secret', { nowMs: signedAt });
    expect(verdict).toMatchObject({ ok: false, httpStatus: 400, code: 'SignatureDoesNotMatch' });
  });

  it('reports an unknown AccessKeyId as not found', () => {
    expect(verifyAcs3Request(request(), () => undefined, { nowMs: signedAt })).toMatchObject({
      ok: false,
      httpStatus: 404,
      code: 'InvalidAccessKeyId.NotFound',
    });
  });

  it('refuses a body that does not match x-acs-content-sha256', () => {
    const verdict = verifyAcs3Request(request({ body: 'VideoId=other' }), lookup, { nowMs: signedAt });
    expect(verdict).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
  });

  it('refuses a request without an Authorization header', () => {
    expect(
      verifyAcs3Request(withHeaders({ authorization: undefined }), lookup, { nowMs: signedAt }),
    ).toMatchObject({ ok: false, httpStatus: 400, code: 'MissingAuthorization' });
  });

  it('refuses an Authorization header without a signature', () => {
    const authorization = (signed.headers.authorization?.[0] ?? '').replace(/,Signature=.*$/, '');
    const verdict = verifyAcs3Request(withHeaders({ authorization: [authorization] }), lookup, {
      nowMs: signedAt,
    });
    expect(verdict).toMatchObject({ ok: false, code: 'IncompleteSignature' });
  });

  it('refuses an x-acs header that is not covered by the signature', () => {
    const verdict = verifyAcs3Request(withHeaders({ 'x-acs-security-token': ['t'] }), lookup, {
      nowMs: signedAt,
    });
    expect(verdict).toMatchObject({ ok: false, code: 'IncompleteSignature' });
  });

  it('accepts a clock skew of exactly 15 minutes and refuses anything beyond', () => {
    const fifteenMinutes = 15 * 60 * 1000;
    expect(verifyAcs3Request(request(), lookup, { nowMs: signedAt + fifteenMinutes }).ok).toBe(true);
    expect(verifyAcs3Request(request(), lookup, { nowMs: signedAt - fifteenMinutes - 1000 })).toMatchObject({
      ok: false,
      httpStatus: 400,
      code: 'InvalidTimeStamp.Expired',
    });
  });

  it('refuses the same nonce twice, and only claims it once the signature is proven', () => {
    const nonces = createNonceLedger();
    expect(verifyAcs3Request(request(), () => 'wrong', { nowMs: signedAt, nonces }).ok).toBe(false);
    expect(verifyAcs3Request(request(), lookup, { nowMs: signedAt, nonces }).ok).toBe(true);
    expect(verifyAcs3Request(request(), lookup, { nowMs: signedAt + 1000, nonces })).toMatchObject({
      ok: false,
      httpStatus: 400,
      code: 'SignatureNonceUsed',
    });
  });
});
