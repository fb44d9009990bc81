import { type DestinationStream, type Logger, pino } from 'pino';
import { AppError } from './errors.js';

export type { Logger } from 'pino';

/**
 * JSON lines for operators, in pino's standard shape (numeric `level`, epoch-millisecond `time`, `msg`), which
 * pino-pretty and log shippers read as is. No redaction pass: it cost two thirds of every line's time, and log
 * fields are built field by field from ids, codes and counts, never from config or credential objects.
 */
export function createLogger(destination: DestinationStream, level = 'info'): Logger {
  return pino({ level, base: { service: 'vod-ops' } }, destination);
}

/** Logs to stderr synchronously, so a command never loses a line at exit and stdout stays for the product. */
export function createStderrLogger(level = 'info'): Logger {
  return createLogger(pino.destination({ dest: 2, sync: true }), level);
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `VOD_OPS_LOG_LEVEL`: `info` (default) logs every VOD call; `warn` only failures; `silent` nothing. */
export function parseLogLevel(raw: string | undefined): string {
  const level = (raw ?? '').trim().toLowerCase() || 'info';
  if (!LEVELS.includes(level)) {
    throw new AppError('CONFIG', `VOD_OPS_LOG_LEVEL="${raw}" is not valid: use one of ${LEVELS.join(', ')}.`);
  }
  return level;
}
