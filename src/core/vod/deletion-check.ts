import type { JobIds } from './input-rules.js';

/**
 * What a DeleteStream whose outcome is unknown did, read from the video's streams afterwards. An attempt that timed
 * out, lost its connection or got a 5xx may have deleted the streams without us hearing back; when the call then
 * ends in a failure, its error cannot say what happened, the streams can:
 * - `deleted`: none of the job IDs remains: the deletion happened;
 * - `not_deleted`: every one remains: nothing was deleted;
 * - `partly_deleted`: some remain (Alibaba deleted part of the set);
 * - `unknown`: the streams could not be read either, so nobody can tell.
 */
export type DeletionCheck =
  | { verified: 'deleted'; checkRequestId: string }
  | { verified: 'not_deleted'; checkRequestId: string }
  | { verified: 'partly_deleted'; checkRequestId: string; remaining: string[] }
  | { verified: 'unknown' };

export function checkDeletion(
  jobIds: JobIds,
  streams: { requestId: string; jobIds: readonly string[] } | undefined,
): DeletionCheck {
  if (!streams) return { verified: 'unknown' };
  const present = new Set(streams.jobIds.map((id) => id.toLowerCase()));
  const remaining = jobIds.filter((id) => present.has(id));
  const checkRequestId = streams.requestId;
  if (remaining.length === 0) return { verified: 'deleted', checkRequestId };
  if (remaining.length === jobIds.length) return { verified: 'not_deleted', checkRequestId };
  return { verified: 'partly_deleted', checkRequestId, remaining };
}

/** The sentence that replaces "may or may not have been deleted" once the streams were checked. */
export function describeCheck(
  check: Exclude<DeletionCheck, { verified: 'deleted' }>,
  requestIds: string[],
): string {
  const attempts = requestIds.length > 0 ? ` RequestIds of the attempts: ${requestIds.join(', ')}.` : '';
  switch (check.verified) {
    case 'not_deleted':
      return (
        ` The video's streams were checked afterwards (GetPlayInfo, RequestId ${check.checkRequestId}): none of ` +
        `them was deleted, so it is safe to try again later.${attempts}`
      );
    case 'partly_deleted':
      return (
        ` The video's streams were checked afterwards (GetPlayInfo, RequestId ${check.checkRequestId}): some were ` +
        `deleted, and these remain: ${check.remaining.join(', ')}. Ask again for those.${attempts}`
      );
    case 'unknown':
      return (
        ' Whether the streams were deleted is unknown: an attempt may have deleted them without an answer, and ' +
        `reading the video's streams afterwards failed too. List them before trying again.${attempts}`
      );
  }
}
