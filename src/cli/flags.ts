import { AppError } from '../core/errors.js';

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
