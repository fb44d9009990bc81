#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { packageVersion } from '../app/version.js';
import { systemClock } from '../core/clock.js';
import type { CommandDeps } from './command-deps.js';
import { registerCleanupCommands } from './commands/cleanup.js';
import { registerDeleteStreamCommand } from './commands/delete-stream.js';
import { registerMcpCommand } from './commands/mcp.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerRequestCommands } from './commands/requests.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { registerServeCommand } from './commands/serve.js';
import { registerStreamsCommand } from './commands/streams.js';
import { EXIT, type Io, reportError } from './output.js';
import { cliPrincipal } from './principal.js';

/**
 * The runtime (Alibaba's engine, the stores, the emulator) is loaded when a command first needs it, and each
 * command's heavy modules inside its action: every command, and `vod-ops mcp`'s cold start above all, pays
 * only for what it uses.
 */
const runtime = () => import('../app/runtime.js');

/**
 * The `vod-ops` command line: composition of the CLI. The only place that reads process.env, process.stdin and
 * the terminal state, and the only place that sets the exit code.
 */
async function main(): Promise<void> {
  const io: Io = { stdout: process.stdout, stderr: process.stderr };
  // On a terminal a person reads the log: text, warnings only, unless VOD_OPS_LOG_FORMAT / _LEVEL say otherwise.
  const terminal = process.stderr.isTTY === true;
  const deps: CommandDeps = {
    io,
    clock: systemClock,
    terminal,
    openVod: async ({ sandbox, region, profile }) =>
      (await runtime()).openVod({
        sandbox,
        terminal,
        env: process.env,
        ...(region ? { region } : {}),
        ...(profile ? { profile } : {}),
      }),
    openRuntime: async ({ sandbox, readOnly, sandboxStore, region, profile }) =>
      (await runtime()).openRuntime({
        sandbox,
        terminal,
        env: process.env,
        ...(readOnly ? { readOnly } : {}),
        ...(sandboxStore ? { sandboxStore } : {}),
        ...(region ? { region } : {}),
        ...(profile ? { profile } : {}),
      }),
    setExitCode: (code) => {
      process.exitCode = code;
    },
    exit: (code) => process.exit(code),
    onError: (error, json) => {
      process.exitCode = reportError(error, io, json, { now: systemClock.now, terminal });
    },
  };
  const program = new Command('vod-ops')
    .description('Safe, previewed, recorded deletion of ApsaraVideo VOD transcoded streams (DeleteStream).')
    .version(packageVersion(), '-v, --version', 'print the version (package.json’s)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');
  registerStreamsCommand(program, deps);
  registerDeleteStreamCommand(program, {
    ...deps,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    stdin: process.stdin,
    operator: cliPrincipal,
  });
  registerRequestCommands(program, deps);
  registerCleanupCommands(program, { ...deps, operator: cliPrincipal });
  registerServeCommand(program, { ...deps, env: process.env });
  registerMcpCommand(program, { ...deps, env: process.env });
  registerSandboxCommand(program, deps);
  registerMigrateCommand(program, { ...deps, env: process.env });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      process.exitCode = done ? EXIT.ok : EXIT.badInput;
      return;
    }
    process.exitCode = reportError(error, io, false, { now: systemClock.now, terminal });
  }
}

await main();
