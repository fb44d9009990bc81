import ms from 'ms';
import { type Env, readDuration, readList, readNumber, readWholeNumber } from '../env.js';
import { AppError } from '../errors.js';
import { defaultRetryPolicy, longestCallMs } from '../vod/call-policy.js';
import type { VodConfig } from '../vod/vod-config.js';

/** How long a planned campaign awaits approval unless `VOD_OPS_CAMPAIGN_TTL` says otherwise. */
export const DEFAULT_CAMPAIGN_TTL_MS = ms('72h');

/** Items one process runs at once: 16 covers ~300 ms per item (a read and a DeleteStream) at 50 calls a second. */
export const DEFAULT_CAMPAIGN_CONCURRENCY = 16;

/** The approval workflow's settings, read from the environment and checked. */
export interface WorkflowSettings {
  /** `VOD_OPS_APPROVERS`: comma- or space-separated principal ids, optionally `source:`-qualified. */
  approvers: string[];
  /** `VOD_OPS_APPROVER_GROUP`: a group a front end resolves (a chat user group id). */
  approverGroup?: string;
  /** `VOD_OPS_APPROVALS_REQUIRED`: distinct approvals needed (default 1). */
  requiredApprovals: number;
  /** `VOD_OPS_REQUEST_TTL`: how long a request stays open (default 24h). */
  ttlMs: number;
  /**
   * How long an execution is held by the process running it before another may resume it:
   * `VOD_OPS_EXECUTION_LEASE_MS`, or by default the longest a DeleteStream can take plus 30 s.
   */
  leaseMs: number;
  /** `VOD_OPS_CAMPAIGN_TTL`: how long a planned clean-up campaign awaits approval (default 72h). */
  campaignTtlMs: number;
  /**
   * `VOD_OPS_CAMPAIGN_CONCURRENCY`: a campaign's items one process runs at once (default 16, 1-64). The account's
   * DeleteStream budget, shared by every process, sets the pace; this only has to cover the calls' latency.
   */
  campaignConcurrency: number;
  /**
   * `VOD_OPS_STORAGE_PRICE_PER_GB_MONTH`: what a GB of storage costs a month, for a campaign's saving. Unset: bytes
   * only, since Alibaba prints no price in its current docs and prices differ by region and storage class.
   */
  storagePricePerGbMonth?: number;
}

/**
 * Reads the workflow settings. The execution lease is checked against `vod` (the VOD settings): a deletion's
 * claim must outlive the longest DeleteStream, retries included, and the GetPlayInfo check that may follow it.
 */
export function loadWorkflowSettings(env: Env, vod: VodConfig): WorkflowSettings {
  const approverGroup = env.VOD_OPS_APPROVER_GROUP?.trim() || undefined;
  const longestDeleteMs =
    2 * longestCallMs({ ...defaultRetryPolicy, maxAttempts: vod.maxAttempts }, vod.timeoutMs);
  return {
    approvers: readList(env, 'VOD_OPS_APPROVERS'),
    ...(approverGroup ? { approverGroup } : {}),
    requiredApprovals: readWholeNumber(env, 'VOD_OPS_APPROVALS_REQUIRED', 1, 1, 10),
    ttlMs: readDuration(env, 'VOD_OPS_REQUEST_TTL', '24h', {
      min: ms('1m'),
      max: ms('30d'),
      described: 'from 1m to 30d',
    }),
    leaseMs: executionLeaseMs(env, longestDeleteMs),
    campaignTtlMs: readDuration(env, 'VOD_OPS_CAMPAIGN_TTL', '72h', {
      min: ms('1h'),
      max: ms('30d'),
      described: 'from 1h to 30d',
    }),
    campaignConcurrency: readWholeNumber(
      env,
      'VOD_OPS_CAMPAIGN_CONCURRENCY',
      DEFAULT_CAMPAIGN_CONCURRENCY,
      1,
      64,
    ),
    ...storagePrice(env),
  };
}

/**
 * Checks that requests could ever be approved with these settings. Run by the processes that take requests (the
 * server), not by commands that only read or record.
 */
export function assertApprovalPolicy(settings: WorkflowSettings): void {
  const { approvers, approverGroup, requiredApprovals } = settings;
  if (!approverGroup && approvers.length > 0 && approvers.length < requiredApprovals) {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_APPROVALS_REQUIRED is ${requiredApprovals} but VOD_OPS_APPROVERS names only ${approvers.length}: ` +
        'no request could ever be approved. Add approvers or lower the number.',
    );
  }
}

function executionLeaseMs(env: Env, longestDeleteMs: number): number {
  if (!env.VOD_OPS_EXECUTION_LEASE_MS?.trim()) return longestDeleteMs + 30_000;
  const leaseMs = readWholeNumber(env, 'VOD_OPS_EXECUTION_LEASE_MS', 0, 100, 3_600_000);
  if (leaseMs < longestDeleteMs) {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_EXECUTION_LEASE_MS=${leaseMs} is shorter than the longest a DeleteStream can take with these ` +
        `settings (${longestDeleteMs} ms, from VOD_MAX_ATTEMPTS and VOD_TIMEOUT_MS): another process could ` +
        'take over a live execution. Raise it, or leave it unset.',
    );
  }
  return leaseMs;
}

function storagePrice(env: Env): { storagePricePerGbMonth?: number } {
  if (!env.VOD_OPS_STORAGE_PRICE_PER_GB_MONTH?.trim()) return {};
  return {
    storagePricePerGbMonth: readNumber(env, 'VOD_OPS_STORAGE_PRICE_PER_GB_MONTH', 0, {
      min: 0,
      max: 1000,
      integer: false,
    }),
  };
}
