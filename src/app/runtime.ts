import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type Clock, systemClock } from '../core/clock.js';
import { createStderrLogger, type Logger, parseLogLevel } from '../core/logger.js';
import { type ApproverDirectory, anyApprover, createAllowlistApprovers } from '../core/requests/approvers.js';
import { newRequestId } from '../core/requests/request-id.js';
import type { DeletionStore } from '../core/store/deletion-store.js';
import { openStore } from '../core/store/open-store.js';
import { createAlibabaVod, type VodCredentials } from '../core/vod/alibaba-vod.js';
import type { VodApi } from '../core/vod/vod-api.js';
import { type Env, loadVodConfig, type VodConfig } from '../core/vod/vod-config.js';
import { createDeletionWorkflow, type DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import { type Sweeper, startSweeper } from '../core/workflow/sweeper.js';
import type { WorkflowConfig } from '../core/workflow/workflow-config.js';
import { loadWorkflowSettings } from '../core/workflow/workflow-settings.js';
import { createSandboxAccessKey, startVodEmulator, type VodEmulator } from '../sandbox/index.js';

export const USER_AGENT = 'vod-ops/0.1.0';

/** Everything a command needs, wired from the environment. The one place the CLI touches process.env. */
export interface CliRuntime {
  vod: VodApi;
  config: VodConfig;
  logger: Logger;
  /** Set when the command runs against an in-process emulator. */
  sandbox?: VodEmulator;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  sandbox: boolean;
  env: Env;
  /** Approver directories beyond the allowlist (the Slack user group), made with the runtime's logger. */
  approvers?: (logger: Logger) => ApproverDirectory[];
  /** For commands that only read: refuse a SQLite file that does not exist rather than create one. */
  readOnly?: boolean;
  /** The workflow's clock (TTL, expiry, leases); tests inject one. Default: the system clock. */
  clock?: Clock;
  /** The logger to use, when the caller already has one. Default: JSON lines on stderr at VOD_OPS_LOG_LEVEL. */
  logger?: Logger;
}

/**
 * Builds the VOD adapter from the environment, or, with `sandbox`, against a fresh in-process emulator with
 * the demo catalogue and a throwaway AccessKey pair, so no account and no credential is needed.
 */
export async function createCliRuntime(options: RuntimeOptions): Promise<CliRuntime> {
  const logger = options.logger ?? createStderrLogger(parseLogLevel(options.env.VOD_OPS_LOG_LEVEL));
  if (!options.sandbox) {
    const config = loadVodConfig(options.env);
    const credentials: VodCredentials = { type: 'default-chain' };
    const vod = createAlibabaVod({ config, credentials, logger, clock: systemClock, userAgent: USER_AGENT });
    return { vod, config, logger, close: async () => {} };
  }
  const accessKey = createSandboxAccessKey();
  const emulator = await startVodEmulator({ credentials: [accessKey] });
  const sandboxLogger = logger.child({ sandbox: true });
  process.stderr.write(
    'sandbox: an in-process VOD emulator with demo videos; nothing on Alibaba Cloud is touched\n',
  );
  const config = loadVodConfig({ ...options.env, VOD_ENDPOINT: emulator.endpoint });
  const vod = createAlibabaVod({
    config,
    credentials: { type: 'access-key', ...accessKey },
    logger: sandboxLogger,
    clock: systemClock,
    userAgent: USER_AGENT,
  });
  return { vod, config, logger: sandboxLogger, sandbox: emulator, close: () => emulator.close() };
}

/** The VOD runtime plus the store and the approval workflow on it. */
export interface WorkflowRuntime extends CliRuntime {
  store: DeletionStore;
  workflow: DeletionWorkflow;
  workflowConfig: WorkflowConfig;
  instanceId: string;
}

/**
 * Everything the workflow needs, from the environment. With `sandbox`, the store is a private in-memory
 * SQLite database too: a sandbox run records nothing in the real audit trail.
 */
export async function createWorkflowRuntime(options: RuntimeOptions): Promise<WorkflowRuntime> {
  const settings = loadWorkflowSettings(options.env, { sandbox: options.sandbox });
  const workflowConfig = settings.workflow;
  const base = await createCliRuntime(options);
  const extraApprovers = options.approvers?.(base.logger) ?? [];
  let store: DeletionStore;
  try {
    store = await openStore(options.sandbox ? { kind: 'sqlite', path: ':memory:' } : workflowConfig.store, {
      mustExist: options.readOnly === true,
    });
  } catch (error) {
    await base.close();
    throw error;
  }
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const workflow = createDeletionWorkflow({
    store,
    vod: base.vod,
    approvers: anyApprover(createAllowlistApprovers(workflowConfig.approvers), ...extraApprovers),
    policy: {
      requiredApprovals: workflowConfig.requiredApprovals,
      ttlMs: workflowConfig.ttlMs,
      leaseMs: settings.leaseMs,
    },
    clock: options.clock ?? systemClock,
    newId: () => newRequestId(),
    logger: base.logger,
    instanceId,
  });
  return {
    ...base,
    store,
    workflow,
    workflowConfig,
    instanceId,
    async close() {
      await workflow.idle();
      await store.close();
      await base.close();
    },
  };
}

/**
 * What every serving process runs beside its front ends: the sweeper, which at once and then every
 * `intervalMs` expires due requests and runs or resumes executions nobody holds (after a restart, too).
 */
export function startBackgroundWork(runtime: WorkflowRuntime, intervalMs: number): Sweeper {
  return startSweeper(runtime.workflow, { intervalMs, logger: runtime.logger });
}
