import { AppError } from '../errors.js';
import type { AuditEntry } from '../requests/audit-entry.js';
import { previewDeletion } from '../requests/deletion-preview.js';
import { type DeletionRequest, dedupeKeyFor } from '../requests/deletion-request.js';
import { parseReason } from '../requests/reason.js';
import { approvalsFor, requestRisks } from '../requests/risk.js';
import type { DeletionWorkflow, WorkflowContext } from './deletion-workflow.js';

/**
 * Making a request: the reason checked, an approver configured (fail closed), an identical pending request
 * returned instead of a duplicate, the preview read from VOD, and the request stored with its `created` entry.
 * The database's partial unique index settles two identical requests made at the same moment.
 */
export function createRequestDeletion(
  ctx: WorkflowContext,
  expire: (request: DeletionRequest) => Promise<boolean>,
): DeletionWorkflow['requestDeletion'] {
  const { store, clock } = ctx;

  /** An identical request still pending, among the video's open ones; one past its expiry is expired on the way. */
  const findPending = async (dedupeKey: string, open: readonly DeletionRequest[]) => {
    const same = open.find((r) => r.status === 'pending' && r.dedupeKey === dedupeKey);
    if (!same) return undefined;
    if (same.expiresAt > clock.now()) return same;
    await expire(same);
    return undefined;
  };

  return async (input) => {
    const { videoId, jobIds } = input;
    const reason = parseReason(input.reason);
    if (!ctx.approvers.configured) {
      throw new AppError(
        'CONFIG',
        'No approver is configured, so no deletion request could ever be approved. ' +
          'Set VOD_OPS_APPROVERS (or VOD_OPS_APPROVER_GROUP) to the people who may approve.',
      );
    }
    const dedupeKey = dedupeKeyFor(videoId, jobIds);
    // The video's open requests: an identical one is returned instead; the others' job IDs weigh on the risk.
    const open = await store.list({ statuses: ['pending', 'approved', 'executing'], videoId, limit: 1000 });
    const identical = await findPending(dedupeKey, open);
    if (identical) return { request: identical, created: false };

    const region = await ctx.vod.resolve(videoId, input.region);
    const preview = await previewDeletion(ctx.vod.in(region), videoId, jobIds);
    const now = clock.now();
    // What the video's other open requests would delete counts as gone: one deletion split into several requests
    // needs the high-risk number too.
    const othersJobIds = new Set(
      open
        .filter((r) => r.status !== 'pending' || r.expiresAt > now)
        .flatMap((r) => r.jobIds.map((id) => id.toLowerCase())),
    );
    const risks = requestRisks(preview, othersJobIds);
    const requiredApprovals = approvalsFor(
      {
        requiredApprovals: ctx.policy.requiredApprovals,
        highRiskApprovals: ctx.policy.highRiskApprovals ?? ctx.policy.requiredApprovals,
      },
      risks,
    );
    const request: DeletionRequest = {
      id: ctx.newId(),
      videoId,
      region,
      jobIds,
      dedupeKey,
      preview,
      reason,
      requester: input.requester,
      createdAt: now,
      expiresAt: now + ctx.policy.ttlMs,
      status: 'pending',
      version: 1,
      requiredApprovals,
      ...(risks.length > 0 ? { risks } : {}),
      votes: [],
      ...(input.announcesItself ? { announcement: { claimedAt: now } } : {}),
    };
    const created: AuditEntry = {
      at: now,
      type: 'created',
      actor: input.requester,
      requestId: request.id,
      videoId,
      details: {
        region,
        jobIds,
        reason,
        expiresAt: request.expiresAt,
        requiredApprovals: request.requiredApprovals,
        ...(risks.length > 0 ? { risks } : {}),
      },
    };
    for (let round = 0; round < 3; round++) {
      const inserted = await store.insert(request, [created]);
      if (inserted.inserted) {
        ctx.events.emit(request, [created]);
        return { request, created: true };
      }
      if (inserted.existing.expiresAt > clock.now()) return { request: inserted.existing, created: false };
      await expire(inserted.existing);
    }
    throw new AppError('CONFLICT', 'An identical request keeps being created at the same moment; try again.');
  };
}
