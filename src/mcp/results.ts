import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type AppError, toEdgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** A successful tool result: the structured object, echoed as JSON text for clients without structured output. */
export function ok<T extends Record<string, unknown>>(value: T): CallToolResult & { structuredContent: T } {
  return { structuredContent: value, content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

/**
 * A failure as an `isError` result a model can act on: the code, a message safe to show (never a stack, a URL
 * or a secret), Alibaba's code and RequestId when it was Alibaba, and a hint of what to do next. An unexpected
 * error is logged once, by the edge policy, and answered with a safe sentence.
 */
export function failure(error: unknown, logger: Logger, hint?: string): CallToolResult {
  const appError = toEdgeError(error, (summary) =>
    logger.error({ edge: 'mcp', err: summary }, 'unexpected error in an MCP tool call'),
  );
  // A setup problem is the operator's to fix, whatever the tool would otherwise suggest.
  const chosen = appError.code === 'CONFIG' ? hintFor(appError) : (hint ?? hintFor(appError));
  const body = {
    error: appError.code,
    message: appError.message,
    ...(appError.detail.vodCode ? { alibabaCode: appError.detail.vodCode } : {}),
    ...(appError.detail.requestId ? { alibabaRequestId: appError.detail.requestId } : {}),
    ...(chosen ? { hint: chosen } : {}),
  };
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(body, null, 2) }] };
}

function hintFor(error: AppError): string | undefined {
  if (error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND') {
    return 'Call list_video_streams with the VideoId to see the valid job IDs.';
  }
  if (error.code === 'CONFIG') {
    return (
      'vod-ops is not set up for this: tell the user the message. An operator must fix the setup (a changed ' +
      'setting takes effect when vod-ops restarts); call again after that.'
    );
  }
  if (error.code === 'UPSTREAM_UNAVAILABLE')
    return 'Try again in a minute. If a deletion was under way, call get_deletion_request or list_video_streams to see whether it happened.';
  return undefined;
}
