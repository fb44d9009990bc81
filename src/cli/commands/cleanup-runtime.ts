/** What every `vod-ops cleanup` action does around its work: the arguments checked first, then the runtime. */
import { CAMPAIGN_ID_PATTERN } from '../../core/campaigns/campaign.js';
import type { CampaignRefusal } from '../../core/campaigns/campaign-lifecycle.js';
import { campaignRefusalText } from '../../core/campaigns/campaign-refusals.js';
import { AppError } from '../../core/errors.js';
import type { CommandDeps } from '../command-deps.js';
import { type AccountFlags, accountOptions } from '../flags.js';
import { EXIT } from '../output.js';

export type CleanupRuntime = Awaited<ReturnType<CommandDeps['openRuntime']>>;

export interface FrameOptions {
  json: boolean;
  /** The command only reads: the real store must exist already (the sandbox's is made when first needed). */
  readOnly: boolean;
  /** The in-process emulator and the sandbox's own store file instead of VOD and the real store. */
  sandbox: boolean;
  /** `--region`, `--profile`: for the commands that call VOD. */
  account?: AccountFlags;
}

/**
 * Parses the arguments first (bad ones exit 2, in JSON with --json, before the store opens), then runs with the
 * runtime, closed afterwards. `run` returns the exit code, or nothing for 0.
 */
export async function withRuntime<T>(
  deps: CommandDeps,
  options: FrameOptions,
  parse: () => T,
  run: (runtime: CleanupRuntime, parsed: T) => Promise<number | undefined>,
): Promise<void> {
  try {
    const parsed = parse();
    const runtime = await deps.openRuntime(openOptions(options));
    try {
      deps.setExitCode((await run(runtime, parsed)) ?? EXIT.ok);
    } finally {
      await runtime.close();
    }
  } catch (error) {
    deps.onError(error, options.json);
  }
}

/** How a cleanup command opens the runtime: with `--sandbox`, on the sandbox's own store file. */
export function openOptions(options: Pick<FrameOptions, 'readOnly' | 'sandbox' | 'account'>) {
  return {
    sandbox: options.sandbox,
    ...accountOptions(options.account ?? {}),
    ...(options.sandbox ? { sandboxStore: 'file' as const } : {}),
    ...(options.readOnly ? { readOnly: true } : {}),
  };
}

export async function found<T>(value: Promise<T | undefined>, id: string): Promise<T> {
  const result = await value;
  if (result === undefined) {
    throw new AppError('NOT_FOUND', `No campaign ${id}. List them with \`vod-ops cleanup list\`.`);
  }
  return result;
}

export function parseCampaignId(raw: string): string {
  const id = raw.trim().toLowerCase();
  if (!CAMPAIGN_ID_PATTERN.test(id)) {
    throw new AppError(
      'INVALID_INPUT',
      `<id> takes a campaign id such as cp-7kq2m9x4pzt1b, not "${raw.slice(0, 40)}". List them with \`vod-ops cleanup list\`.`,
    );
  }
  return id;
}

export function refusalError(id: string, refusal: CampaignRefusal): AppError {
  const { code, message } = campaignRefusalText(id, refusal);
  return new AppError(code, message);
}

/** `--sandbox` carried into the commands a message suggests, so that they reach the same campaign. */
export function cleanupCommand(verb: string, id: string, sandbox: boolean): string {
  return `vod-ops cleanup ${verb} ${id}${sandbox ? ' --sandbox' : ''}`;
}

export function iso(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
