/**
 * A failed attempt at a VOD call, in engine-neutral terms. The adapter turns whatever its engine throws into
 * one of these; the retry policy and the error sentences work only with this, so replacing the engine (by the
 * generated SDK, say) touches nothing else.
 */
export type VodFailureKind =
  /** Alibaba answered 4xx (other than throttling): the request is wrong or not allowed. */
  | 'rejected'
  /** Flow control (`Throttling`, `Throttling.User`...): the call was not executed. */
  | 'throttled'
  /** Alibaba answered 5xx (e.g. `DeleteStreamFailed`). */
  | 'server'
  /** No answer within the timeout: the call may or may not have been executed. */
  | 'timeout'
  /** The connection broke mid-call (reset, hang-up): may or may not have been executed. */
  | 'connection'
  /** An answer that is not Alibaba's JSON (a gateway's HTML error page). */
  | 'unreadable'
  /** The endpoint could not be reached at all (refused, DNS): nothing was sent. */
  | 'unreachable'
  /** No credentials could be found: nothing was sent. */
  | 'no-credentials'
  /** Something else the engine threw. */
  | 'unknown';

export class VodCallFailure extends Error {
  override readonly name = 'VodCallFailure';
  readonly kind: VodFailureKind;
  /** Alibaba's `Code`, sanitised to `[A-Za-z0-9._-]`. */
  readonly code: string | undefined;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  /** From `x-acs-retry-after` on throttling, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: VodFailureKind,
    fields: {
      code?: string;
      httpStatus?: number;
      requestId?: string;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    // The message is only for stack traces of bugs: never the engine's own message, which embeds the URL.
    super(`VOD call failed: ${kind}${fields.code ? ` (${fields.code})` : ''}`, { cause: fields.cause });
    this.kind = kind;
    this.code = sanitizeCode(fields.code);
    this.httpStatus = fields.httpStatus;
    this.requestId = sanitizeRequestId(fields.requestId);
    this.retryAfterMs = fields.retryAfterMs;
  }

  /** Worth another attempt: throttling, 5xx, timeouts, broken connections and unreadable answers. */
  get retryable(): boolean {
    return ['throttled', 'server', 'timeout', 'connection', 'unreadable'].includes(this.kind);
  }

  /** The request may have been executed although we did not hear success. */
  get mayHaveApplied(): boolean {
    return ['server', 'timeout', 'connection', 'unreadable'].includes(this.kind);
  }
}

function sanitizeCode(code: string | undefined): string | undefined {
  if (code === undefined || code === '' || code === 'undefined') return undefined;
  return code.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 80) || undefined;
}

function sanitizeRequestId(id: string | undefined): string | undefined {
  if (id === undefined || id === '' || id === 'undefined') return undefined;
  return id.replace(/[^A-Za-z0-9*_-]/g, '').slice(0, 80) || undefined;
}
