import ms from 'ms';
import { type Env, readDuration, readList, readNumber, readWholeNumber } from '../env.js';
import { AppError } from '../errors.js';
import type { ReminderPolicy } from '../requests/reminders.js';
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
  /**
   * `VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK`: approvals a high-risk deletion needs (one that leaves a video with no
   * playable stream, a large campaign, one without the last-playable guard); default `requiredApprovals`.
   */
  highRiskApprovals: number;
  /** `VOD_OPS_LARGE_CAMPAIGN_BYTES`: a campaign freeing more is high risk; unset, size alone never is. */
  largeCampaignBytes?: number;
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
  /**
   * `VOD_OPS_REMIND_AFTER`, `VOD_OPS_REMIND_BEFORE_EXPIRY`, `VOD_OPS_ESCALATE_AFTER` (each unset: off) and what
   * `VOD_OPS_ESCALATION_GROUP` names, as recorded in an `escalated` entry.
   */
  reminders: ReminderPolicy;
  /**
   * `VOD_OPS_ESCALATION_GROUP`: who may also vote on an escalated request, principal ids (`approvers`, the syntax
   * of `VOD_OPS_APPROVERS`) or a chat user group a front end resolves (`group`). Set exactly when
   * `reminders.escalateAfterMs` is.
   */
  escalation?: EscalationApprovers;
}

export type EscalationApprovers = { approvers: string[] } | { group: string };

/** A Slack user group id (`S0614TZR7`): the escalation group is then resolved by the Slack front end. */
const USER_GROUP_ID = /^S[A-Z0-9]{2,}$/;

/**
 * Reads the workflow settings. The execution lease is checked against `vod` (the VOD settings): a deletion's
 * claim must outlive the longest DeleteStream, retries included, and the GetPlayInfo check that may follow it.
 */
export function loadWorkflowSettings(env: Env, vod: VodConfig): WorkflowSettings {
  const approverGroup = env.VOD_OPS_APPROVER_GROUP?.trim() || undefined;
  const requiredApprovals = readWholeNumber(env, 'VOD_OPS_APPROVALS_REQUIRED', 1, 1, 10);
  const highRiskApprovals = readWholeNumber(
    env,
    'VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK',
    requiredApprovals,
    1,
    10,
  );
  if (highRiskApprovals < requiredApprovals) {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK is ${highRiskApprovals}, fewer than VOD_OPS_APPROVALS_REQUIRED ` +
        `(${requiredApprovals}): a riskier deletion cannot need fewer approvals. Raise it, or leave it unset.`,
    );
  }
  const largeCampaignBytes = readSize(env, 'VOD_OPS_LARGE_CAMPAIGN_BYTES');
  const ttlMs = readDuration(env, 'VOD_OPS_REQUEST_TTL', '24h', {
    min: ms('1m'),
    max: ms('30d'),
    described: 'from 1m to 30d',
  });
  const { reminders, escalation } = readReminders(env, ttlMs);
  const longestDeleteMs =
    2 * longestCallMs({ ...defaultRetryPolicy, maxAttempts: vod.maxAttempts }, vod.timeoutMs);
  return {
    approvers: readList(env, 'VOD_OPS_APPROVERS'),
    ...(approverGroup ? { approverGroup } : {}),
    requiredApprovals,
    highRiskApprovals,
    ...(largeCampaignBytes === undefined ? {} : { largeCampaignBytes }),
    ttlMs,
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
    reminders,
    ...(escalation ? { escalation } : {}),
  };
}

/**
 * The reminders and the escalation: each wait at least 1s and shorter than the request's time to live (a nudge due
 * only after the request expired would never be sent), and the escalation's wait and group both set or neither.
 */
function readReminders(
  env: Env,
  ttlMs: number,
): { reminders: ReminderPolicy; escalation?: EscalationApprovers } {
  const ttlText = env.VOD_OPS_REQUEST_TTL?.trim() || '24h (the default)';
  const wait = (name: string): number | undefined => {
    if (!env[name]?.trim()) return undefined;
    const value = readDuration(env, name, '', { min: ms('1s'), max: ms('30d'), described: 'from 1s to 30d' });
    if (value >= ttlMs) {
      throw new AppError(
        'CONFIG',
        `${name}=${env[name]?.trim()} is not shorter than VOD_OPS_REQUEST_TTL=${ttlText}: it would fall due only ` +
          `after requests expire. Shorten ${name}, or lengthen VOD_OPS_REQUEST_TTL.`,
      );
    }
    return value;
  };
  const remindAfterMs = wait('VOD_OPS_REMIND_AFTER');
  const remindBeforeExpiryMs = wait('VOD_OPS_REMIND_BEFORE_EXPIRY');
  const escalateAfterMs = wait('VOD_OPS_ESCALATE_AFTER');
  const escalation = readEscalationApprovers(env);
  if (escalateAfterMs !== undefined && !escalation) {
    throw new AppError(
      'CONFIG',
      'VOD_OPS_ESCALATE_AFTER is set but VOD_OPS_ESCALATION_GROUP is not: there is nobody to escalate to. Add ' +
        'VOD_OPS_ESCALATION_GROUP (a Slack user group id, or principal ids like VOD_OPS_APPROVERS), or unset ' +
        'VOD_OPS_ESCALATE_AFTER.',
    );
  }
  if (escalateAfterMs === undefined && escalation) {
    throw new AppError(
      'CONFIG',
      'VOD_OPS_ESCALATION_GROUP is set but VOD_OPS_ESCALATE_AFTER is not: no request would ever be escalated to ' +
        'it. Add VOD_OPS_ESCALATE_AFTER (a wait like 4h), or unset VOD_OPS_ESCALATION_GROUP.',
    );
  }
  const reminders: ReminderPolicy = {
    ...(remindAfterMs === undefined ? {} : { remindAfterMs }),
    ...(remindBeforeExpiryMs === undefined ? {} : { remindBeforeExpiryMs }),
    ...(escalateAfterMs === undefined ? {} : { escalateAfterMs }),
    ...(escalation
      ? { escalationGroup: 'group' in escalation ? escalation.group : escalation.approvers.join(',') }
      : {}),
  };
  return { reminders, ...(escalation ? { escalation } : {}) };
}

function readEscalationApprovers(env: Env): EscalationApprovers | undefined {
  const raw = env.VOD_OPS_ESCALATION_GROUP?.trim();
  if (!raw) return undefined;
  if (USER_GROUP_ID.test(raw)) return { group: raw };
  return { approvers: readList(env, 'VOD_OPS_ESCALATION_GROUP') };
}

/**
 * Checks that requests could ever be approved with these settings. Run by the processes that take requests (the
 * server), not by commands that only read or record.
 */
export function assertApprovalPolicy(settings: WorkflowSettings): void {
  const { approvers, approverGroup, requiredApprovals, highRiskApprovals } = settings;
  if (!approverGroup && approvers.length > 0 && approvers.length < requiredApprovals) {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_APPROVALS_REQUIRED is ${requiredApprovals} but VOD_OPS_APPROVERS names only ${approvers.length}: ` +
        'no request could ever be approved. Add approvers or lower the number.',
    );
  }
  if (!approverGroup && approvers.length > 0 && approvers.length < highRiskApprovals) {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK is ${highRiskApprovals} but VOD_OPS_APPROVERS names only ` +
        `${approvers.length}: no high-risk request could ever be approved. Add approvers or lower the number.`,
    );
  }
}

/**
 * A size in bytes: a whole number of bytes, or a number with a unit, decimal (`500GB`, `2TB`) or binary (`500GiB`,
 * `2TiB`). Written here: the common parsers read `GB` as 1024³, which is not what the storage bill means by it.
 */
function readSize(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB)?$/i.exec(raw);
  const unit = (match?.[2] ?? 'B').toUpperCase();
  const factor = SIZE_UNITS[unit];
  const bytes = match && factor !== undefined ? Math.round(Number(match[1]) * factor) : Number.NaN;
  // A whole number of bytes JavaScript holds exactly (up to 8 PiB): a larger or endless one would turn the rule off.
  if (!match || factor === undefined || !Number.isSafeInteger(bytes)) {
    throw new AppError(
      'CONFIG',
      `${name}="${raw.slice(0, 40)}" is not a size: use bytes (5000000000) or a number with a unit (500GB, 2TiB).`,
    );
  }
  return bytes;
}

const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
  PIB: 2 ** 50,
};

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
