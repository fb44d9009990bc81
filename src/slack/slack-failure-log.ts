import type { Logger } from '../core/logger.js';
import { describeSlackFailure } from './slack-error.js';

/** Where a failed call is told, so that `/healthz` knows Slack cannot be reached (slack-health.ts). */
export interface SlackFailureSink {
  noteFailure(error: unknown): void;
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
  health?.noteFailure(error);
  logger.error({ ...fields, method, error: failure.code, hint: failure.hint }, message);
  return failure.code;
}
