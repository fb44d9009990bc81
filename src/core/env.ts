import ms from 'ms';
import { AppError } from './errors.js';

/**
 * Readers for settings given as environment variables. Each refusal is a CONFIG error that names the variable
 * and what it accepts, so a wrong setting stops a process at start with a sentence that says how to fix it.
 * Only the composition root passes `process.env`; everything else receives an `Env`.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** A number setting within `range`; unset or blank takes `fallback`. */
export function readNumber(
  env: Env,
  name: string,
  fallback: number,
  range: { min: number; max: number; integer: boolean },
): number {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return fallback;
  const value = Number(raw);
  if (
    !Number.isFinite(value) ||
    value < range.min ||
    value > range.max ||
    (range.integer && !Number.isInteger(value))
  ) {
    throw new AppError(
      'CONFIG',
      `${name}="${raw}" is not valid: use ${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}.`,
    );
  }
  return value;
}

/** A whole-number setting from `min` to `max`. */
export function readWholeNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  return readNumber(env, name, fallback, { min, max, integer: true });
}

/** `true`/`1` or `false`/`0`; unset or blank is false. */
export function readBoolean(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new AppError('CONFIG', `${name}="${env[name]}" is not valid: use true or false.`);
}

/** A duration like `24h`, `90m`, `2d` or a number of milliseconds, from `min` to `max` ms. */
export function readDuration(
  env: Env,
  name: string,
  fallback: string,
  bounds: { min: number; max: number; described: string },
): number {
  const raw = (env[name] ?? '').trim() || fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : ms(raw as ms.StringValue);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < bounds.min || value > bounds.max) {
    throw new AppError(
      'CONFIG',
      `${name}="${raw}" is not valid: use a duration like 24h, 90m or 2d, ${bounds.described}.`,
    );
  }
  return value;
}

/** A comma- or space-separated list; blanks dropped. */
export function readList(env: Env, name: string, separator: RegExp = /[\s,]+/): string[] {
  return (env[name] ?? '')
    .split(separator)
    .filter((item) => item.trim() !== '')
    .map((item) => item.trim());
}
