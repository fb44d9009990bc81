import type { DeletionRequest } from '../core/requests/deletion-request.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';

/** What a tool call's `extra` offers for progress: the client's token and a way to notify it. */
export interface ProgressExtra {
  _meta?: { progressToken?: string | number };
  sendNotification: (notification: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; total: number; message: string };
  }) => Promise<void>;
  signal: AbortSignal;
}

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
  for (let second = 1; second <= waitSeconds && !extra.signal.aborted; second++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    current = (await workflow.get(request.id)) ?? current;
    const token = extra._meta?.progressToken;
    if (token !== undefined) {
      await extra.sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress: second,
          total: waitSeconds,
          message: `status: ${current.status}`,
        },
      });
    }
    if (current.status !== 'pending' && current.status !== 'approved' && current.status !== 'executing')
      break;
  }
  return current;
}
