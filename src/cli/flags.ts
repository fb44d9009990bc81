import { AppError } from '../core/errors.js';

/** A whole-number command-line option, refused with the flag's name and range otherwise. */
export function parseWholeNumberFlag(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AppError('INVALID_INPUT', `${flag} takes a whole number from ${min} to ${max}, not "${raw}".`);
  }
  return value;
}
