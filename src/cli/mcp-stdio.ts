import { once } from 'node:events';
import { userInfo } from 'node:os';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { systemClock } from '../core/clock.js';
import { summarizeFailure } from '../core/errors.js';
import { lazy } from '../core/lazy.js';
import { createStderrLogger, parseLogLevel } from '../core/logger.js';
import { createRequestRateLimit } from '../mcp/rate-limit.js';
import { createMcpServer } from '../mcp/server.js';
import { loadMcpSettings } from '../mcp/settings.js';
import { loadWorkflowSettings } from './workflow-settings.js';

/**
 * How long after the handshake the backend starts opening when no tool has been called yet: long enough for a
 * client to finish listing tools, prompts and resources, short against the seconds before a model's first call.
 */
export const WARM_UP_AFTER_HANDSHAKE_MS = 250;

export interface McpStdioOptions {
  sandbox: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * `vod-ops mcp` over stdio until the client closes stdin or a signal arrives. Settings are all checked before
 * the first message, so a mistake stops the server at once with a message in the client's log. The backend
 * (Alibaba's engine, the store, the sandbox's emulator) opens after the handshake, or at the first tool call
 * if that comes sooner, so the client sees the tools in about the time the reference server takes. When it
 * cannot open (a database down, say), each tool call answers with what to fix and the next one tries again.
 */
export async function runMcpStdio({ sandbox, env }: McpStdioOptions): Promise<void> {
  const logger = createStderrLogger(parseLogLevel(env.VOD_OPS_LOG_LEVEL));
  const settings = loadMcpSettings(env);
  loadWorkflowSettings(env, { sandbox });
  const backend = lazy(async () => {
    const { createWorkflowRuntime } = await import('./runtime.js');
    return createWorkflowRuntime({ sandbox, env, logger });
  });
  const id = env.VOD_OPS_MCP_PRINCIPAL?.trim() || userInfo().username;
  const server = createMcpServer({
    backend: () => backend.get(),
    logger,
    clock: systemClock,
    principal: { source: 'mcp', id, displayName: id },
    approval: settings.approval,
    rateLimit: createRequestRateLimit(settings.requestsPerHour, systemClock.now),
    readOnly: settings.readOnly,
    sandbox,
  });
  let warmUp: NodeJS.Timeout | undefined;
  server.server.oninitialized = () => {
    warmUp = setTimeout(() => {
      backend.get().catch((error: unknown) => {
        const { code, message } = summarizeFailure(error, 'the backend could not open');
        logger.error({ code }, `vod-ops mcp: ${message} Tool calls will try again.`);
      });
    }, WARM_UP_AFTER_HANDSHAKE_MS);
  };
  await server.connect(new StdioServerTransport());
  logger.info(
    { principal: id, approval: settings.approval, readOnly: settings.readOnly },
    'vod-ops mcp on stdio',
  );
  await Promise.race([once(process.stdin, 'end'), once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  clearTimeout(warmUp);
  await server.close();
  const runtime = await backend.started()?.catch(() => undefined);
  await runtime?.close();
}
