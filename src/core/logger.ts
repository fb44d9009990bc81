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

/**
 * Logs to stderr synchronously, so a command never loses a line at exit and stdout stays for the product: JSON
 * lines, or with `format: 'text'` one line a person reads (`warning: …`), for a terminal.
 */
export function createStderrLogger(level = 'info', format: LogFormat = 'json'): Logger {
  const stderr = pino.destination({ dest: 2, sync: true });
  return createLogger(
    format === 'json' ? stderr : { write: (line: string) => stderr.write(`${toText(line)}\n`) },
    level,
  );
}

export type LogFormat = 'json' | 'text';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LEVEL_WORDS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};
/** What a line already says, or is pino's own: not repeated in the text form. */
const NOT_REPEATED = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg']);

/** One JSON log line as a person reads it: `warning: vod call (action=DeleteStream code=Forbidden …)`. */
function toText(line: string): string {
  const entry = JSON.parse(line) as Record<string, unknown>;
  const fields = Object.entries(entry)
    .filter(([key, value]) => !NOT_REPEATED.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const word = LEVEL_WORDS[Number(entry.level)] ?? 'log';
  return `${word}: ${String(entry.msg ?? '')}${fields.length > 0 ? ` (${fields.join(' ')})` : ''}`;
}

/**
 * `VOD_OPS_LOG_LEVEL`: `info` logs every VOD call; `warn` only failures; `silent` nothing. Unset: `fallback`
 * (`info`, or `warn` on a terminal, where people read what a command prints).
 */
export function parseLogLevel(raw: string | undefined, fallback = 'info'): string {
  const level = (raw ?? '').trim().toLowerCase() || fallback;
  if (!LEVELS.includes(level)) {
    throw new AppError('CONFIG', `VOD_OPS_LOG_LEVEL="${raw}" is not valid: use one of ${LEVELS.join(', ')}.`);
  }
  return level;
}

/** `VOD_OPS_LOG_FORMAT`: `json` or `text`; unset, `fallback` (text on a terminal, JSON lines elsewhere). */
export function parseLogFormat(raw: string | undefined, fallback: LogFormat): LogFormat {
  const format = (raw ?? '').trim().toLowerCase() || fallback;
  if (format !== 'json' && format !== 'text') {
    throw new AppError('CONFIG', `VOD_OPS_LOG_FORMAT="${raw}" is not valid: use json or text.`);
  }
  return format;
}
