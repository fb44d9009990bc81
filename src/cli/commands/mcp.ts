import { once } from 'node:events';
import { userInfo } from 'node:os';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { createRequestRateLimit } from '../../mcp/rate-limit.js';
import { createMcpServer } from '../../mcp/server.js';
import { loadMcpSettings } from '../../mcp/settings.js';
import { EXIT } from '../output.js';
import { createWorkflowRuntime } from '../runtime.js';
import type { CommandDeps } from './streams.js';

/**
 * `vod-ops mcp [--sandbox]`: the MCP server over stdio for a local client. Only the protocol goes to stdout;
 * every log line goes to stderr. The principal is VOD_OPS_MCP_PRINCIPAL, or the operating-system user.
 */
export function registerMcpCommand(program: Command, deps: CommandDeps & { env: NodeJS.ProcessEnv }): void {
  program
    .command('mcp')
    .description('run the MCP server over stdio, for AI assistants (they request; people approve in Slack)')
    .option('--sandbox', 'use an in-process VOD emulator and an in-memory store (no account needed)')
    .action(async (opts: { sandbox?: boolean }) => {
      try {
        const settings = loadMcpSettings(deps.env);
        const runtime = await createWorkflowRuntime({ sandbox: opts.sandbox === true, env: deps.env });
        const id = deps.env.VOD_OPS_MCP_PRINCIPAL?.trim() || userInfo().username;
        const server = createMcpServer({
          workflow: runtime.workflow,
          store: runtime.store,
          vod: runtime.vod,
          logger: runtime.logger,
          clock: systemClock,
          principal: { source: 'mcp', id, displayName: id },
          approval: settings.approval,
          rateLimit: createRequestRateLimit(settings.requestsPerHour, systemClock.now),
          readOnly: settings.readOnly,
          sandbox: opts.sandbox === true,
        });
        const transport = new StdioServerTransport();
        await server.connect(transport);
        runtime.logger.info(
          { principal: id, approval: settings.approval, readOnly: settings.readOnly },
          'vod-ops mcp on stdio',
        );
        await Promise.race([once(process.stdin, 'end'), once(process, 'SIGINT'), once(process, 'SIGTERM')]);
        await server.close();
        await runtime.close();
        deps.setExitCode(EXIT.ok);
      } catch (error) {
        deps.onError(error, false);
      }
    });
}
