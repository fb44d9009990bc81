import type { Logger } from '../logger.js';

/**
 * The one JSON line per VOD call, in the order the calls ended. A success's line is written on the next turn
 * of the event loop, once the caller has its answer: serialising and writing it is most of the core's own time
 * per call, and it then overlaps the caller's next network wait instead of delaying this answer. A failure's
 * line is written at once, after any success still waiting. Owned by one adapter: `flush()` writes what waits
 * (the adapter's `close()` calls it; the composition root also calls it at process exit), so a line is lost only
 * if the process is killed outright within that turn.
 */
export interface CallLog {
  /** Writes `line` on the next turn of the event loop. */
  success(line: Record<string, unknown>): void;
  /** Writes every waiting success, then `line`, now. */
  now(level: 'info' | 'warn', line: Record<string, unknown>): void;
  /** Writes every waiting line now. */
  flush(): void;
}

export function createCallLog(logger: Logger): CallLog {
  const waiting: Array<Record<string, unknown>> = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    for (const line of waiting.splice(0)) write(logger, 'info', line);
  };

  return {
    success(line) {
      waiting.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    now(level, line) {
      flush();
      write(logger, level, line);
    },
    flush,
  };
}

/** A log line that cannot be written must never turn a call's outcome into something else. */
function write(logger: Logger, level: 'info' | 'warn', line: Record<string, unknown>): void {
  try {
    logger[level](line, 'vod call');
  } catch {
    // Nothing better to do: the outcome still reaches the caller.
  }
}
