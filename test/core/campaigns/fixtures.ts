import { expect } from 'vitest';
import { AppError } from '../../../src/core/errors.js';

/** The moment every campaign test resolves its rules at: 2026-03-01T12:00:00Z. */
export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const DAY = 86_400_000;

/** The AppError `fn` throws; fails the test when it throws nothing or something else. */
export function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}
