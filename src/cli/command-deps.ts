import type { Runtime, RuntimeOptions, VodRuntime } from '../app/runtime.js';
import type { Clock } from '../core/clock.js';
import type { Io } from './output.js';

/** What every command gets from the CLI's composition (main.ts). */
export interface CommandDeps {
  io: Io;
  /** Whether stderr is a terminal, where a person reads the log. */
  terminal: boolean;
  /** What "now" is: for `--since 24h` and for showing a request past its expiry as expired. */
  clock: Clock;
  /** VOD's reads, for commands that only read VOD. */
  openVod: (options: Pick<RuntimeOptions, 'sandbox' | 'region' | 'profile'>) => Promise<VodRuntime>;
  /** The runtime with the store and the use cases, for commands that read or record them. */
  openRuntime: (
    options: Pick<RuntimeOptions, 'sandbox' | 'readOnly' | 'sandboxStore' | 'region' | 'profile'>,
  ) => Promise<Runtime>;
  setExitCode: (code: number) => void;
  /** Ends the process now, with `code`: for a server once it has stopped, whatever is left (a Slack call nobody answers). */
  exit: (code: number) => never;
  onError: (error: unknown, json: boolean) => void;
}
