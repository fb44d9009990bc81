import type { Command } from 'commander';
import { AppError } from '../core/errors.js';

/** What `--region` and `--profile` give a command that calls VOD. */
export interface AccountFlags {
  region?: string;
  profile?: string;
}

/**
 * `--region` and `--profile` on a command that calls VOD: the one region to act in (one of VOD_REGIONS when that is
 * set), and the aliyun CLI profile whose credentials to use instead of the default chain.
 */
export function withAccountFlags(command: Command): Command {
  return command
    .option(
      '--region <id>',
      'the VOD region to act in, e.g. ap-southeast-1 (default: VOD_REGIONS or VOD_REGION)',
    )
    .option('--profile <name>', 'use this aliyun CLI profile (~/.aliyun/config.json) for credentials');
}

/** The runtime options of `--region` and `--profile`, as given. */
export function accountOptions(flags: AccountFlags): AccountFlags {
  return {
    ...(flags.region === undefined ? {} : { region: flags.region.trim() }),
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
  };
}

/** A whole-number command-line option, refused with the flag's name and range otherwise. */
export function parseWholeNumberFlag(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AppError('INVALID_INPUT', `${flag} takes a whole number from ${min} to ${max}, not "${raw}".`);
  }
  return value;
}

/**
 * A comma-separated list of `choices` (`--status pending,approved`), case-insensitive; an unknown or empty one is
 * refused with the flag's name and every choice.
 */
export function parseChoiceListFlag<T extends string>(flag: string, raw: string, choices: readonly T[]): T[] {
  const wanted = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const unknown = wanted.filter((s) => !(choices as readonly string[]).includes(s));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new AppError(
      'INVALID_INPUT',
      `${flag} takes ${choices.join(', ')} (comma-separated), not "${raw}".`,
    );
  }
  return wanted as T[];
}
