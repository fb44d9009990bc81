import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { approvalText } from './approval-text.js';
import type { McpDeps } from './deps.js';
import { registerCancelDeletionRequestTool } from './tools/cancel-deletion-request.js';
import { registerGetDeletionRequestTool } from './tools/get-deletion-request.js';
import { registerListVideoStreamsTool } from './tools/list-video-streams.js';
import { registerRequestStreamDeletionTool } from './tools/request-stream-deletion.js';

const SERVER_INFO = { name: 'vod-ops', version: '0.1.0' } as const;

/**
 * The MCP server: one per session. Read tools always; the deletion tools unless read-only mode, where they are
 * not registered at all. What an assistant's deletion leads to depends on the approval mode, and the instructions
 * and the tool's description say which (approval-text.ts).
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 */
export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions:
      approvalText(deps.approval, deps.readOnly).instructions +
      (deps.sandbox ? ' SANDBOX: the VOD service is a local emulator with demo videos.' : ''),
  });
  registerListVideoStreamsTool(server, deps);
  registerGetDeletionRequestTool(server, deps);
  if (!deps.readOnly) {
    registerRequestStreamDeletionTool(server, deps);
    registerCancelDeletionRequestTool(server, deps);
  }
  return server;
}
