import type { Command } from 'commander';
import type { CommandDeps } from '../command-deps.js';
import { type AccountFlags, accountOptions, withAccountFlags } from '../flags.js';
import { EXIT } from '../output.js';

/**
 * `vod-ops mcp [--sandbox]`: the MCP server over stdio for a local client. Only the protocol goes to stdout;
 * every log line goes to stderr. The principal is VOD_OPS_MCP_PRINCIPAL, or the operating-system user.
 */
export function registerMcpCommand(program: Command, deps: CommandDeps & { env: NodeJS.ProcessEnv }): void {
  const command = program
    .command('mcp')
    .description(
      'run the MCP server over stdio, for AI assistants (how their deletions are approved: VOD_OPS_MCP_APPROVAL)',
    )
    .option('--sandbox', 'use an in-process VOD emulator and an in-memory store (no account needed)');
  withAccountFlags(command).action(async (opts: { sandbox?: boolean } & AccountFlags) => {
    try {
      // Loaded here, not at the top: the MCP SDK is for this command only.
      const { runMcpStdio } = await import('../../app/mcp-stdio.js');
      await runMcpStdio({
        sandbox: opts.sandbox === true,
        env: deps.env,
        terminal: deps.terminal,
        ...accountOptions(opts),
      });
      deps.setExitCode(EXIT.ok);
    } catch (error) {
      deps.onError(error, false);
    }
  });
}
