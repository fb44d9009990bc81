import { AppError } from '../errors.js';

/** The longest reason a request, a vote or a cancellation may carry: approvers read it in full. */
export const MAX_REASON_LENGTH = 500;

/** A requester's reason, trimmed; longer than {@link MAX_REASON_LENGTH} is refused, saying by how much. */
export function parseReason(raw: string | undefined): string {
  const reason = (raw ?? '').trim();
  if (reason.length > MAX_REASON_LENGTH) {
    throw new AppError(
      'INVALID_INPUT',
      `The reason is ${reason.length} characters long; keep it under ${MAX_REASON_LENGTH}.`,
    );
  }
  return reason;
}

/** A voter's or canceller's optional reason, trimmed and clipped (a click must not fail on its length). */
export function clipReason(raw: string | undefined): string | undefined {
  return raw?.trim().slice(0, MAX_REASON_LENGTH) || undefined;
}
