import { errorSummary } from '../errors.js';
import type { Logger } from '../logger.js';
import { type AuditEntry, isRequestEvent, type RequestEventType } from '../requests/audit-entry.js';
import type { DeletionRequest } from '../requests/deletion-request.js';

/** Something that happened to a deletion request, after it was stored: what front ends react to. */
export interface WorkflowEvent {
  type: RequestEventType;
  /** The request as stored by this event's transition. */
  request: DeletionRequest;
  entry: AuditEntry;
}

export type WorkflowListener = (event: WorkflowEvent) => void | Promise<void>;

/**
 * Fan-out to subscribers. A listener that throws or rejects is logged and never disturbs the workflow or the
 * other listeners. Events are emitted by the process that made the transition.
 */
export interface EventHub {
  subscribe(listener: WorkflowListener): () => void;
  /** Tells every listener about `entries`, just stored for `request`. */
  emit(request: DeletionRequest, entries: readonly AuditEntry[]): void;
}

export function createEventHub(logger: Logger): EventHub {
  const listeners = new Set<WorkflowListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(request, entries) {
      for (const entry of entries) {
        const type = entry.type;
        if (!isRequestEvent(type)) continue;
        const event: WorkflowEvent = { type, request, entry };
        for (const listener of listeners) {
          try {
            Promise.resolve(listener(event)).catch((error: unknown) =>
              logListenerError(logger, event, error),
            );
          } catch (error) {
            logListenerError(logger, event, error);
          }
        }
      }
    },
  };
}

function logListenerError(logger: Logger, event: WorkflowEvent, error: unknown): void {
  logger.error(
    { event: event.type, request: event.request.id, err: errorSummary(error) },
    'workflow listener failed',
  );
}
