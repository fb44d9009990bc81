import ms from 'ms';
import { AppError } from '../errors.js';
import { type Env, readWholeNumber } from '../vod/vod-config.js';

/** Settings of the approval workflow and its store, read from the environment. */
export interface WorkflowConfig {
  /** `VOD_OPS_APPROVERS`: comma- or space-separated principal ids. */
  approvers: string[];
  /** `VOD_OPS_APPROVER_GROUP`: a group a front end resolves (Slack user group id). */
  approverGroup?: string;
  /** `VOD_OPS_APPROVALS_REQUIRED`: distinct approvals needed (default 1). */
  requiredApprovals: number;
  /** `VOD_OPS_REQUEST_TTL`: how long a request stays open (default 24h). */
  ttlMs: number;
  /**
   * `VOD_OPS_EXECUTION_LEASE_MS`: how long an execution is held by the process running it before another
   * may resume it. Unset: derived from the VOD settings (see `executionLeaseMs`).
   */
  leaseMs?: number;
  store: { kind: 'postgres'; connectionString: string } | { kind: 'sqlite'; path: string };
}

export const DEFAULT_DB_PATH = './data/vod-ops.db';

/**
 * Reads the workflow settings. `DATABASE_URL` selects PostgreSQL (several replicas share one state);
 * otherwise SQLite at `VOD_OPS_DB_PATH` (default ./data/vod-ops.db).
 */
export function loadWorkflowConfig(env: Env): WorkflowConfig {
  const approvers = (env.VOD_OPS_APPROVERS ?? '').split(/[\s,]+/).filter((s) => s !== '');
  const requiredApprovals = readWholeNumber(env, 'VOD_OPS_APPROVALS_REQUIRED', 1, 1, 10);
  const approverGroup = env.VOD_OPS_APPROVER_GROUP?.trim() || undefined;
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('CONFIG', 'DATABASE_URL must be a postgres:// or postgresql:// connection string.');
  }
  return {
    approvers,
    ...(approverGroup ? { approverGroup } : {}),
    requiredApprovals,
    ttlMs: duration(env, 'VOD_OPS_REQUEST_TTL', '24h', ms('1m'), ms('30d')),
    ...(env.VOD_OPS_EXECUTION_LEASE_MS?.trim()
      ? { leaseMs: readWholeNumber(env, 'VOD_OPS_EXECUTION_LEASE_MS', 0, 100, 3_600_000) }
      : {}),
    store: databaseUrl
      ? { kind: 'postgres', connectionString: databaseUrl }
      : { kind: 'sqlite', path: env.VOD_OPS_DB_PATH?.trim() || DEFAULT_DB_PATH },
  };
}

/**
 * Checks that requests could ever be approved with this policy. Run by the processes that take requests (the
 * server), not by commands that only read or record.
 */
export function assertApprovalPolicy(config: WorkflowConfig): void {
  const { approvers, approverGroup, requiredApprovals } = config;
  if (!approverGroup && approvers.length > 0 && approvers.length < requiredApprovals) {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_APPROVALS_REQUIRED is ${requiredApprovals} but VOD_OPS_APPROVERS names only ${approvers.length}: ` +
        'no request could ever be approved. Add approvers or lower the number.',
    );
  }
}

/**
 * The execution lease: `VOD_OPS_EXECUTION_LEASE_MS`, which must outlast the longest DeleteStream (the call and
 * its confirming GetPlayInfo, each with all retries), or by default that longest time plus 30 s.
 */
export function executionLeaseMs(config: WorkflowConfig, longestDeleteMs: number): number {
  if (config.leaseMs === undefined) return longestDeleteMs + 30_000;
  if (config.leaseMs < longestDeleteMs) {
    throw new AppError(
      'CONFIG',
      `VOD_OPS_EXECUTION_LEASE_MS=${config.leaseMs} is shorter than the longest a DeleteStream can take with these ` +
        `settings (${longestDeleteMs} ms, from VOD_MAX_ATTEMPTS and VOD_TIMEOUT_MS): another process could ` +
        'take over a live execution. Raise it, or leave it unset.',
    );
  }
  return config.leaseMs;
}

/** A duration like `24h`, `90m`, `2d` or a number of milliseconds. */
function duration(env: Env, name: string, fallback: string, min: number, max: number): number {
  const raw = (env[name] ?? '').trim() || fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : ms(raw as ms.StringValue);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new AppError(
      'CONFIG',
      `${name}="${raw}" is not valid: use a duration like 24h, 90m or 2d, from 1m to 30d.`,
    );
  }
  return value;
}
