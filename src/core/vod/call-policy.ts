import pRetry from 'p-retry';
import type { Clock } from '../clock.js';
import type { Telemetry } from '../telemetry.js';
import { VodCallFailure } from './call-failure.js';
import type { CallLog } from './call-log.js';
import { toAppError } from './error-messages.js';
import type { JobIds, VideoId } from './input-rules.js';
import type { Limiter } from './rate-limiter.js';

/** How hard to try: attempts in all (1 = no retry) and the jittered exponential backoff between them. */
export interface RetryPolicy {
  maxAttempts: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** The longest `x-acs-retry-after` honoured; a longer one is capped so a call never hangs for minutes. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  minDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 10_000,
};

/**
 * The longest one call can take under `policy` with `timeoutMs` per attempt: every attempt timing out and
 * every wait at its cap (p-retry caps the randomised backoff at `maxDelayMs`; a retry-after adds up to
 * `maxRetryAfterMs`). An execution lease must outlast this, or a live executor could be taken over.
 */
export function longestCallMs(policy: RetryPolicy, timeoutMs: number): number {
  return (
    policy.maxAttempts * timeoutMs + (policy.maxAttempts - 1) * (policy.maxDelayMs + policy.maxRetryAfterMs)
  );
}

export interface VodCallContext {
  action: string;
  /** Absent for calls about no one video (SearchMedia). */
  videoId?: VideoId;
  jobIds?: JobIds;
  /** SearchMedia's page. */
  pageNo?: number;
}

/** One attempt's success: the value and the Alibaba RequestId of the answer. */
export interface AttemptResult<T> {
  value: T;
  requestId: string;
}

/**
 * What `settle` made of a final failure: a value after all, with the outcome to log for it; or the failure
 * stands, with a sentence that says what is known (it replaces "may or may not have been deleted") and fields
 * for the error's detail and the log line.
 */
export type Settled<T> =
  | (AttemptResult<T> & { outcome: 'succeeded' | 'already_deleted' })
  | { outcome: 'failed'; note: string; fields: Record<string, unknown> };

export interface CallRecord {
  attempts: number;
  /** RequestIds of every attempt that got an answer, oldest first. */
  requestIds: string[];
  /** Some earlier attempt failed in a way that may have executed the call (timeout, reset, 5xx). */
  mayHaveApplied: boolean;
}

export interface VodCallDeps {
  limiter: Limiter;
  retry: RetryPolicy;
  /** The adapter's call log: one line per call. */
  log: CallLog;
  clock: Clock;
  timeoutMs: number;
  /** Wait helper for `retryAfter`; injected so it is the same timer source as everything else. */
  sleep: (ms: number) => Promise<void>;
  /** Told of every call, every throttled attempt and every wait for the rate budget. */
  telemetry: Telemetry;
  /** The adapter's region: every observation is labelled with it. */
  region: string;
}

/**
 * Runs one VOD operation with the product's call policy: each attempt under the rate limiter, retries with
 * jittered exponential backoff (p-retry) for throttling (honouring `retryAfter`), 5xx, timeouts, resets and
 * unreadable answers, and nothing else. `settle` may turn the final failure into a value (DeleteStream uses it
 * for "already deleted", GetPlayInfo for "no streams"). Writes exactly one structured log line per call, success or failure; throws AppError.
 * The first attempt runs outside p-retry, so a call that succeeds at once pays nothing for the retry machinery.
 */
export async function runVodCall<T>(
  context: VodCallContext,
  attempt: () => Promise<AttemptResult<T>>,
  deps: VodCallDeps,
  settle?: (failure: VodCallFailure, record: CallRecord) => Promise<Settled<T> | undefined>,
  options: { priorAttemptMayHaveApplied?: boolean } = {},
): Promise<{ value: T; record: CallRecord; requestId: string }> {
  const started = deps.clock.monotonic();
  const record: CallRecord = {
    attempts: 0,
    requestIds: [],
    mayHaveApplied: options.priorAttemptMayHaveApplied === true,
  };
  const labels = { region: deps.region, action: context.action };
  const once = async () => {
    record.attempts++;
    const queued = deps.clock.monotonic();
    try {
      const outcome = await deps.limiter(() => {
        deps.telemetry.rateWait({ ...labels, seconds: (deps.clock.monotonic() - queued) / 1000 });
        return attempt();
      });
      record.requestIds.push(outcome.requestId);
      return outcome;
    } catch (error) {
      if (error instanceof VodCallFailure && error.kind === 'throttled') deps.telemetry.vodThrottled(labels);
      throw error;
    }
  };
  const observe = (outcome: string, code: string | undefined) =>
    deps.telemetry.vodCall({
      ...labels,
      outcome,
      code: code ?? 'none',
      seconds: (deps.clock.monotonic() - started) / 1000,
    });
  const noteFailure = (error: unknown) => {
    if (!(error instanceof VodCallFailure)) return;
    if (error.requestId) record.requestIds.push(error.requestId);
    if (error.mayHaveApplied) record.mayHaveApplied = true;
  };
  const lineFields = (fields: Record<string, unknown>) => ({
    action: context.action,
    videoId: context.videoId,
    jobIds: context.jobIds,
    pageNo: context.pageNo,
    attempts: record.attempts,
    durationMs: Math.round((deps.clock.monotonic() - started) * 10) / 10,
    // With a single attempt this would only repeat requestId.
    requestIds: record.requestIds.length > 1 ? [...record.requestIds] : undefined,
    ...fields,
  });
  const log = (level: 'info' | 'warn', fields: Record<string, unknown>) =>
    deps.log.now(level, lineFields(fields));

  try {
    let result: AttemptResult<T>;
    try {
      result = await once();
    } catch (firstError) {
      noteFailure(firstError);
      if (!isRetryable(firstError) || deps.retry.maxAttempts <= 1) throw firstError;
      result = await retryAfterFirstFailure(firstError, once, noteFailure, record, deps);
    }
    deps.log.success(lineFields({ outcome: 'succeeded', requestId: result.requestId }));
    observe('ok', undefined);
    return { value: result.value, record, requestId: result.requestId };
  } catch (error) {
    const failure = error instanceof VodCallFailure ? error : new VodCallFailure('unknown', { cause: error });
    const settled = settle ? await settle(failure, record) : undefined;
    if (settled && settled.outcome !== 'failed') {
      log('info', { outcome: settled.outcome, requestId: settled.requestId, code: failure.code });
      // Settled as a value (already deleted, no streams): the call did its job, with the code that said so.
      observe('ok', failure.code);
      return { value: settled.value, record, requestId: settled.requestId };
    }
    const call = {
      ...context,
      attempts: record.attempts,
      requestIds: record.requestIds,
      timeoutMs: deps.timeoutMs,
      ...(settled ? { outcomeNote: settled.note, fields: settled.fields } : {}),
    };
    const appError = toAppError(failure, call);
    observe(failure.kind, failure.code);
    log('warn', {
      outcome: 'failed',
      requestId: failure.requestId,
      code: failure.code,
      httpStatus: failure.httpStatus,
      failureKind: failure.kind,
      errorCode: appError.code,
      ...settled?.fields,
    });
    throw appError;
  }
}

/**
 * Hands the rest of the attempts to p-retry. The first failure is replayed to it as its attempt 1, so its
 * backoff schedule (and `retryAfter`) applies from the first retry on.
 */
async function retryAfterFirstFailure<T>(
  firstError: unknown,
  once: () => Promise<AttemptResult<T>>,
  noteFailure: (error: unknown) => void,
  record: CallRecord,
  deps: VodCallDeps,
): Promise<AttemptResult<T>> {
  let replay: unknown = firstError;
  return pRetry(
    () => {
      if (replay === undefined) return once();
      const error = replay;
      replay = undefined;
      return Promise.reject(error);
    },
    {
      retries: deps.retry.maxAttempts - 1,
      minTimeout: deps.retry.minDelayMs,
      maxTimeout: deps.retry.maxDelayMs,
      factor: 2,
      randomize: true,
      onFailedAttempt: async ({ error, attemptNumber }) => {
        if (attemptNumber > 1) noteFailure(error);
        if (
          error instanceof VodCallFailure &&
          error.kind === 'throttled' &&
          error.retryAfterMs &&
          record.attempts < deps.retry.maxAttempts
        ) {
          await deps.sleep(Math.min(error.retryAfterMs, deps.retry.maxRetryAfterMs));
        }
      },
      shouldRetry: ({ error }) => isRetryable(error),
    },
  );
}

function isRetryable(error: unknown): boolean {
  return error instanceof VodCallFailure && error.retryable;
}
