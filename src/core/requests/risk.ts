import { formatBytes } from '../format.js';

/**
 * Why a deletion is riskier than most, so that it needs more approvals (`VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK`):
 * - `no_playable_stream_left`: a request that leaves its video with no stream that plays;
 * - `large_campaign`: a campaign that frees more than `VOD_OPS_LARGE_CAMPAIGN_BYTES`;
 * - `last_playable_unguarded`: a campaign whose rule lifts the guard that keeps each video's last playable stream.
 */
export type RiskReason = 'no_playable_stream_left' | 'large_campaign' | 'last_playable_unguarded';

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

/** Each risk in a sentence a person reads beside the approvals it asks for. */
export function riskText(reason: RiskReason, policy?: Pick<ApprovalPolicy, 'largeCampaignBytes'>): string {
  switch (reason) {
    case 'no_playable_stream_left':
      return 'no playable stream would remain';
    case 'large_campaign':
      return policy?.largeCampaignBytes === undefined
        ? 'it frees more than the size set as large'
        : `it frees more than ${formatBytes(policy.largeCampaignBytes)}`;
    case 'last_playable_unguarded':
      return "its rule may delete a video's last playable stream";
  }
}

/** "High risk (…, …): needs N approvals", or nothing for a deletion without risk. */
export function riskSummary(
  risks: readonly RiskReason[] | undefined,
  required: number,
  policy?: Pick<ApprovalPolicy, 'largeCampaignBytes'>,
): string | undefined {
  if (!risks || risks.length === 0) return undefined;
  const why = risks.map((r) => riskText(r, policy)).join('; ');
  return `High risk (${why}): needs ${required} approval${required === 1 ? '' : 's'}.`;
}
