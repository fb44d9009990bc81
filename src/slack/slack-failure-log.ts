import type { Logger } from '../core/logger.js';
import { describeSlackFailure } from './slack-error.js';

/**
 * Where a failed call is told: so that readiness knows Slack cannot be reached or refuses the token
 * (slack-health.ts), and so that the operator's metrics count it by method.
 */
export interface SlackFailureSink {
  noteFailure(error: unknown, method: string): void;
}

/**
 * Logs a failed Slack Web API call once, as the operator needs it: which method, Slack's code (or that Slack could
 * not be reached), and what to do about it; never the raw error, which can quote the request.
 */
export function logSlackFailure(
  logger: Logger,
  health: SlackFailureSink | undefined,
  method: string,
  error: unknown,
  fields: Record<string, unknown>,
  message: string,
): string {
  const failure = describeSlackFailure(error);
  health?.noteFailure(error, method);
  logger.error({ ...fields, method, error: failure.code, hint: failure.hint }, message);
  return failure.code;
}
