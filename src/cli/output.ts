import { toEdgeError } from '../core/errors.js';

/** Exit codes of every vod-ops command. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The service refused or failed, or the user cancelled: the message (and RequestId) says which. */
  failed: 1,
  /** Bad input or configuration: nothing was sent. */
  badInput: 2,
} as const;

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Prints an error the way every command does: one line (plus the RequestId) or a JSON object, and its exit code. */
export function reportError(
  error: unknown,
  io: Io,
  json: boolean,
  log: { now: () => number; terminal: boolean },
): number {
  // The edge policy: an unexpected error is logged once, without its message: a JSON line like every log line, or
  // on a terminal a line a person reads.
  const appError = toEdgeError(error, (summary) => {
    io.stderr.write(
      log.terminal
        ? `error: unexpected error (${JSON.stringify(summary)})\n`
        : `${JSON.stringify({ level: 50, time: log.now(), service: 'vod-ops', edge: 'cli', err: summary, msg: 'unexpected error' })}\n`,
    );
  });
  // 2 only when nothing reached the service; a refusal by Alibaba (even of the credentials) is 1.
  const refusedLocally =
    (appError.code === 'INVALID_INPUT' || appError.code === 'CONFIG') && !appError.detail.vodCode;
  const exitCode = refusedLocally ? EXIT.badInput : EXIT.failed;
  if (json) {
    const payload = {
      status: 'error',
      error: {
        code: appError.code,
        message: appError.message,
        vodCode: appError.detail.vodCode,
        requestId: appError.detail.requestId,
      },
    };
    io.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
  } else {
    io.stderr.write(`error: ${appError.message}\n`);
    if (appError.detail.requestId) {
      io.stderr.write(`Alibaba RequestId: ${appError.detail.requestId}\n`);
    }
  }
  return exitCode;
}

export function writeJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
