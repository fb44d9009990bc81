import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import type { McpDeps } from '../deps.js';
import { RequestView, toRequestView } from '../request-view.js';
import { failure, ok } from '../results.js';

export const GetDeletionRequestInput = z.strictObject({
  requestId: z.string().describe('The request id returned by request_stream_deletion (dr-…)'),
});

/** `get_deletion_request`: read-only; status, who decided, Alibaba's RequestId or the failure. */
export function registerGetDeletionRequestTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'get_deletion_request',
    {
      title: 'Get a deletion request',
      description:
        'Reports where a deletion request stands: pending_approval, approved, executing, succeeded (with ' +
        "Alibaba's RequestId), failed (with Alibaba's code, message and RequestId), rejected (who and why), " +
        'expired (nobody decided in time; not a rejection) or cancelled. Read-only.',
      inputSchema: GetDeletionRequestInput,
      outputSchema: RequestView,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ requestId }) => {
      try {
        const { workflow } = await deps.backend();
        const request = await workflow.get(requestId.trim().toLowerCase());
        if (!request) {
          throw new AppError(
            'NOT_FOUND',
            `No deletion request ${requestId}: request ids look like dr-7kq2m9x4pzt1b.`,
          );
        }
        return ok(toRequestView(request, deps.clock.now()));
      } catch (error) {
        return failure(error, deps.logger, 'Use the requestId returned by request_stream_deletion.');
      }
    },
  );
}
