import { formatBytes, formatDuration } from '../core/format.js';
import type { AuditEntry } from '../core/requests/audit-entry.js';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import type { Principal } from '../core/requests/principal.js';
import { riskText } from '../core/requests/risk.js';
import { renderPreview, renderTable } from './render.js';

/** Terminal rendering of requests and audit entries. Pure. */

const iso = (ms: number | undefined) =>
  ms === undefined ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z');

function principalLabel(p: Principal | undefined): string {
  if (!p) return '-';
  const who =
    p.displayName && p.displayName !== p.id
      ? `${p.displayName} (${p.source}:${p.id})`
      : `${p.source}:${p.id}`;
  return p.clientName ? `${who} via ${p.clientName}` : who;
}

/** A pending request past its expiry is expired, even before a sweeper has recorded it. */
function shownStatus(request: DeletionRequest, now: number): string {
  return request.status === 'pending' && now >= request.expiresAt ? 'expired' : request.status;
}

export function renderRequestTable(requests: readonly DeletionRequest[], now: number): string {
  if (requests.length === 0) return '(no deletion requests)';
  return renderTable(
    ['ID', 'STATUS', 'VIDEO', 'STREAMS', 'FREES', 'REQUESTER', 'CREATED', 'EXPIRES'],
    requests.map((r) => [
      r.id,
      shownStatus(r, now),
      r.videoId,
      String(r.jobIds.length),
      formatBytes(r.preview.freedBytes),
      principalLabel(r.requester),
      iso(r.createdAt),
      r.status === 'pending' ? iso(r.expiresAt) : '-',
    ]),
  );
}

export function renderRequest(request: DeletionRequest, trail: readonly AuditEntry[], now: number): string {
  const approvals = request.votes.filter((v) => v.decision === 'approve').length;
  const lines = [
    `Request ${request.id}: ${shownStatus(request, now).toUpperCase()}`,
    `Requested by ${principalLabel(request.requester)} at ${iso(request.createdAt)}; expires ${iso(request.expiresAt)}`,
    `Reason: ${request.reason || '(none given)'}`,
    `Approvals: ${approvals} of ${request.requiredApprovals}` +
      (request.risks?.length ? ` (high risk: ${request.risks.map((r) => riskText(r)).join('; ')})` : ''),
    ...(request.region ? [`Region: ${request.region}`] : []),
    ...request.votes.map(
      (v) =>
        `  ${v.decision === 'approve' ? 'approved' : 'rejected'} by ${principalLabel(v.approver)} at ${iso(v.at)}${v.reason ? `: ${v.reason}` : ''}`,
    ),
  ];
  if (request.decision) {
    lines.push(
      `Decision: ${request.decision.outcome}${request.decision.by ? ` by ${principalLabel(request.decision.by)}` : ''} at ${iso(request.decision.at)}${request.decision.reason ? ` (${request.decision.reason})` : ''}`,
    );
  }
  const ex = request.execution;
  if (ex) {
    lines.push(
      `Execution: by ${ex.owner}, claim ${ex.claims}, started ${iso(ex.startedAt)}, finished ${iso(ex.finishedAt)}`,
    );
    if (ex.requestId)
      lines.push(
        `  Alibaba RequestId: ${ex.requestId}${ex.alreadyDeleted ? ' (already deleted by an earlier attempt)' : ''}`,
      );
    if (ex.error)
      lines.push(
        `  Failed: ${ex.error.message}${ex.error.requestId ? ` (Alibaba RequestId ${ex.error.requestId})` : ''}`,
      );
  }
  lines.push('', 'What was shown when it was requested:', renderPreview(request.preview), '', 'Audit trail:');
  lines.push(...trail.map(renderAuditLine));
  return lines.join('\n');
}

/** One audit entry on one line: for a request's own trail (`requests show`). */
export function renderAuditLine(entry: AuditEntry): string {
  const [at, type, ...rest] = auditCells(entry);
  return [at, (type ?? '').padEnd(15), ...rest].join('  ').trimEnd();
}

function auditCells(entry: AuditEntry): string[] {
  const details =
    nudgeText(entry) ??
    Object.entries(entry.details)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
  return [
    iso(entry.at),
    entry.type,
    entry.requestId ?? '-',
    entry.videoId,
    principalLabel(entry.actor),
    details,
  ];
}

/** A reminder or an escalation in words: `reminded approvers (2nd reminder, before expiry; 0/1 approvals)`. */
function nudgeText(entry: AuditEntry): string | undefined {
  const d = entry.details;
  const ballot = typeof d.approvals === 'number' ? `; ${d.approvals}/${String(d.required)} approvals` : '';
  if (entry.type === 'reminded') {
    const count = typeof d.count === 'number' ? `${ordinal(d.count)} reminder` : 'reminder';
    const when = d.kind === 'before_expiry' ? ', before expiry' : '';
    return `reminded approvers (${count}${when}${ballot})`;
  }
  if (entry.type === 'escalated') {
    const to = typeof d.group === 'string' ? ` to ${d.group}` : '';
    const after = typeof d.afterMs === 'number' ? ` after ${formatDuration(d.afterMs / 1000)}` : '';
    return `escalated${to}${after}${ballot ? ` (${ballot.slice(2)})` : ''}`;
  }
  return undefined;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** The audit trail as a table with its header, oldest first; says so when there is nothing (to show). */
export function renderAuditTable(entries: readonly AuditEntry[], filtered: boolean): string {
  if (entries.length === 0) return filtered ? '(no audit entries match)' : '(no audit entries yet)';
  return renderTable(
    ['TIME', 'EVENT', 'REQUEST', 'VIDEO', 'BY', 'DETAILS'],
    entries.map((e) => auditCells(e)),
  );
}
