import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * Answers a `tools/call` whose `arguments` is not an object (a string, a number, null, a list) with JSON-RPC's
 * invalid-params error and a sentence saying what to send, before the SDK sees it: the SDK would answer -32603
 * "internal error" with its schema's validation dump. Call after the server is connected to `transport`.
 */
export function guardToolArguments(transport: Transport): void {
  const inner = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const problem = toolCallProblem(message);
    if (problem && 'id' in message && message.id !== undefined) {
      void transport
        .send({ jsonrpc: '2.0', id: message.id, error: { code: -32602, message: problem } })
        .catch(() => undefined);
      return;
    }
    inner?.(message, extra);
  };
}

function toolCallProblem(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (method !== 'tools/call') return undefined;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    return 'Invalid params: tools/call takes an object with the tool\'s "name" and its "arguments".';
  }
  const { name, arguments: args } = params as { name?: unknown; arguments?: unknown };
  if (typeof name !== 'string') return 'Invalid params: "name" must be the name of a tool, a string.';
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    return `Invalid params: "arguments" must be an object of ${name}'s parameters, not ${
      args === null ? 'null' : Array.isArray(args) ? 'a list' : `a ${typeof args}`
    }. See tools/list for its input schema.`;
  }
  return undefined;
}
