import type { DeletionRequest } from '../core/requests/deletion-request.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import { createProgressNotifier, type ProgressExtra } from './progress.js';

/**
 * Polls the store once a second until the request is decided and executed or the wait ends, reporting progress
 * to a client that asked for it (a progress token).
 */
export async function waitForDecision(
  workflow: Pick<DeletionWorkflow, 'get'>,
  request: DeletionRequest,
  waitSeconds: number,
  extra: ProgressExtra,
): Promise<DeletionRequest> {
  let current = request;
  const notify = createProgressNotifier(extra);
  for (let second = 1; second <= waitSeconds && !extra.signal.aborted; second++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    current = (await workflow.get(request.id)) ?? current;
    await notify(second, `status: ${current.status}`, waitSeconds);
    if (current.status !== 'pending' && current.status !== 'approved' && current.status !== 'executing')
      break;
  }
  return current;
}
