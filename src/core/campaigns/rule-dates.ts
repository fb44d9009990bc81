/**
 * The dates a selection rule holds. A rule is written with an ISO 8601 date or date-time, or with an age counted
 * back from now (`365d`, `1y`); a campaign stores it resolved to an absolute instant, so what approvers see is
 * exactly what the plan and the execution use, however long the approval takes.
 *
 * Instants are written the way SearchMedia's Match and GetPlayInfo write them: UTC, whole seconds,
 * `2025-12-03T00:00:00Z`.
 */

/** A date as written in a rule, before it is resolved against the moment of planning. */
export type DateBound = { kind: 'instant'; ms: number } | { kind: 'age'; days: number };

export type DateReading = { ok: true; bound: DateBound } | { ok: false; problem: string };

const DAY_MS = 86_400_000;
/** A year is 365 days, so an age never depends on leap years; the resolved instant is shown anyway. */
const DAYS_PER_YEAR = 365;
const MAX_AGE_DAYS = 100 * DAYS_PER_YEAR;
const AGE = /^(\d{1,6}) ?([dy])$/i;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const EXAMPLES =
  'use a date like 2025-12-03, a date-time like 2025-12-03T08:00:00Z, or an age like 365d or 1y';

/**
 * Reads a date as a rule writes it. A date alone is midnight UTC. A date-time needs its time zone (`Z` or an
 * offset like `+08:00`): a bare one would mean whatever zone the machine that plans happens to be in.
 */
export function readDateBound(raw: string): DateReading {
  const text = raw.trim();
  const age = AGE.exec(text);
  if (age) {
    const amount = Number(age[1]);
    const days = (age[2] ?? 'd').toLowerCase() === 'y' ? amount * DAYS_PER_YEAR : amount;
    if (amount < 1 || days > MAX_AGE_DAYS) {
      return { ok: false, problem: `"${text}" is not an age from 1 day (1d) to 100 years (100y)` };
    }
    return { ok: true, bound: { kind: 'age', days } };
  }
  const iso = ISO.exec(text);
  if (!iso) return { ok: false, problem: `"${clip(text)}" is not a date: ${EXAMPLES}` };
  const [, year, month, day, hour, minute, second, fraction, zone] = iso;
  if (hour !== undefined && zone === undefined) {
    return {
      ok: false,
      problem: `"${text}" has a time but no time zone: add Z for UTC or an offset like +08:00`,
    };
  }
  const parts = [year, month, day, hour ?? '0', minute ?? '0', second ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = parts;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, Number((fraction ?? '0').padEnd(3, '0').slice(0, 3)));
  const check = new Date(local);
  const offset = zoneMinutes(zone);
  if (
    y < 1970 ||
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59 ||
    offset === undefined
  ) {
    return { ok: false, problem: `"${text}" is not a real date and time from 1970 on: ${EXAMPLES}` };
  }
  return { ok: true, bound: { kind: 'instant', ms: local - offset * 60_000 } };
}

/**
 * The bound as an absolute instant at `now`, in whole seconds. A `before` bound is rounded down and an `after`
 * bound up, so rounding can only narrow a selection, never widen it.
 */
export function resolveDateBound(bound: DateBound, now: number, side: 'before' | 'after'): string {
  const ms = bound.kind === 'instant' ? bound.ms : now - bound.days * DAY_MS;
  const seconds = side === 'before' ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
  return alibabaInstant(seconds * 1000);
}

/** `2025-12-03T00:00:00Z`: UTC, whole seconds, as SearchMedia's Match takes it. */
export function alibabaInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function zoneMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 37)}...` : value;
}
