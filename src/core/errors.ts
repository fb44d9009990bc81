/**
 * The one error class of vod-ops. `message` is always safe to show a person or a model: it never holds a URL,
 * a credential or a raw engine message. `detail` is structured context for logs (the VOD `Code`, HTTP status,
 * Alibaba `RequestId`, attempts). Expected workflow outcomes are values, not AppErrors; AppError is for bad input
 * and for failures of the outside world.
 */
export type AppErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'UPSTREAM_REJECTED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'CONFIG';

export interface AppErrorDetail {
  /** Alibaba's error `Code`, e.g. `InvalidStream.NotFound`. */
  vodCode?: string;
  httpStatus?: number;
  /** Alibaba's `RequestId` of the call that failed (the last attempt). */
  requestId?: string;
  attempts?: number;
  [key: string]: unknown;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: AppErrorCode;
  readonly detail: AppErrorDetail;

  constructor(
    code: AppErrorCode,
    message: string,
    options: { detail?: AppErrorDetail; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = options.detail ?? {};
  }

  /** The Alibaba RequestId of the failed call, when the failure came from Alibaba. */
  get requestId(): string | undefined {
    return this.detail.requestId;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A failure as recorded on a request or in the audit trail: safe to show, with Alibaba's identifiers. */
export interface FailureSummary {
  code: AppErrorCode;
  message: string;
  vodCode?: string;
  httpStatus?: number;
  requestId?: string;
}

/** Summarises an AppError; anything else (a bug) becomes UPSTREAM_UNAVAILABLE with `fallbackMessage`. */
export function summarizeFailure(error: unknown, fallbackMessage: string): FailureSummary {
  if (!(error instanceof AppError)) return { code: 'UPSTREAM_UNAVAILABLE', message: fallbackMessage };
  const { vodCode, httpStatus, requestId } = error.detail;
  return {
    code: error.code,
    message: error.message,
    ...(vodCode ? { vodCode } : {}),
    ...(httpStatus ? { httpStatus } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

/**
 * An error's own words for an operator's log: its message, minus anything that could carry a password
 * (URLs such as connection strings), at most 200 characters. Never the stack or the error's other properties
 * (Node's URL errors keep the whole input, password included).
 */
export function safeErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\w+:\/\/[^\s]+/g, '<url>').slice(0, 200);
}
