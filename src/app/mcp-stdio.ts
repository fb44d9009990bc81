import { once } from 'node:events';
import { userInfo } from 'node:os';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { systemClock } from '../core/clock.js';
import { AppError, errorSummary } from '../core/errors.js';
import { lazy } from '../core/lazy.js';
import { createStderrLogger } from '../core/logger.js';
import { approvalText } from '../mcp/approval-text.js';
import { guardToolArguments } from '../mcp/argument-guard.js';
import { createMcpServerFactory, loadMcpOptions } from './mcp.js';
import { loadSettings } from './settings.js';

/**
 * How long after the handshake the backend starts opening when no tool has been called yet: long enough for a
 * client to finish listing tools, prompts and resources, short against the seconds before a model's first call.
 */
const WARM_UP_AFTER_HANDSHAKE_MS = 250;

export interface McpStdioOptions {
  sandbox: boolean;
  /** Whether stderr is a terminal (run by hand): the log is then text for a person. */
  terminal?: boolean;
  env: NodeJS.ProcessEnv;
  /** `--region`: serve this one region. */
  region?: string;
  /** `--profile`: the aliyun CLI profile whose credentials to use. */
  profile?: string;
}

/** What a tool call is told when the backend cannot open; the reason goes to the operator's log only. */
export const BACKEND_UNAVAILABLE =
  'vod-ops could not open its store or its VOD client, so nothing was done. The reason is in the vod-ops log ' +
  '(the stderr of `vod-ops mcp`, which MCP clients show as the server log).';

/**
 * `vod-ops mcp` over stdio until the client closes stdin or a signal arrives. Settings are all checked before
 * the first message, so a mistake stops the server at once with a message in the client's log. The backend
 * (Alibaba's engine, the store, the sandbox's emulator) opens after the handshake, or at the first tool call
 * if that comes sooner, so the client sees the tools before the heavy parts load. When it cannot open (a
 * database down, say), the reason is logged, each tool call answers CONFIG, and the next call tries again.
 */
export async function runMcpStdio(options: McpStdioOptions): Promise<void> {
  const { sandbox, env, terminal, region, profile } = options;
  const settings = loadSettings(env, { sandbox, terminal: terminal === true, ...(region ? { region } : {}) });
  const mcp = loadMcpOptions(env);
  const logger = createStderrLogger(settings.logLevel, settings.logFormat);
  let closing = false;
  const backend = lazy(async () => {
    if (closing) throw new AppError('CONFIG', 'vod-ops mcp is shutting down; nothing was done.');
    try {
      const { openRuntime } = await import('./runtime.js');
      return await openRuntime({ sandbox, env, settings, logger, ...(profile ? { profile } : {}) });
    } catch (error) {
      // An AppError's message is written to be safe (a store's reason, minus any URL); anything else is summarised.
      if (error instanceof AppError) {
        logger.error(
          { code: error.code },
          `vod-ops mcp could not open its backend: ${error.message} Tool calls will try again.`,
        );
      } else {
        logger.error(
          { code: 'UNEXPECTED', err: errorSummary(error) },
          'vod-ops mcp could not open its backend. Tool calls will try again.',
        );
      }
      throw new AppError('CONFIG', BACKEND_UNAVAILABLE, { cause: error });
    }
  });
  const id = env.VOD_OPS_MCP_PRINCIPAL?.trim() || userInfo().username;
  const server = createMcpServerFactory({
    mcp,
    backend: () => backend.get(),
    logger,
    clock: systemClock,
    sandbox,
    storagePricePerGbMonth: settings.workflow.storagePricePerGbMonth,
  })(id);
  let warmUp: NodeJS.Timeout | undefined;
  server.server.oninitialized = () => {
    // Once, however many times a client says it is initialised; a failure is logged by the opener.
    if (warmUp !== undefined || closing) return;
    warmUp = setTimeout(() => {
      backend.get().catch(() => undefined);
    }, WARM_UP_AFTER_HANDSHAKE_MS);
  };
  const transport = new StdioServerTransport();
  await server.connect(transport);
  guardToolArguments(transport);
  const says = approvalText(mcp.approval, mcp.readOnly).log;
  logger[mcp.approval === 'none' && !mcp.readOnly ? 'warn' : 'info'](
    { principal: id, approval: mcp.approval, readOnly: mcp.readOnly },
    `vod-ops mcp on stdio: ${says}`,
  );
  const stopped = new AbortController();
  const { signal } = stopped;
  await Promise.race(
    [
      once(process.stdin, 'end', { signal }),
      once(process, 'SIGINT', { signal }),
      once(process, 'SIGTERM', { signal }),
    ].map((ended) => ended.catch(() => undefined)),
  );
  // Removes the listeners that lost the race: a second signal now ends the process at once.
  stopped.abort();
  closing = true;
  clearTimeout(warmUp);
  await server.close();
  // An open under way is waited for (at most the store's connect timeout), then closed with everything else.
  const runtime = await backend.started()?.catch(() => undefined);
  await runtime?.close();
}
