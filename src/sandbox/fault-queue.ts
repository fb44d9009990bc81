/**
 * A failure the emulator plays instead of (or around) the normal answer, to test how a client copes with the
 * outside world misbehaving.
 */
export interface EmulatorFault {
  /** Only requests for this action consume the fault; default any action. */
  action?: string;
  /** How many matching requests consume it; default 1. */
  times?: number;
  kind:
    | 'DeleteStreamFailed' // 503 Code DeleteStreamFailed, nothing done
    | 'Throttling' // 400 Code Throttling.User, x-acs-retry-after when retryAfterMs is given, nothing done
    | 'InternalError' // 500 Code InternalError, nothing done
    | 'html502' // 502 with a gateway's HTML page, nothing done
    | 'stall' // hold delayMs (default: until the client gives up), then act and answer if still connected
    | 'applyThenStall' // act, then hold delayMs / until the client gives up: the "response lost" case
    | 'reset'; // destroy the socket without answering, nothing done
  retryAfterMs?: number;
  delayMs?: number;
}

export interface FaultQueue {
  push(fault: EmulatorFault): void;
  /** Takes one use of the oldest queued fault that matches `action`, if any. */
  take(action: string): EmulatorFault | undefined;
}

/** Creates an empty queue. Faults are consumed in the order they were injected. */
export function createFaultQueue(): FaultQueue {
  const queue: Array<{ fault: EmulatorFault; remaining: number }> = [];
  return {
    push(fault) {
      const times = fault.times ?? 1;
      if (!Number.isInteger(times) || times < 1)
        throw new RangeError(`fault times must be >= 1, got ${times}`);
      queue.push({ fault: { ...fault }, remaining: times });
    },
    take(action) {
      const index = queue.findIndex(
        (entry) => entry.fault.action === undefined || entry.fault.action === action,
      );
      const entry = queue[index];
      if (entry === undefined) return undefined;
      entry.remaining -= 1;
      if (entry.remaining === 0) queue.splice(index, 1);
      return entry.fault;
    },
  };
}
