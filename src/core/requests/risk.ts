import { formatBytes } from '../format.js';
import { type DeletionPreview, isPlayableStream } from './deletion-preview.js';

/**
 * Why a deletion is riskier than most, so that it needs more approvals (`VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK`):
 * - `no_playable_stream_left`: a request that leaves its video with no stream that plays;
 * - `no_playable_stream_left_with_others`: one that does so together with the video's other open requests (so
 *   that splitting one deletion into several requests does not avoid the rule);
 * - `large_campaign`: a campaign that frees more than `VOD_OPS_LARGE_CAMPAIGN_BYTES`;
 * - `last_playable_unguarded`: a campaign whose rule lifts the guard that keeps each video's last playable stream.
 */
export type RiskReason =
  | 'no_playable_stream_left'
  | 'no_playable_stream_left_with_others'
  | 'large_campaign'
  | 'last_playable_unguarded';

/** The approvals rule: how many most deletions need, how many a high-risk one needs, and what "large" is. */
export interface ApprovalPolicy {
  requiredApprovals: number;
  /** At least `requiredApprovals`; the same number when no stricter rule is configured. */
  highRiskApprovals: number;
  /** A campaign freeing more bytes than this is high risk; absent: size alone never is. */
  largeCampaignBytes?: number;
}

/** The approvals a deletion with these risks needs: the high-risk number when there is any risk. */
export function approvalsFor(policy: ApprovalPolicy, risks: readonly RiskReason[]): number {
  return risks.length > 0
    ? Math.max(policy.requiredApprovals, policy.highRiskApprovals)
    : policy.requiredApprovals;
}

/**
 * Each risk in words a person reads beside the approvals it asks for; `largeAbove`, the size that was large when
 * the campaign was planned, as the campaign recorded it.
 */
export function riskText(reason: RiskReason, largeAbove?: number): string {
  switch (reason) {
    case 'no_playable_stream_left':
      return 'no playable stream would remain';
    case 'no_playable_stream_left_with_others':
      return "with the video's other open requests, no playable stream would remain";
    case 'large_campaign':
      return largeAbove === undefined
        ? 'it frees more than the size set as large'
        : `it frees more than ${formatBytes(largeAbove)}`;
    case 'last_playable_unguarded':
      return "its rule may delete a video's last playable stream";
  }
}

/**
 * The risks of a request, from its preview and the job IDs the video's other open requests (pending, approved or
 * executing) would delete: counted as gone, so that splitting one deletion into several requests does not avoid
 * the high-risk number.
 */
export function requestRisks(preview: DeletionPreview, othersJobIds: ReadonlySet<string>): RiskReason[] {
  if (preview.leavesNoPlayableStream) return ['no_playable_stream_left'];
  const left = preview.remaining.filter(
    (s) => !othersJobIds.has(s.jobId.toLowerCase()) && isPlayableStream(preview.video, s),
  );
  return left.length === 0 ? ['no_playable_stream_left_with_others'] : [];
}
