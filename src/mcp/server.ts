import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpDeps } from './deps.js';
import { registerCancelDeletionRequestTool } from './tools/cancel-deletion-request.js';
import { registerGetDeletionRequestTool } from './tools/get-deletion-request.js';
import { registerListVideoStreamsTool } from './tools/list-video-streams.js';
import { registerRequestStreamDeletionTool } from './tools/request-stream-deletion.js';

const SERVER_INFO = { name: 'vod-ops', version: '0.1.0' } as const;

/**
 * The MCP server: one per session. Read tools always; the deletion tools unless read-only mode, where they are
 * not registered at all. An assistant can request a deletion but never decide it: approval happens in Slack.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 */
export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions:
      'vod-ops lists ApsaraVideo VOD video streams and lets you REQUEST deletions of transcoded streams, which a ' +
      'person approves in Slack. Deletions are irreversible. Call list_video_streams first, then ' +
      'request_stream_deletion with at most 20 job IDs and a reason, then get_deletion_request for the outcome.' +
      (deps.sandbox ? ' SANDBOX: the VOD service is a local emulator with demo videos.' : ''),
  });
  registerListVideoStreamsTool(server, deps);
  registerGetDeletionRequestTool(server, deps);
  if (!deps.readOnly) {
    registerRequestStreamDeletionTool(server, deps);
    registerCancelDeletionRequestTool(server, deps);
  }
  if (deps.approval === 'none' && !deps.readOnly) {
    deps.logger.warn('VOD_OPS_MCP_APPROVAL=none: assistants delete streams WITHOUT human approval');
  }
  return server;
}
