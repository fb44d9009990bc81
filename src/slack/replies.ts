import type { KnownBlock } from '@slack/types';
import { formatBytes, formatDuration, plural } from '../core/format.js';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import type { Principal } from '../core/requests/principal.js';
import type { StreamInfo, VideoDetails } from '../core/vod/vod-api.js';
import type { WorkflowRefusal } from '../core/workflow/deletion-workflow.js';
import {
  clip,
  code,
  context,
  fallback,
  fields,
  header,
  MAX_REQUESTS_LISTED,
  MAX_STREAMS_LISTED,
  mention,
  requesterText,
  SECTION_MAX,
  type SlackContext,
  type SlackMessage,
  safe,
  sandboxBlocks,
  section,
  slackDate,
  titleText,
} from './mrkdwn.js';
import {
  approvalCount,
  approvalsLine,
  decisionWords,
  failureText,
  listSections,
  listText,
  requestStreamLines,
  requestWords,
  statusLine,
  streamLine,
  videoSummary,
} from './request-text.js';

/** The private answers to `/vod streams`, `status`, `pending`, `help`, and the sentences for refusals. */

/** Every stream of a video (job ID, definition, format, size, bitrate), for `/vod streams`. */
export function streamsMessage(
  video: Omit<VideoDetails, 'requestId'>,
  streams: readonly StreamInfo[],
  ctx: SlackContext,
  region?: string,
): SlackMessage {
  const facts = [code(video.videoId), safe(video.status, 40), formatDuration(video.durationSeconds)];
  if (video.sourceSizeBytes !== undefined) facts.push(`source ${formatBytes(video.sourceSizeBytes)}`);
  if (region) facts.push(safe(region, 40));
  return {
    text: fallback(
      ctx,
      `Video ${safe(video.videoId, 100)} has ${plural(streams.length, 'transcoded stream')}`,
    ),
    blocks: [
      header(`${plural(streams.length, 'transcoded stream')}`),
      ...sandboxBlocks(ctx),
      section(`${titleText(video.title)}\n${facts.join(' · ')}`),
      ...(streams.length === 0
        ? [section('This video has no transcoded streams.')]
        : listSections(
            streams.slice(0, MAX_STREAMS_LISTED).map((s) => streamLine(s, true)),
            'streams',
            streams.length,
          )),
      context('To delete some: `/vod delete-stream VideoId JobId[,JobId...] reason`'),
    ],
  };
}

/** Where a request stands, for `/vod status`: who asked, votes, decision, execution outcome. */
export function requestStatusMessage(
  request: DeletionRequest,
  ctx: Partial<SlackContext> = {},
): SlackMessage {
  const status = statusLine(request);
  const votes = request.votes.map(
    (v) =>
      `• ${v.decision === 'approve' ? 'approved' : 'rejected'} by ${mention(v.approver)} ${slackDate(v.at)}`,
  );
  const blocks: KnownBlock[] = [
    header(`Deletion request ${request.id}`),
    ...sandboxBlocks(ctx),
    section(`*Status:* ${request.status}\n${status}`),
    ...decisionWords(request),
    fields(
      `*Requested by*\n${requesterText(request.requester)}`,
      `*Created*\n${slackDate(request.createdAt)}`,
      `*Expires*\n${slackDate(request.expiresAt)}`,
      `*Approvals*\n${approvalsLine(request)}`,
    ),
    section(`*Video:* ${videoSummary(request)}`),
    ...requestWords(request),
    section(listText(`*Streams (${request.jobIds.length}):*`, requestStreamLines(request))),
  ];
  if (votes.length > 0) blocks.push(section(listText('*Votes:*', votes)));
  const ex = request.execution;
  if (ex) {
    const outcome = ex.error
      ? `failed: ${failureText(ex.error)}`
      : ex.requestId
        ? `succeeded, Alibaba RequestId ${code(ex.requestId)}${ex.alreadyDeleted ? ' (already deleted by an earlier attempt)' : ''}`
        : 'running';
    blocks.push(section(`*Execution:* ${outcome}`));
  }
  return { text: fallback(ctx, `Request ${safe(request.id, 100)}: ${request.status}`), blocks };
}

/** The open requests, for `/vod pending`. */
export function pendingListMessage(
  requests: readonly DeletionRequest[],
  ctx: Partial<SlackContext> = {},
): SlackMessage {
  if (requests.length === 0) {
    return {
      text: fallback(ctx, 'No open deletion requests.'),
      blocks: [...sandboxBlocks(ctx), section('No open deletion requests.')],
    };
  }
  const lines = requests
    .slice(0, MAX_REQUESTS_LISTED)
    .map((r) =>
      clip(
        `• ${code(r.id)} — ${plural(r.jobIds.length, 'stream')} of ${videoSummary(r, 60)} · asked by ` +
          `${requesterText(r.requester)} · ${approvalsLine(r)} · expires ${slackDate(r.expiresAt)}`,
        SECTION_MAX,
      ),
    );
  return {
    text: fallback(ctx, `${plural(requests.length, 'open deletion request')}`),
    blocks: [
      header(`Open deletion requests (${requests.length})`),
      ...sandboxBlocks(ctx),
      ...listSections(lines, 'requests', requests.length),
    ],
  };
}

/** Usage of `/vod` and how approval works. */
export function helpMessage(ctx: Partial<SlackContext> = {}): SlackMessage {
  const usage = [
    [
      '/vod delete-stream <VideoId> <JobId>[,<JobId>...] [reason...]',
      'ask for streams of a video to be deleted',
    ],
    ['/vod streams <VideoId>', "list a video's transcoded streams (only you see it)"],
    ['/vod status <request-id>', 'where a deletion request stands'],
    ['/vod pending', 'open deletion requests'],
    ['/vod cancel <request-id>', 'withdraw a pending request (requester or approver)'],
    ['/vod cleanup status <campaign-id>', 'where a library clean-up campaign stands, with its progress'],
    ['/vod cleanup pending', 'clean-up campaigns awaiting approval'],
    ['/vod help', 'this help'],
  ].map(([command, what]) => `• ${code(command ?? '')} — ${what}`);
  return {
    text: fallback(ctx, 'Usage: /vod delete-stream | streams | status | pending | cancel | cleanup | help'),
    blocks: [
      ...sandboxBlocks(ctx),
      section(`*Usage*\n${usage.join('\n')}`),
      section(
        '*How approval works:* a deletion request shows exactly which streams would be deleted and what remains. ' +
          'An approver who is not the requester clicks *Approve* (or *Reject*, with a reason); when enough approvals ' +
          'are in, vod-ops calls DeleteStream once and posts the outcome with the Alibaba RequestId. ' +
          'Requests nobody decides on expire.',
      ),
    ],
  };
}

/** A short sentence explaining why an action was refused, for an ephemeral reply. */
export function refusalText(
  refusal: WorkflowRefusal,
  request?: DeletionRequest,
  requestId: string | undefined = request?.id,
): string {
  const id = requestId ? safe(requestId, 100) : undefined;
  const by = (p: Principal | undefined) => (p ? ` by ${mention(p)}` : '');
  switch (refusal.kind) {
    case 'already_decided':
      switch (refusal.status) {
        case 'approved':
        case 'executing':
          return `This request was already approved${by(refusal.decidedBy)}.`;
        case 'succeeded':
          return refusal.decidedBy
            ? `This request was already deleted (approved${by(refusal.decidedBy)}).`
            : 'This request was already deleted.';
        case 'failed':
          return `This request failed after approval${by(refusal.decidedBy)}; see the message thread for the error.`;
        case 'rejected':
          return `This request was already rejected${by(refusal.decidedBy)}.`;
        case 'cancelled':
          return `This request was already cancelled${by(refusal.decidedBy)}.`;
        case 'expired':
          return 'This request already expired without a decision; ask for a new one.';
        case 'pending':
          return 'This request is still pending.';
      }
      break;
    case 'expired':
      return `This request expired at ${slackDate(refusal.expiresAt)} without a decision; ask for a new one.`;
    case 'cancelled':
      return `This request was cancelled${by(refusal.by)}.`;
    case 'self_approval':
      return (
        'You asked for this deletion, so someone else has to approve it. ' +
        `(To withdraw it, use /vod cancel ${id ?? 'with its request id'}.)`
      );
    case 'not_approver':
      return (
        'You are not an approver for stream deletions. ' +
        'Approvers are set by VOD_OPS_APPROVERS or the VOD_OPS_APPROVER_GROUP user group.'
      );
    case 'already_voted': {
      const did = refusal.vote.decision === 'approve' ? 'approved' : 'rejected';
      return request
        ? `You already ${did} this request; it needs ${plural(request.requiredApprovals, 'approval')} ` +
            `from different approvers (${approvalCount(request)} so far).`
        : `You already ${did} this request; it needs approvals from other approvers too.`;
    }
    case 'not_allowed_to_cancel':
      return 'Only the requester or an approver can cancel this request.';
    case 'not_found':
      return id ? `No deletion request ${id} exists.` : 'No such deletion request exists.';
  }
  return 'This request can no longer be acted on.';
}
