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

/** A failure as recorded on a request or in the audit trail: safe to show, with Alibaba's identifiers. */
export interface FailureSummary {
  code: AppErrorCode;
  message: string;
  vodCode?: string;
  httpStatus?: number;
  requestId?: string;
  /** Alibaba's RequestIds of every attempt, when there were several. */
  requestIds?: string[];
  /** What a check of the streams found, when the outcome of an attempt was unknown. */
  verified?: string;
}

/** Summarises an AppError; anything else (a bug) becomes UPSTREAM_UNAVAILABLE with `fallbackMessage`. */
export function summarizeFailure(error: unknown, fallbackMessage: string): FailureSummary {
  if (!(error instanceof AppError)) return { code: 'UPSTREAM_UNAVAILABLE', message: fallbackMessage };
  const { vodCode, httpStatus, requestId, requestIds, verified } = error.detail;
  const ids = Array.isArray(requestIds)
    ? requestIds.filter((id): id is string => typeof id === 'string')
    : [];
  return {
    code: error.code,
    message: error.message,
    ...(vodCode ? { vodCode } : {}),
    ...(httpStatus ? { httpStatus } : {}),
    ...(requestId ? { requestId } : {}),
    ...(ids.length > 1 ? { requestIds: ids } : {}),
    ...(typeof verified === 'string' ? { verified } : {}),
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

/** What an edge answers for an error nobody translated: safe to show a person or a model. */
export const UNEXPECTED_MESSAGE = 'Unexpected error in vod-ops; the operators can find it in its log.';

/**
 * The one policy for an error that reaches an edge (a command, a tool call, a chat listener, an HTTP route): an
 * AppError passes as it is, its message already safe to show; anything else is unexpected (a bug, or a failure
 * nobody translated), so it is logged once, as {@link errorSummary}, and answered with {@link UNEXPECTED_MESSAGE}.
 */
export function toEdgeError(error: unknown, logUnexpected: (summary: ErrorSummary) => void): AppError {
  if (error instanceof AppError) return error;
  logUnexpected(errorSummary(error));
  return new AppError('UPSTREAM_UNAVAILABLE', UNEXPECTED_MESSAGE, { cause: error });
}

export type ErrorSummary = Record<string, unknown>;

/**
 * What to log about an error, safe for any log: an AppError's code, safe message and Alibaba identifiers; for
 * anything else its class, its `code` (ECONNRESET, 23505…) and where it was thrown, never its message, which for
 * drivers and Node's URL errors can carry hosts, user names and passwords. One level of `cause` is summarised too.
 */
export function errorSummary(error: unknown, depth = 0): ErrorSummary {
  const cause =
    depth === 0 && error instanceof Error && error.cause !== undefined
      ? { cause: errorSummary(error.cause, 1) }
      : {};
  if (error instanceof AppError) {
    const { vodCode, httpStatus, requestId } = error.detail;
    return {
      type: 'AppError',
      code: error.code,
      message: error.message,
      ...(vodCode ? { vodCode } : {}),
      ...(httpStatus ? { httpStatus } : {}),
      ...(requestId ? { requestId } : {}),
      ...cause,
    };
  }
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as Error & { code?: unknown }).code;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 5)
    .map((line) => line.trim());
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number'
      ? {
          code: String(code)
            .replace(/[^\w.-]/g, '')
            .slice(0, 40),
        }
      : {}),
    ...(frames.length > 0 ? { at: frames } : {}),
    ...cause,
  };
}
