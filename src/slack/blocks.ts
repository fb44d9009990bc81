import type {
  ActionsBlock,
  Button,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
  View,
} from '@slack/types';
import type { DeletionRequest, Principal, RequestStatus } from '../core/deletion-request.js';
import { MAX_REASON_LENGTH, type WorkflowRefusal } from '../core/deletion-workflow.js';
import { formatBitrate, formatBytes, formatDuration } from '../core/format.js';
import type { StreamInfo, VideoDetails } from '../core/vod-api.js';

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

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface SlackContext {
  sandbox: boolean;
}

const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
/** Streams or requests listed in one message, so a huge video still gives a message people can read. */
const MAX_STREAMS_LISTED = 100;
const MAX_REQUESTS_LISTED = 50;
const MAX_LIST_SECTIONS = 40;

/** Escapes the characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to at most `max` characters ending in "…", never inside an escape, a `<…>` token or a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && amp > cut.length - 5 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** User or upstream text for mrkdwn: cut to `max` characters first, then escaped. */
const safe = (text: string, max: number) => escapeMrkdwn(clip(text, max));
const code = (text: string) => `\`${safe(text.replace(/`/g, "'"), 100)}\``;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const plain = (text: string, max: number): PlainTextElement => ({
  type: 'plain_text',
  text: clip(text, max) || ' ',
  emoji: true,
});
const mrkdwn = (text: string, max = SECTION_MAX): MrkdwnElement => ({
  type: 'mrkdwn',
  text: clip(text, max) || ' ',
});
const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });
const fields = (...texts: string[]): SectionBlock => ({
  type: 'section',
  fields: texts.slice(0, 10).map((t) => mrkdwn(t, FIELD_MAX)),
});
const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(text, 150) });
const context = (...texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts.slice(0, 10).map((t) => mrkdwn(t)),
});

const SANDBOX_NOTE =
  ':test_tube: *SANDBOX* — this runs against the local VOD emulator; nothing on Alibaba Cloud is touched.';
const sandboxBlocks = (ctx: Partial<SlackContext>): KnownBlock[] =>
  ctx.sandbox ? [context(SANDBOX_NOTE)] : [];
const fallback = (ctx: Partial<SlackContext>, text: string) =>
  clip(`${ctx.sandbox ? '[SANDBOX] ' : ''}${text}`, 3000);

/** Slack renders this in each reader's time zone; the ISO time is the fallback for clients that cannot. */
export function slackDate(ms: number): string {
  if (!Number.isFinite(ms)) return 'an unknown time';
  const seconds = Math.floor(ms / 1000);
  const iso = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso}>`;
}

/** A Slack user as a mention; anyone else by name (and, for an AI assistant, its client's name). */
export function mention(p: Principal | undefined): string {
  if (!p) return 'someone';
  if (p.source === 'slack' && /^[A-Za-z0-9_.-]{1,64}$/.test(p.id)) return `<@${p.id}>`;
  const name = safe(p.displayName || p.id, 80);
  return p.source === 'mcp' && p.clientName ? `${name} (via ${safe(p.clientName, 40)})` : name;
}

function requesterText(p: Principal): string {
  if (p.source === 'mcp') {
    return `AI assistant *${safe(p.clientName ?? 'unknown client', 40)}* for ${safe(p.displayName || p.id, 80)}`;
  }
  return p.source === 'cli' ? `${mention(p)} (command line)` : mention(p);
}

const reasonText = (reason: string | undefined) =>
  reason?.trim() ? safe(reason.trim(), MAX_REASON_LENGTH) : '_(no reason given)_';
const titleText = (title: string, max = 300) =>
  title.trim() ? `*${safe(title.trim(), max)}*` : '_(untitled)_';

function streamLine(s: StreamInfo, detailed = false): string {
  const parts = [safe(s.definition, 20), safe(s.format, 20), formatBytes(s.sizeBytes)];
  if (detailed) {
    parts.push(formatBitrate(s.bitrateKbps));
    if (s.width && s.height) parts.push(`${s.width}×${s.height}`);
    parts.push(safe(s.streamType, 20), safe(s.status, 20));
    if (s.encrypted) parts.push('encrypted');
  }
  return clip(`• ${code(s.jobId)} ${parts.join(' · ')}`, 300);
}

/** The streams of a request, from its preview (or just the job IDs if the preview lacks them). */
function requestStreamLines(request: DeletionRequest): string[] {
  const streams = request.preview.toDelete ?? [];
  return streams.length > 0 ? streams.map((s) => streamLine(s)) : request.jobIds.map((id) => `• ${code(id)}`);
}

/** A heading and lines in one section text; lines that do not fit become "…and N more". */
function listText(heading: string, lines: readonly string[], limit = SECTION_MAX): string {
  let text = clip(heading, limit - 40);
  for (const [i, line] of lines.entries()) {
    if (text.length + 1 + line.length > limit - 40) return `${text}\n…and ${lines.length - i} more`;
    text += `\n${line}`;
  }
  return text;
}

/** Lines packed into sections of at most 3000 characters; `total` lines exist, those not shown are counted. */
function listSections(lines: readonly string[], what: string, total = lines.length): KnownBlock[] {
  const texts: string[] = [];
  let current = '';
  let placed = 0;
  for (const line of lines) {
    if (current && current.length + 1 + line.length > SECTION_MAX) {
      if (texts.length + 1 >= MAX_LIST_SECTIONS) break;
      texts.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : clip(line, SECTION_MAX);
    placed++;
  }
  if (current) texts.push(current);
  const blocks: KnownBlock[] = texts.map(section);
  if (placed < total) blocks.push(context(`…and ${total - placed} more ${what} not shown.`));
  return blocks;
}

const approvalCount = (r: DeletionRequest) => r.votes.filter((v) => v.decision === 'approve').length;

function approvalsLine(request: DeletionRequest): string {
  const approvers = request.votes.filter((v) => v.decision === 'approve').map((v) => mention(v.approver));
  const line = `${approvalCount(request)} of ${plural(request.requiredApprovals, 'approval')}`;
  return approvers.length > 0 ? `${line} (${approvers.join(', ')})` : line;
}

function approvedBy(request: DeletionRequest): string {
  const approvers = request.votes.filter((v) => v.decision === 'approve').map((v) => mention(v.approver));
  if (approvers.length === 0) return mention(request.decision?.by);
  return approvers.length === 1
    ? (approvers[0] ?? '')
    : `${approvers.slice(0, -1).join(', ')} and ${approvers.at(-1)}`;
}

function failureText(error: NonNullable<NonNullable<DeletionRequest['execution']>['error']>): string {
  const detail = [`code ${code(error.vodCode ?? error.code)}`];
  if (error.requestId) detail.push(`RequestId ${code(error.requestId)}`);
  return `${safe(error.message, 500)} (${detail.join(', ')})`;
}

/** One line saying where the request stands, with who decided. */
function statusLine(request: DeletionRequest): string {
  const ex = request.execution;
  switch (request.status) {
    case 'pending':
      return `:hourglass: Waiting for approval: ${approvalsLine(request)}. Expires ${slackDate(request.expiresAt)}.`;
    case 'approved':
    case 'executing':
      return `:hourglass_flowing_sand: Approved by ${approvedBy(request)} — deleting…`;
    case 'succeeded':
      return (
        `:white_check_mark: Deleted by approval of ${approvedBy(request)}. ` +
        `Alibaba RequestId: ${code(ex?.requestId ?? 'unknown')}` +
        (ex?.alreadyDeleted ? ' (already deleted by an earlier attempt)' : '')
      );
    case 'failed':
      return (
        `:x: Approved by ${approvedBy(request)}, but deletion failed: ` +
        (ex?.error ? failureText(ex.error) : 'no details were recorded')
      );
    case 'rejected':
      return `:no_entry_sign: Rejected by ${mention(request.decision?.by)}: ${reasonText(request.decision?.reason)}`;
    case 'expired':
      return `:alarm_clock: Expired at ${slackDate(request.expiresAt)} without a decision. Nothing was deleted.`;
    case 'cancelled': {
      const reason = request.decision?.reason?.trim();
      return `:heavy_minus_sign: Cancelled by ${mention(request.decision?.by)}${reason ? `: ${safe(reason, MAX_REASON_LENGTH)}` : ''}`;
    }
  }
}

const HEADERS: Record<RequestStatus, (streams: string) => string> = {
  pending: (s) => `Delete ${s} of a video?`,
  approved: (s) => `Deleting ${s}…`,
  executing: (s) => `Deleting ${s}…`,
  succeeded: (s) => `Deleted ${s}`,
  failed: (s) => `Deletion of ${s} failed`,
  rejected: () => 'Deletion rejected',
  expired: () => 'Deletion request expired',
  cancelled: () => 'Deletion request cancelled',
};
const headerFor = (r: DeletionRequest) => HEADERS[r.status](plural(r.jobIds.length, 'stream'));

const videoSummary = (r: DeletionRequest, titleMax = 300) =>
  `${titleText(r.preview.video?.title ?? '', titleMax)} (${code(r.videoId)})`;

function decisionButtons(request: DeletionRequest): ActionsBlock {
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
  return { type: 'actions', block_id: 'vod_decision', elements: [approve, reject] };
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
        (video?.durationSeconds !== undefined ? ` · ${formatDuration(video.durationSeconds)}` : ''),
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
    section(`*Reason:* ${reasonText(request.reason)}`),
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
      section(
        `*Video:* ${videoSummary(request)}\n*Requested by:* ${requesterText(request.requester)}\n` +
          `*Reason:* ${reasonText(request.reason)}`,
      ),
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

/** The modal that asks an approver why they reject; the request id travels in `private_metadata`. */
export function rejectReasonModal(requestId: string): View {
  return {
    type: 'modal',
    callback_id: VIEW_REJECT,
    private_metadata: clip(requestId, 3000),
    title: plain('Reject deletion', 24),
    submit: plain('Reject', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(
        `Why do you reject request ${code(requestId)}? The requester and the channel will see your reason.`,
      ),
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

/** Every stream of a video (job ID, definition, format, size, bitrate), for `/vod streams`. */
export function streamsMessage(
  video: VideoDetails,
  streams: readonly StreamInfo[],
  ctx: SlackContext,
): SlackMessage {
  const facts = [code(video.videoId), safe(video.status, 40), formatDuration(video.durationSeconds)];
  if (video.sourceSizeBytes !== undefined) facts.push(`source ${formatBytes(video.sourceSizeBytes)}`);
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
      `• ${v.decision === 'approve' ? 'approved' : 'rejected'} by ${mention(v.approver)} ${slackDate(v.at)}` +
      (v.reason ? `: ${safe(v.reason, 300)}` : ''),
  );
  const blocks: KnownBlock[] = [
    header(`Deletion request ${request.id}`),
    ...sandboxBlocks(ctx),
    section(`*Status:* ${request.status}\n${status}`),
    fields(
      `*Requested by*\n${requesterText(request.requester)}`,
      `*Created*\n${slackDate(request.createdAt)}`,
      `*Expires*\n${slackDate(request.expiresAt)}`,
      `*Approvals*\n${approvalsLine(request)}`,
    ),
    section(`*Video:* ${videoSummary(request)}\n*Reason:* ${reasonText(request.reason)}`),
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
    ['/vod help', 'this help'],
  ].map(([command, what]) => `• ${code(command ?? '')} — ${what}`);
  return {
    text: fallback(ctx, 'Usage: /vod delete-stream | streams | status | pending | cancel | help'),
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
