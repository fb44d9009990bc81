import { describe, expect, it } from 'vitest';
import {
  AppError,
  type ErrorSummary,
  errorSummary,
  toEdgeError,
  UNEXPECTED_MESSAGE,
} from '../../src/core/errors.js';

const SECRET = 'postgres://vodops:s3cr3t-pw@db.internal:5432/vod';

describe('the edge policy for errors', () => {
  it('passes an AppError through as it is, logging nothing', () => {
    const logged: ErrorSummary[] = [];
    const error = new AppError('NOT_FOUND', 'No deletion request dr-x.');
    expect(toEdgeError(error, (s) => logged.push(s))).toBe(error);
    expect(logged).toEqual([]);
  });

  it('logs an unexpected error once, without its message, and answers a safe sentence', () => {
    const logged: ErrorSummary[] = [];
    const bug = Object.assign(new TypeError(`cannot read ${SECRET}`), { code: 'ERR_BUG' });
    const answered = toEdgeError(bug, (s) => logged.push(s));
    expect(answered).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: UNEXPECTED_MESSAGE });
    expect(answered.cause).toBe(bug);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ type: 'TypeError', code: 'ERR_BUG', at: expect.any(Array) });
    expect(JSON.stringify(logged)).not.toMatch(/s3cr3t|vodops|db\.internal/);
  });

  it('summarises an AppError with its safe message, Alibaba’s identifiers and the class of its cause', () => {
    const cause = new Error(`connect ECONNREFUSED ${SECRET}`);
    const error = new AppError('CONFIG', 'Could not open the PostgreSQL database in DATABASE_URL.', {
      cause,
      detail: { vodCode: 'Throttling.User', requestId: 'RID-1', httpStatus: 400 },
    });
    const summary = errorSummary(error);
    expect(summary).toMatchObject({
      type: 'AppError',
      code: 'CONFIG',
      message: 'Could not open the PostgreSQL database in DATABASE_URL.',
      vodCode: 'Throttling.User',
      requestId: 'RID-1',
      httpStatus: 400,
      cause: { type: 'Error' },
    });
    expect(JSON.stringify(summary)).not.toContain('s3cr3t');
  });

  it('summarises what is not an Error by its type alone', () => {
    expect(errorSummary(`a string with ${SECRET}`)).toEqual({ type: 'string' });
  });
});
