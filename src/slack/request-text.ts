import type { KnownBlock } from '@slack/types';
import { formatBitrate, formatBytes, plural } from '../core/format.js';
import type { DeletionRequest, RequestStatus } from '../core/requests/deletion-request.js';
import type { Principal } from '../core/requests/principal.js';
import { type RiskReason, riskText } from '../core/requests/risk.js';
import type { Ballot } from '../core/requests/votes.js';
import type { StreamInfo } from '../core/vod/vod-api.js';
import {
  clip,
  code,
  context,
  MAX_LIST_SECTIONS,
  mention,
  quotedWords,
  SECTION_MAX,
  safe,
  section,
  slackDate,
  titleText,
} from './mrkdwn.js';

/** How a deletion request is described in Slack: its streams, approvals, who decided, where it stands. */

export function streamLine(s: StreamInfo, detailed = false): string {
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
export function requestStreamLines(request: DeletionRequest): string[] {
  const streams = request.preview.toDelete ?? [];
  return streams.length > 0 ? streams.map((s) => streamLine(s)) : request.jobIds.map((id) => `• ${code(id)}`);
}

/** A heading and lines in one section text; lines that do not fit become "…and N more". */
export function listText(heading: string, lines: readonly string[], limit = SECTION_MAX): string {
  let text = clip(heading, limit - 40);
  for (const [i, line] of lines.entries()) {
    if (text.length + 1 + line.length > limit - 40) return `${text}\n…and ${lines.length - i} more`;
    text += `\n${line}`;
  }
  return text;
}

/** Lines packed into sections of at most 3000 characters; `total` lines exist, those not shown are counted. */
export function listSections(lines: readonly string[], what: string, total = lines.length): KnownBlock[] {
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

/** What was voted on, a request or a campaign: its votes, and the decision that ended the vote. */
type Decided = Ballot & Pick<DeletionRequest, 'decision'>;

export const approvalCount = (r: Ballot) => r.votes.filter((v) => v.decision === 'approve').length;

/** "1 of 2 approvals (@a)", and why it needs that many when the deletion is high risk. */
export function approvalsLine(
  request: Ballot & { risks?: readonly RiskReason[]; largeAbove?: number },
): string {
  const approvers = request.votes.filter((v) => v.decision === 'approve').map((v) => mention(v.approver));
  const line = `${approvalCount(request)} of ${plural(request.requiredApprovals, 'approval')}`;
  const risk = request.risks?.length
    ? ` · high risk: ${request.risks.map((r) => riskText(r, request.largeAbove)).join('; ')}`
    : '';
  return (approvers.length > 0 ? `${line} (${approvers.join(', ')})` : line) + risk;
}

/** Who approved it, in words: "@a", "@a and @b". */
export function approvedBy(request: Decided): string {
  const approvers = request.votes.filter((v) => v.decision === 'approve').map((v) => mention(v.approver));
  if (approvers.length === 0) return mention(request.decision?.by);
  return approvers.length === 1
    ? (approvers[0] ?? '')
    : `${approvers.slice(0, -1).join(', ')} and ${approvers.at(-1)}`;
}

export function failureText(error: NonNullable<NonNullable<DeletionRequest['execution']>['error']>): string {
  const detail = [`code ${code(error.vodCode ?? error.code)}`];
  if (error.requestId) detail.push(`RequestId ${code(error.requestId)}`);
  return `${safe(error.message, 500)} (${detail.join(', ')})`;
}

/** One line saying where the request stands, with who decided. */
export function statusLine(request: DeletionRequest): string {
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
      return `:no_entry_sign: Rejected by ${mention(request.decision?.by)}. Nothing was deleted.`;
    case 'expired':
      return `:alarm_clock: Expired at ${slackDate(request.expiresAt)} without a decision. Nothing was deleted.`;
    case 'cancelled':
      return `:heavy_minus_sign: Cancelled by ${mention(request.decision?.by)}. Nothing was deleted.`;
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
export const headerFor = (r: DeletionRequest) => HEADERS[r.status](plural(r.jobIds.length, 'stream'));

export const videoSummary = (r: DeletionRequest, titleMax = 300) =>
  `${titleText(r.preview.video?.title ?? '', titleMax)} (${code(r.videoId)}${r.region ? `, ${safe(r.region, 40)}` : ''})`;

/** The words of whoever ended the pending phase (a rejection's or a cancellation's reason), quoted. */
export function decisionWords(request: Pick<DeletionRequest, 'decision'>): KnownBlock[] {
  const decision = request.decision;
  if (!decision?.by || (decision.outcome !== 'rejected' && decision.outcome !== 'cancelled')) return [];
  const verb = decision.outcome === 'rejected' ? 'rejecting' : 'cancelling';
  return quotedWords(`Reason given by ${mention(decision.by)} for ${verb}:`, decision.reason);
}

/** The requester's reason, quoted. */
export const requestWords = (request: { requester: Principal; reason?: string }): KnownBlock[] =>
  quotedWords(`Reason given by ${mention(request.requester)}:`, request.reason);
