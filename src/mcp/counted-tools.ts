import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Clock } from '../core/clock.js';
import type { McpTelemetry } from './deps.js';

type RegisterTool = McpServer['registerTool'];
type ToolResult = { isError?: boolean };

/**
 * `server` whose `registerTool` wraps every tool's callback to tell `telemetry` of each call: one place for every
 * tool, so a new tool is counted without knowing it. A result with `isError` counts as an error; so does a
 * callback that throws (the SDK then answers the error itself), which is passed on unchanged.
 */
export function countToolCalls(server: McpServer, telemetry: McpTelemetry, clock: Clock): McpServer {
  const registerTool = ((name: string, config: unknown, callback: (...args: unknown[]) => unknown) => {
    const counted = async (...args: unknown[]) => {
      const started = clock.monotonic();
      const seconds = () => (clock.monotonic() - started) / 1000;
      try {
        const result = (await callback(...args)) as ToolResult;
        telemetry.mcpToolCall({ tool: name, outcome: result.isError ? 'error' : 'ok', seconds: seconds() });
        return result;
      } catch (error) {
        telemetry.mcpToolCall({ tool: name, outcome: 'error', seconds: seconds() });
        throw error;
      }
    };
    return (server.registerTool as (...args: unknown[]) => unknown).call(server, name, config, counted);
  }) as RegisterTool;
  // Everything else is the server's own, called on the server itself.
  return new Proxy(server, {
    get(target, property) {
      if (property === 'registerTool') return registerTool;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
