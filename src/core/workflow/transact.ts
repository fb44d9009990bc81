import { AppError } from '../errors.js';
import type { DeletionRequest } from '../requests/deletion-request.js';
import type { Decided, Transition } from '../requests/request-lifecycle.js';
import type { DeletionStore } from '../store/deletion-store.js';
import type { WorkflowRefusal } from './deletion-workflow.js';
import type { EventHub } from './events.js';

export type TransactResult =
  | { ok: true; request: DeletionRequest; changed: boolean }
  | { ok: false; refusal: WorkflowRefusal; request?: DeletionRequest };

/**
 * Applies a decision about one request: re-reads it, decides (a transition, a refusal, or nothing to do), and
 * stores the transition with a compare-and-set on `version`, until it applies or is refused. Events follow
 * every stored transition. Two processes deciding about the same request at once never both win.
 */
export type Transact = (
  id: string,
  decide: (request: DeletionRequest) => Decided | Transition | undefined,
) => Promise<TransactResult>;

const MAX_CAS_ROUNDS = 20;

export function createTransact(store: DeletionStore, events: EventHub): Transact {
  return async (id, decide) => {
    for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
      const current = await store.get(id);
      if (!current) return { ok: false, refusal: { kind: 'not_found' } };
      const decided = decide(current);
      if (decided === undefined) return { ok: true, request: current, changed: false };
      if ('ok' in decided && !decided.ok) return { ok: false, refusal: decided.refusal, request: current };
      const transition = 'ok' in decided ? decided.transition : decided;
      if (await store.transition(transition.next, current.version, transition.audit)) {
        events.emit(transition.next, transition.audit);
        return { ok: true, request: transition.next, changed: true };
      }
    }
    throw new AppError('CONFLICT', `Request ${id} is being changed by too many actions at once; try again.`);
  };
}
