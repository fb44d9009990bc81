import { z } from 'zod';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import { riskText } from '../core/requests/risk.js';

/** What a model sees of a deletion request: one object whose `status` says where it stands. */
export const RequestView = z.object({
  status: z
    .enum([
      'pending_approval',
      'approved',
      'executing',
      'succeeded',
      'failed',
      'rejected',
      'expired',
      'cancelled',
      'deleted',
      'declined',
    ])
    .describe(
      'pending_approval: waiting for a person in Slack; deleted: executed after the user confirmed (elicit) or ' +
        'at once (none); declined / cancelled: the user said no or dismissed the confirmation, nothing was deleted',
    ),
  requestId: z.string().optional().describe("vod-ops' own request id (dr-…); not Alibaba's RequestId"),
  videoId: z.string(),
  region: z.string().optional().describe('The VOD region that holds the video, where DeleteStream is sent'),
  jobIds: z.array(z.string()),
  reason: z.string().optional(),
  requestedBy: z.string().optional(),
  expiresAt: z
    .string()
    .optional()
    .describe('ISO time after which the request reads expired if nobody decided'),
  approvals: z.number().optional(),
  requiredApprovals: z.number().optional(),
  highRisk: z
    .array(z.string())
    .optional()
    .describe('Why this deletion is high risk and so needs more approvals, when it is'),
  decidedBy: z.string().optional(),
  decisionReason: z.string().optional(),
  alibabaRequestId: z
    .string()
    .optional()
    .describe("Alibaba's RequestId of the DeleteStream call, once executed"),
  alreadyDeleted: z.boolean().optional(),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      alibabaCode: z.string().optional(),
      alibabaRequestId: z.string().optional(),
    })
    .optional(),
  freedBytes: z.number().optional(),
  warnings: z.array(z.string()).optional(),
  created: z
    .boolean()
    .optional()
    .describe('false when an identical pending request already existed and is returned'),
});
export type RequestView = z.infer<typeof RequestView>;

const STATUS: Record<DeletionRequest['status'], RequestView['status']> = {
  pending: 'pending_approval',
  approved: 'approved',
  executing: 'executing',
  succeeded: 'succeeded',
  failed: 'failed',
  rejected: 'rejected',
  expired: 'expired',
  cancelled: 'cancelled',
};

const who = (p: { displayName: string; source: string; id: string } | undefined) =>
  p ? `${p.displayName} (${p.source}:${p.id})` : undefined;

export function toRequestView(request: DeletionRequest, now: number): RequestView {
  const expiredUnswept = request.status === 'pending' && now >= request.expiresAt;
  const ex = request.execution;
  const view: RequestView = {
    status: expiredUnswept ? 'expired' : STATUS[request.status],
    requestId: request.id,
    videoId: request.videoId,
    ...(request.region ? { region: request.region } : {}),
    jobIds: [...request.jobIds],
    reason: request.reason,
    requestedBy: who(request.requester),
    expiresAt: new Date(request.expiresAt).toISOString(),
    approvals: request.votes.filter((v) => v.decision === 'approve').length,
    requiredApprovals: request.requiredApprovals,
    ...(request.risks?.length ? { highRisk: request.risks.map((r) => riskText(r)) } : {}),
    freedBytes: request.preview.freedBytes,
    warnings: request.preview.warnings,
  };
  if (request.decision?.by) view.decidedBy = who(request.decision.by);
  if (request.decision?.reason) view.decisionReason = request.decision.reason;
  if (ex?.requestId) view.alibabaRequestId = ex.requestId;
  if (ex?.alreadyDeleted !== undefined) view.alreadyDeleted = ex.alreadyDeleted;
  if (ex?.error) {
    view.error = {
      code: ex.error.code,
      message: ex.error.message,
      ...(ex.error.vodCode ? { alibabaCode: ex.error.vodCode } : {}),
      ...(ex.error.requestId ? { alibabaRequestId: ex.error.requestId } : {}),
    };
  }
  return view;
}
