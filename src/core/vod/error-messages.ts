import { AppError, type AppErrorCode } from '../errors.js';
import type { VodCallFailure } from './call-failure.js';

export interface FailedCall {
  action: string;
  /** Absent for calls about no one video (SearchMedia). */
  videoId?: string;
  attempts: number;
  requestIds: string[];
  timeoutMs: number;
  /** What is known of the outcome, when it was checked: replaces the "may or may not" sentence. */
  outcomeNote?: string;
  /** More fields for the error's detail (what the check found). */
  fields?: Record<string, unknown>;
}

/**
 * Turns the last failure of a call into an AppError whose message a person or a model can act on. Alibaba's
 * documented codes get their own sentence; the engine's raw messages (which embed URLs) are never used.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-deletestream
 */
export function toAppError(failure: VodCallFailure, call: FailedCall): AppError {
  const [code, described] = describe(failure, call);
  // Whatever the failure, what a check found about the outcome is said.
  const message =
    call.outcomeNote && !described.includes(call.outcomeNote) ? `${described}${call.outcomeNote}` : described;
  const tries = call.attempts > 1 ? ` (after ${call.attempts} attempts)` : '';
  return new AppError(code, message.replace('{tries}', tries), {
    cause: failure,
    detail: {
      action: call.action,
      vodCode: failure.code,
      httpStatus: failure.httpStatus,
      requestId: failure.requestId,
      requestIds: call.requestIds,
      attempts: call.attempts,
      failureKind: failure.kind,
      ...call.fields,
    },
  });
}

function describe(failure: VodCallFailure, call: FailedCall): [AppErrorCode, string] {
  const { action } = call;
  const seconds = `${Math.round(call.timeoutMs / 100) / 10}s`;
  const maybe = call.outcomeNote ?? maybeFor(action);
  switch (failure.kind) {
    case 'timeout':
      return [
        'UPSTREAM_UNAVAILABLE',
        `ApsaraVideo VOD did not answer ${action} within ${seconds}{tries}.${maybe}`,
      ];
    case 'connection':
    case 'unreadable':
      return [
        'UPSTREAM_UNAVAILABLE',
        `The connection to ApsaraVideo VOD failed during ${action}{tries} with no usable answer.${maybe}`,
      ];
    case 'unreachable':
      return [
        'UPSTREAM_UNAVAILABLE',
        `Could not connect to the ApsaraVideo VOD endpoint: nothing was sent. Check the region's endpoint (VOD_REGION, VOD_REGIONS or VOD_ENDPOINT) and the network.`,
      ];
    case 'no-credentials':
      return [
        'CONFIG',
        'No Alibaba Cloud credentials were found. Set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, ' +
          'configure an aliyun CLI profile or an ECS RAM role (with --profile: check that ~/.aliyun/config.json ' +
          'has that profile, with credentials), or try vod-ops with --sandbox.',
      ];
    case 'unknown':
      return ['UPSTREAM_UNAVAILABLE', `${action} failed with an unexpected error{tries}.${maybe}`];
    default:
      return describeCode(failure, call);
  }
}

function describeCode(failure: VodCallFailure, call: FailedCall): [AppErrorCode, string] {
  const { videoId, action } = call;
  const code = failure.code ?? 'unknown';
  const status = failure.httpStatus ? `HTTP ${failure.httpStatus}, ` : '';
  const tag = `(${status}${code})`;
  if (code === 'JobIdsExceededMax') {
    return [
      'INVALID_INPUT',
      `Alibaba Cloud refused the job list as too long ${tag}: DeleteStream accepts at most 20 job IDs per video. Split the request.`,
    ];
  }
  if (code === 'InvalidVideo.NotFound') {
    return [
      'NOT_FOUND',
      `Video ${videoId} does not exist ${tag}. Check the VideoId, and that the region asked (--region, VOD_REGION or VOD_REGIONS) is the video's.`,
    ];
  }
  if (code === 'InvalidStream.NotFound') {
    return [
      'NOT_FOUND',
      `One or more of the job IDs are not streams of video ${videoId} ${tag}` +
        (call.outcomeNote ?? `: nothing was deleted. List the video's streams to see its current job IDs.`),
    ];
  }
  if (code === 'DeleteStreamFailed') {
    return [
      'UPSTREAM_UNAVAILABLE',
      `Alibaba Cloud failed to delete the streams ${tag}{tries}.${call.outcomeNote ?? ' Nothing is known to be deleted; try again later.'}`,
    ];
  }
  const search = describeSearchCode(code, tag);
  if (search) return search;
  if (code === 'Forbidden.IllegalStatus') {
    return [
      'FORBIDDEN',
      `Video ${videoId} is not in status Normal, so Alibaba Cloud does not list its streams ${tag}. ` +
        'Wait until processing ends, or check the video in the VOD console.',
    ];
  }
  if (failure.kind === 'throttled') {
    return [
      'UPSTREAM_UNAVAILABLE',
      `Alibaba Cloud is throttling VOD calls for this account ${tag}{tries}. Try again in a minute; ` +
        'if other tools share the account, lower VOD_MAX_QPS.',
    ];
  }
  if (/^(SignatureDoesNotMatch|InvalidAccessKeyId|InvalidSecurityToken|IncompleteSignature)/.test(code)) {
    return [
      'CONFIG',
      `Alibaba Cloud rejected the credentials ${tag}. Check the AccessKey ID and secret (or profile) vod-ops uses.`,
    ];
  }
  if (/^InvalidTimeStamp/.test(code)) {
    return [
      'CONFIG',
      `Alibaba Cloud rejected the request time ${tag}: this machine's clock is wrong; sync it.`,
    ];
  }
  if (/^Forbidden/.test(code)) {
    return [
      'FORBIDDEN',
      `The Alibaba Cloud identity is not allowed to call ${action} ${tag}. ` +
        (action === 'SearchMedia'
          ? 'Grant the RAM action vod:SearchMedia to read the library.'
          : 'Grant the RAM actions vod:DeleteStream, vod:GetPlayInfo and vod:GetVideoInfo.'),
    ];
  }
  if (failure.kind === 'server') {
    return [
      'UPSTREAM_UNAVAILABLE',
      `ApsaraVideo VOD failed ${action} ${tag}{tries}.${call.outcomeNote ?? maybeFor(action)}`,
    ];
  }
  const about = videoId === undefined ? '' : ` for video ${videoId}`;
  return ['UPSTREAM_REJECTED', `Alibaba Cloud refused ${action}${about} ${tag}.`];
}

/**
 * SearchMedia's codes. `InvalidScrollToken.Expired`, `ErrorMatchSyntax` and `SortByExceededMax` are Alibaba's
 * documented ones; other `InvalidScrollToken.*` codes (the sandbox answers `OutOfRange` and `QueryMismatch`) get
 * the same remedy, since a walk can only start again.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-searchmedia
 */
function describeSearchCode(code: string, tag: string): [AppErrorCode, string] | undefined {
  if (code === 'ErrorMatchSyntax') {
    return [
      'INVALID_INPUT',
      `Alibaba Cloud could not read the search filter ${tag}. Check the Match expression: terms joined by and, ` +
        "strings in single quotes, a category ID unquoted, times as ('2024-01-01T00:00:00Z','2025-01-01T00:00:00Z').",
    ];
  }
  if (code === 'SortByExceededMax') {
    return [
      'INVALID_INPUT',
      `Alibaba Cloud refused the sort order ${tag}: a search that walks the whole library sorts on one field only.`,
    ];
  }
  if (code === 'InvalidScrollToken.Expired') {
    return [
      'UPSTREAM_REJECTED',
      `The library search's scroll token has expired ${tag}: Alibaba Cloud no longer continues that walk. ` +
        'Start it again at page 1.',
    ];
  }
  if (code.startsWith('InvalidScrollToken')) {
    return [
      'UPSTREAM_REJECTED',
      `Alibaba Cloud refused the library search's scroll token ${tag}: a token continues only its own search, one ` +
        'page at a time. Start the walk again at page 1.',
    ];
  }
  return undefined;
}

function maybeFor(action: string): string {
  return action === 'DeleteStream'
    ? ' The streams may or may not have been deleted: list the video’s streams before trying again.'
    : ' Try again later.';
}
