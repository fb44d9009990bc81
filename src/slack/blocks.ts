import type { ActionsBlock, Button, KnownBlock, View } from '@slack/types';
import { formatBytes, formatDuration, plural } from '../core/format.js';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import { MAX_REASON_LENGTH } from '../core/requests/reason.js';
import {
  clip,
  code,
  context,
  fallback,
  fields,
  header,
  mention,
  plain,
  requesterText,
  type SlackContext,
  type SlackMessage,
  safe,
  sandboxBlocks,
  section,
  slackDate,
  titleText,
} from './mrkdwn.js';
import {
  approvalsLine,
  decisionWords,
  headerFor,
  listText,
  requestStreamLines,
  requestWords,
  statusLine,
  streamLine,
  videoSummary,
} from './request-text.js';

/**
 * Pure Block Kit builders for the `/vod` command and the approval message. Every result stays within Slack's
 * limits whatever the input (user text is escaped and cut with "…"), and carries a plain `text` fallback for
 * notifications. Buttons carry only the opaque request id: everything else is loaded from the store.
 * @see https://docs.slack.dev/reference/block-kit/blocks
 */

export const ACTION_APPROVE = 'vod_approve';
export const ACTION_REJECT = 'vod_reject';
export const VIEW_REJECT = 'vod_reject_reason';
export const REJECT_REASON_BLOCK = 'reason';
export const REJECT_REASON_INPUT = 'reason_input';

/**
 * Approve (with its confirmation) and Reject for a pending request: the same buttons wherever they are shown (the
 * approval message, the App Home), each carrying only the request id. `blockId` must be unique in its view.
 */
export function decisionButtons(request: DeletionRequest, blockId = 'vod_decision'): ActionsBlock {
  const n = plural(request.jobIds.length, 'stream');
  const approve: Button = {
    type: 'button',
    action_id: ACTION_APPROVE,
    text: plain('Approve', 75),
    style: 'primary',
    value: clip(request.id, 2000),
    confirm: {
      title: plain(`Delete ${n}?`, 100),
      text: plain(
        `This irreversibly deletes ${n} of video ${request.videoId}, with ${request.jobIds.length === 1 ? 'its file' : 'their files'}. ` +
          'This cannot be undone.',
        300,
      ),
      confirm: plain(`Delete ${n}`, 30),
      deny: plain('Cancel', 30),
      style: 'danger',
    },
  };
  const reject: Button = {
    type: 'button',
    action_id: ACTION_REJECT,
    text: plain('Reject', 75),
    style: 'danger',
    value: clip(request.id, 2000),
  };
  return { type: 'actions', block_id: clip(blockId, 255), elements: [approve, reject] };
}

/** The message approvers decide on: exactly what would be deleted, what remains, why, and until when. */
export function approvalMessage(request: DeletionRequest, ctx: SlackContext): SlackMessage {
  const { preview } = request;
  const video = preview.video;
  const warnings = [...(preview.warnings ?? [])];
  if (preview.leavesNoPlayableStream && warnings.length === 0) {
    warnings.push('No playable stream would remain: players of this video would stop working.');
  }
  const remaining = preview.remaining ?? [];
  const freed =
    formatBytes(preview.freedBytes) +
    (preview.unsizedCount > 0 ? ` + ${plural(preview.unsizedCount, 'stream')} of unknown size` : '');
  const blocks: KnownBlock[] = [
    header(headerFor({ ...request, status: 'pending' })),
    ...sandboxBlocks(ctx),
    fields(
      `*Requested by*\n${requesterText(request.requester)}`,
      `*Video*\n${titleText(video?.title ?? '')}\n${code(request.videoId)} · ${safe(video?.status ?? 'unknown', 40)}` +
        (video?.durationSeconds !== undefined ? ` · ${formatDuration(video.durationSeconds)}` : '') +
        (request.region ? ` · ${safe(request.region, 40)}` : ''),
    ),
  ];
  if (warnings.length > 0) {
    const heading = preview.leavesNoPlayableStream
      ? ':warning: *Careful: no playable stream would remain.*'
      : ':warning: *Careful:*';
    blocks.push(
      section(
        listText(
          heading,
          warnings.map((w) => `• ${safe(w, 500)}`),
        ),
      ),
    );
  }
  blocks.push(
    section(listText(`*Streams to delete (${request.jobIds.length}):*`, requestStreamLines(request))),
    section(
      remaining.length === 0
        ? '*What remains:* nothing'
        : listText(
            `*What remains (${remaining.length}):*`,
            remaining.slice(0, 10).map((s) => streamLine(s)),
          ) + (remaining.length > 10 ? `\n…and ${remaining.length - 10} more` : ''),
    ),
    ...requestWords(request),
    fields(
      `*Frees*\n${freed}`,
      `*Expires*\n${slackDate(request.expiresAt)}`,
      `*Request*\n${code(request.id)}`,
      `*Approvals*\n${approvalsLine(request)}`,
    ),
    decisionButtons(request),
  );
  return {
    text: fallback(
      ctx,
      `Approval needed: delete ${plural(request.jobIds.length, 'stream')} of video ${safe(request.videoId, 100)} ` +
        `(${safe(request.id, 100)}), requested by ${mention(request.requester)}`,
    ),
    blocks,
  };
}

/**
 * The approval message once the pending phase is over: no buttons, a status line saying who decided and what
 * happened. For a request still pending (some votes in, quorum not reached) it is the approval message itself.
 */
export function decidedMessage(request: DeletionRequest, ctx: SlackContext): SlackMessage {
  if (request.status === 'pending') return approvalMessage(request, ctx);
  const status = statusLine(request);
  const listHeading =
    request.status === 'succeeded'
      ? 'Deleted'
      : request.status === 'approved' || request.status === 'executing'
        ? 'Deleting'
        : 'Not deleted';
  return {
    text: fallback(
      ctx,
      `${status} (${plural(request.jobIds.length, 'stream')} of video ${safe(request.videoId, 100)})`,
    ),
    blocks: [
      header(headerFor(request)),
      ...sandboxBlocks(ctx),
      section(status),
      ...decisionWords(request),
      section(`*Video:* ${videoSummary(request)}\n*Requested by:* ${requesterText(request.requester)}`),
      ...requestWords(request),
      section(listText(`*${listHeading} (${request.jobIds.length}):*`, requestStreamLines(request))),
      context(
        `Request ${code(request.id)} · ${approvalsLine(request)} · frees ${formatBytes(request.preview.freedBytes)}`,
      ),
    ],
  };
}

/** The details of an execution for a thread reply: outcome, Alibaba RequestIds, attempts, error, job IDs. */
export function outcomeThreadReply(request: DeletionRequest, ctx: Partial<SlackContext> = {}): SlackMessage {
  const ex = request.execution;
  const status = statusLine(request);
  const deleted = request.status === 'succeeded';
  const blocks: KnownBlock[] = [
    ...sandboxBlocks(ctx),
    section(status),
    section(
      listText(
        `*${deleted ? 'Job IDs deleted' : 'Job IDs (not deleted)'} (${request.jobIds.length}):*`,
        request.jobIds.map((id) => `• ${code(id)}`),
      ),
    ),
  ];
  const requestIds = ex?.requestIds?.length ? ex.requestIds : ex?.requestId ? [ex.requestId] : [];
  const errorRequestId = ex?.error?.requestId;
  if (errorRequestId && !requestIds.includes(errorRequestId)) requestIds.push(errorRequestId);
  if (requestIds.length > 0) {
    blocks.push(
      section(
        listText(
          '*Alibaba RequestIds:*',
          requestIds.map((id, i) => `• ${code(id)}${requestIds.length > 1 ? ` (attempt ${i + 1})` : ''}`),
        ),
      ),
    );
  }
  if (ex?.error) {
    const codes = [`code ${code(ex.error.code)}`];
    if (ex.error.vodCode) codes.push(`Alibaba code ${code(ex.error.vodCode)}`);
    if (ex.error.httpStatus) codes.push(`HTTP ${ex.error.httpStatus}`);
    blocks.push(section(`*Error:* ${safe(ex.error.message, 1000)}\n${codes.join(' · ')}`));
  }
  if (ex) {
    const facts = [`DeleteStream calls: ${requestIds.length || 'unknown'}`, `claims: ${ex.claims}`];
    if (ex.claims > 1) facts.push('resumed after an interruption');
    facts.push(`started ${slackDate(ex.startedAt)}`);
    if (ex.finishedAt !== undefined) facts.push(`finished ${slackDate(ex.finishedAt)}`);
    blocks.push(context(facts.join(' · '), `Request ${code(request.id)}`));
  } else {
    blocks.push(context(`Nothing was sent to Alibaba. Request ${code(request.id)}`));
  }
  return { text: fallback(ctx, status), blocks };
}

/** Marks, in a reject modal's `private_metadata`, where the Reject button was: the App Home, a direct message. */
const FROM_HOME = 'home:';
const FROM_DIRECT_MESSAGE = 'dm:';

/** Where a Reject button was clicked: on a channel's message, on the App Home, or on a copy in a direct message. */
export type RejectOrigin = 'message' | 'home' | 'dm';

/**
 * The modal that asks an approver why they reject a request; the request id travels in `private_metadata`, marked
 * when the Reject button was on the App Home or in a direct message, so the submission is answered there (see
 * `reasonModalSubject`).
 */
export const rejectReasonModal = (requestId: string, from: RejectOrigin = 'message'): View =>
  reasonModal({
    callbackId: VIEW_REJECT,
    id:
      from === 'home'
        ? `${FROM_HOME}${requestId}`
        : from === 'dm'
          ? `${FROM_DIRECT_MESSAGE}${requestId}`
          : requestId,
    title: 'Reject deletion',
    question: `Why do you reject request ${code(requestId)}? The requester and the channel will see your reason.`,
  });

/**
 * What a reject modal's `private_metadata` names: the subject's id, and where its Reject button was. Slack returns
 * the metadata the app set, signed; ids (`dr-…`, `cp-…`) never contain the marks' colon.
 */
export function reasonModalSubject(privateMetadata: string): { id: string; from: RejectOrigin } {
  for (const [mark, from] of [
    [FROM_HOME, 'home'],
    [FROM_DIRECT_MESSAGE, 'dm'],
  ] as const) {
    if (privateMetadata.startsWith(mark)) return { id: privateMetadata.slice(mark.length), from };
  }
  return { id: privateMetadata, from: 'message' };
}

/**
 * A modal asking an approver why they reject something (a request, a campaign): the reason is required, and the
 * subject's id travels in `private_metadata`, for the submission's listener to load everything else.
 */
export function reasonModal(input: {
  callbackId: string;
  id: string;
  title: string;
  question: string;
}): View {
  return {
    type: 'modal',
    callback_id: input.callbackId,
    private_metadata: clip(input.id, 3000),
    title: plain(input.title, 24),
    submit: plain('Reject', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(input.question),
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK,
        label: plain('Reason', 2000),
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_INPUT,
          multiline: true,
          max_length: MAX_REASON_LENGTH,
          placeholder: plain('e.g. this rendition is still used by the mobile app', 150),
        },
      },
    ],
  };
}

export type { SlackContext, SlackMessage } from './mrkdwn.js';
export { clip, escapeMrkdwn, mention, slackDate } from './mrkdwn.js';
export {
  helpMessage,
  pendingListMessage,
  refusalText,
  requestStatusMessage,
  streamsMessage,
} from './replies.js';
