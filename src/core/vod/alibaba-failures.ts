import { AlibabaCloudError, ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { VodCallFailure } from './call-failure.js';

const CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Classifies whatever Alibaba's engine threw, in engine-neutral terms. The engine throws `ThrottlingError`,
 * `ClientError` (4xx) and `ServerError` (5xx), all `AlibabaCloudError` with Alibaba's code, HTTP status and
 * RequestId; a `RequestTimeoutError` when an attempt's read timeout passes; Node's socket errors (`ECONNRESET`,
 * `ECONNREFUSED`…) as they are; a `SyntaxError` for a body that is not JSON (a gateway's HTML page); and an
 * error saying it is "unable to get credentials" when the default chain finds none.
 * @see https://github.com/aliyun/darabonba-openapi
 */
export function toFailure(error: unknown): VodCallFailure {
  if (error instanceof AlibabaCloudError) {
    const fields = {
      code: error.code,
      httpStatus: error.statusCode,
      requestId: error.requestId,
      cause: error,
    };
    if (error instanceof ThrottlingError) {
      return new VodCallFailure('throttled', { ...fields, retryAfterMs: error.retryAfter });
    }
    if (error instanceof ClientError && error.code === 'InvalidCredentials') {
      return new VodCallFailure('no-credentials', { cause: error });
    }
    if (error instanceof ServerError || (error.statusCode ?? 0) >= 500)
      return new VodCallFailure('server', fields);
    if (error instanceof ClientError) return new VodCallFailure('rejected', fields);
    return new VodCallFailure('rejected', fields);
  }
  if (error instanceof SyntaxError) return new VodCallFailure('unreadable', { cause: error });
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    if (error.name === 'RequestTimeoutError') return new VodCallFailure('timeout', { cause: error });
    if (typeof code === 'string' && CONNECTION_CODES.has(code))
      return new VodCallFailure('connection', { cause: error });
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code))
      return new VodCallFailure('unreachable', { cause: error });
    if (/socket hang up/i.test(error.message)) return new VodCallFailure('connection', { cause: error });
    if (/unable to get credentials/i.test(error.message))
      return new VodCallFailure('no-credentials', { cause: error });
  }
  return new VodCallFailure('unknown', { cause: error });
}
