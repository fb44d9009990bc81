import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { McpDeps } from '../deps.js';
import { RequestView, toRequestView } from '../request-view.js';
import { failure, ok } from '../results.js';

export const CancelDeletionRequestInput = z.strictObject({
  requestId: z.string().describe('The request id returned by request_stream_deletion (dr-…)'),
  reason: z.string().max(500).optional().describe('Why it is withdrawn'),
});

/** `cancel_deletion_request`: withdraws a pending request; only the principal that made it may. */
export function registerCancelDeletionRequestTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'cancel_deletion_request',
    {
      title: 'Cancel a deletion request',
      description:
        'Withdraws a deletion request that is still waiting for approval, so it can no longer be approved. Only ' +
        'the principal that made the request may cancel it through this tool. Nothing is deleted. Calling it again on ' +
        'a cancelled request answers the same; a request already decided cannot be cancelled.',
      inputSchema: CancelDeletionRequestInput,
      outputSchema: RequestView,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async ({ requestId, reason }) => {
      try {
        const id = requestId.trim().toLowerCase();
        const { workflow } = await deps.backend();
        const request = await workflow.get(id);
        if (!request) throw new AppError('NOT_FOUND', `No deletion request ${requestId}.`);
        const mine = request.requester.source === 'mcp' && request.requester.id === deps.principal.id;
        if (!mine) {
          throw new AppError(
            'FORBIDDEN',
            `Request ${id} was made by someone else; only its requester may cancel it here.`,
          );
        }
        const requester = { ...deps.principal, source: 'mcp' as const };
        const result = await workflow.cancel(id, requester, reason);
        // Idempotent, as its annotation says: cancelling a cancelled request answers as the first call did.
        if (!result.ok && result.refusal.kind === 'cancelled' && result.request) {
          return ok(toRequestView(result.request, deps.clock.now()));
        }
        if (!result.ok) {
          const current = result.request ?? request;
          throw new AppError(
            'CONFLICT',
            `Request ${id} can no longer be cancelled: it is ${toRequestView(current, deps.clock.now()).status}.`,
          );
        }
        return ok(toRequestView(result.request, deps.clock.now()));
      } catch (error) {
        return failure(error, deps.logger, 'Call get_deletion_request to see where the request stands.');
      }
    },
  );
}
