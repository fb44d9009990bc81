import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { newCampaignId } from '../core/campaigns/campaign.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { Env } from '../core/env.js';
import { createStderrLogger, type Logger } from '../core/logger.js';
import { type ApproverDirectory, anyApprover, createAllowlistApprovers } from '../core/requests/approvers.js';
import { newRequestId } from '../core/requests/request-id.js';
import type { AuditDeliveries } from '../core/store/audit-deliveries.js';
import type { OnceLedger } from '../core/store/once-ledger.js';
import { openStore } from '../core/store/open-store.js';
import type { RateLedger } from '../core/store/rate-ledger.js';
import type { Store } from '../core/store/store.js';
import { loadSandboxStoreConfig, storeLocation } from '../core/store/store-config.js';
import type { Telemetry } from '../core/telemetry.js';
import {
  type AlibabaVod,
  createAlibabaVod,
  type VodAction,
  type VodCredentials,
} from '../core/vod/alibaba-vod.js';
import { createRateLimiter } from '../core/vod/rate-limiter.js';
import { createSharedRateLimiter } from '../core/vod/shared-rate-limiter.js';
import type { VodApi, VodReader } from '../core/vod/vod-api.js';
import { loadVodConfig, type VodConfig } from '../core/vod/vod-config.js';
import { createVodRegions, type VodRegions } from '../core/vod/vod-regions.js';
import { type CampaignWorkflow, createCampaignWorkflow } from '../core/workflow/campaign-workflow.js';
import { createDeletionWorkflow, type DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import { createDirectDeletion, type DirectDeletion } from '../core/workflow/direct-deletion.js';
import { createInFlight } from '../core/workflow/in-flight.js';
import { type Sweeper, startSweeper } from '../core/workflow/sweeper.js';
import { DEFAULT_CAMPAIGN_CONCURRENCY, DEFAULT_CAMPAIGN_TTL_MS } from '../core/workflow/workflow-settings.js';
import { createSandboxAccessKey, startVodEmulator, type VodEmulator } from '../sandbox/index.js';
import type { ServiceTelemetry } from './metrics/prom-telemetry.js';
import { timeStore } from './metrics/timed-store.js';
import { loadSettings, loadVodSettings, type Settings, type VodSettings } from './settings.js';
import { packageVersion } from './version.js';

/**
 * The names front ends give the principals they authenticate. Approver entries may be qualified by one of them
 * (`slack:U024BE7LH`); core treats them as opaque.
 */
export const PRINCIPAL_SOURCES = ['slack', 'mcp', 'cli'] as const;

export interface RuntimeOptions {
  sandbox: boolean;
  /** Whether stderr is a terminal: the log is then text for a person (see `loadVodSettings`). */
  terminal?: boolean;
  env: Env;
  /** Already loaded and checked; loaded from `env` otherwise. */
  settings?: Settings;
  /** Approver directories beyond the allowlist (the Slack user group), made with the runtime's logger. */
  approvers?: (logger: Logger) => ApproverDirectory[];
  /**
   * Escalation approver directories beyond `VOD_OPS_ESCALATION_GROUP`'s principal ids (the Slack user group it
   * names), made with the runtime's logger.
   */
  escalationApprovers?: (logger: Logger) => ApproverDirectory[];
  /** For commands that only read: refuse a SQLite file that does not exist rather than create one. */
  readOnly?: boolean;
  /**
   * With `sandbox`, where the store is: `memory` (the default), private to this process; or `file`, the sandbox
   * store file (`loadSandboxStoreConfig`), kept between commands so that what one records the next one sees. Never
   * the real store either way.
   */
  sandboxStore?: 'memory' | 'file';
  /** The workflow's clock (TTL, expiry, leases); tests inject one. Default: the system clock. */
  clock?: Clock;
  /** The logger to use, when the caller already has one. Default: JSON lines on stderr at VOD_OPS_LOG_LEVEL. */
  logger?: Logger;
  /** The one region to act in (the CLI's `--region`): one of VOD_REGIONS when that is set. */
  region?: string;
  /**
   * An aliyun CLI profile (`~/.aliyun/config.json`) whose credentials to use (the CLI's `--profile`), instead of
   * the default chain.
   */
  profile?: string;
  /** Where VOD calls, store operations and request timings are observed (`vod-ops serve`). Default: nowhere. */
  telemetry?: ServiceTelemetry;
}

/** VOD for a command that only reads it: the reads, and where they go. */
export interface VodRuntime {
  /** The reads, in each region served. */
  vod: VodRegions<VodReader>;
  logger: Logger;
  /** Set when the command runs against an in-process emulator. */
  sandbox?: VodEmulator;
  close(): Promise<void>;
}

/** Everything a serving process or a recording command uses: VOD, the store and the use cases on them. */
export interface Runtime extends VodRuntime {
  workflow: DeletionWorkflow;
  campaigns: CampaignWorkflow;
  directDeletion: DirectDeletion;
  settings: Settings;
  clock: Clock;
  /** Names this process in execution leases and audit entries. */
  instanceId: string;
  /** What `/healthz` reports: `memory` for the sandbox's private store. */
  storeKind: 'sqlite' | 'postgres' | 'memory';
  /** What the probes and the metrics read of the store: its schema's state, and the counts by status. */
  storeState: Pick<
    Store,
    'missingMigrations' | 'countByStatus' | 'countCampaignsByStatus' | 'auditDeliveryLag'
  >;
  /** Keys seen once, shared with every process of the store: for refusing replayed requests. */
  replays: OnceLedger;
  /** Where audit webhooks have delivered to, shared with every process of the store. */
  auditDeliveries: AuditDeliveries;
}

/**
 * The VOD adapter from the settings, or, with `sandbox`, against a fresh in-process emulator with the demo
 * catalogue and a throwaway AccessKey pair, so no account and no credential is needed.
 */
export async function openVod(
  options: Omit<RuntimeOptions, 'settings'> & { settings?: VodSettings; ledger?: RateLedger },
): Promise<VodRuntime & { adapters: VodRegions<AlibabaVod> }> {
  const settings = options.settings ?? loadVodSettings(options.env, options);
  const logger = options.logger ?? createStderrLogger(settings.logLevel, settings.logFormat);
  const ledger = options.ledger ? { ledger: options.ledger } : {};
  if (!options.sandbox) {
    const credentials: VodCredentials = options.profile
      ? { type: 'cli-profile', profile: options.profile }
      : { type: 'default-chain' };
    // One adapter per region: its own endpoint, so its own budgets (`<action>@<endpoint>`).
    const adapters = createVodRegions(
      settings.regions.map(
        (config) =>
          [
            config.region,
            createVodAdapter({
              config,
              credentials,
              logger: settings.regions.length > 1 ? logger.child({ region: config.region }) : logger,
              ...ledger,
              ...(options.telemetry ? { telemetry: options.telemetry } : {}),
            }),
          ] as const,
      ),
      { legacyRegion: settings.legacyRegion },
    );
    return withExitFlush({ vod: adapters, adapters, logger, close: async () => {} });
  }
  const accessKey = createSandboxAccessKey();
  const emulator = await startVodEmulator({ credentials: [accessKey] });
  const sandboxLogger = logger.child({ sandbox: true });
  process.stderr.write(
    'sandbox: an in-process VOD emulator with demo videos; nothing on Alibaba Cloud is touched\n',
  );
  const region = settings.vod.region;
  const adapter = createVodAdapter({
    config: loadVodConfig({ ...options.env, VOD_REGION: region, VOD_ENDPOINT: emulator.endpoint }),
    credentials: { type: 'access-key', ...accessKey },
    logger: sandboxLogger,
    ...ledger,
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  });
  const adapters = createVodRegions([[region, adapter] as const], { legacyRegion: settings.legacyRegion });
  return withExitFlush({
    vod: adapters,
    adapters,
    logger: sandboxLogger,
    sandbox: emulator,
    close: () => emulator.close(),
  });
}

/**
 * Everything the workflow needs, from the settings. With `sandbox`, the store is a private in-memory SQLite
 * database too, or the sandbox's own file (`sandboxStore`): a sandbox run records nothing in the real audit trail.
 */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const settings = options.settings ?? loadSettings(options.env, options);
  const sandboxFile = options.sandbox && options.sandboxStore === 'file';
  // The store first: VOD calls are paced under budgets it shares with every process that uses it.
  const opened = await openStore(
    options.sandbox
      ? sandboxFile
        ? loadSandboxStoreConfig(options.env, settings.storeLocation)
        : { kind: 'sqlite', path: ':memory:' }
      : settings.store,
    // A sandbox file is created when first needed, even by a command that reads: it is the sandbox's alone.
    { mustExist: options.readOnly === true && !options.sandbox },
  ).then((store) => (options.telemetry ? timeStore(store, options.telemetry, systemClock) : store));
  let base: Awaited<ReturnType<typeof openVod>>;
  try {
    base = await openVod({ ...options, settings, ledger: opened });
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
  const { notice } = settings.storeLocation;
  if (notice && !options.sandbox) base.logger.warn({ store: storeLocation(settings.store) }, notice);
  try {
    const extraApprovers = options.approvers?.(base.logger) ?? [];
    const escalation = settings.workflow.escalation;
    const escalationApprovers = [
      ...(escalation && 'approvers' in escalation
        ? [createAllowlistApprovers(escalation.approvers, PRINCIPAL_SOURCES)]
        : []),
      ...(options.escalationApprovers?.(base.logger) ?? []),
    ];
    const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    const clock = options.clock ?? systemClock;
    const core = assembleCore({
      store: opened,
      vod: base.adapters,
      approvers: anyApprover(
        createAllowlistApprovers(settings.workflow.approvers, PRINCIPAL_SOURCES),
        ...extraApprovers,
      ),
      ...(escalationApprovers.length > 0 ? { escalationApprovers: anyApprover(...escalationApprovers) } : {}),
      settings: settings.workflow,
      clock,
      logger: base.logger,
      instanceId,
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    });
    return {
      ...base,
      ...core,
      settings,
      clock,
      instanceId,
      storeKind: options.sandbox ? (sandboxFile ? 'sqlite' : 'memory') : settings.store.kind,
      storeState: opened,
      replays: opened,
      auditDeliveries: opened,
      async close() {
        try {
          // Campaign runs stop claiming items; the items in flight finish and are recorded before the store closes.
          core.campaigns.stopRuns();
          await core.workflow.idle();
          await opened.close();
        } finally {
          await base.close();
        }
      },
    };
  } catch (error) {
    await opened.close().catch(() => undefined);
    await base.close();
    throw error;
  }
}

/**
 * The Alibaba adapter as the product runs it. With a `ledger` (the store's), each action's calls are paced under
 * a budget every process using the same store shares: `<action>@<endpoint>`, at VOD_MAX_QPS for DeleteStream
 * and just under the documented limits for the reads.
 */
export function createVodAdapter(options: {
  config: VodConfig;
  credentials: VodCredentials;
  logger: Logger;
  ledger?: RateLedger;
  /** Where its calls are observed, labelled with `config.region`. */
  telemetry?: ServiceTelemetry;
}): AlibabaVod {
  const { config, logger, ledger, telemetry } = options;
  telemetry?.vodRegion(config.region);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  return createAlibabaVod({
    config,
    credentials: options.credentials,
    logger,
    clock: systemClock,
    userAgent: `vod-ops/${packageVersion()}`,
    sleep,
    ...(telemetry ? { telemetry } : {}),
    ...(ledger
      ? {
          limiterFor: (action: VodAction, qps: number) =>
            createSharedRateLimiter({
              ledger,
              key: `${action}@${config.endpoint}`,
              qps,
              fallback: createRateLimiter(qps, systemClock.monotonic),
              logger,
              monotonic: systemClock.monotonic,
              sleep,
            }),
        }
      : {}),
  });
}

export interface CoreParts {
  store: Store;
  /** VOD in each region served; `singleRegion` makes one of a single adapter. */
  vod: VodRegions<VodApi>;
  approvers: ApproverDirectory;
  /** Who may also vote on an escalated request. */
  escalationApprovers?: ApproverDirectory;
  settings: Pick<Settings['workflow'], 'requiredApprovals' | 'ttlMs' | 'leaseMs'> &
    Partial<
      Pick<
        Settings['workflow'],
        'campaignTtlMs' | 'campaignConcurrency' | 'highRiskApprovals' | 'largeCampaignBytes' | 'reminders'
      >
    >;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  /** Request ids; random by default. */
  newId?: () => string;
  /** Told how long requests wait for a decision and for their execution. Default: nowhere. */
  telemetry?: Telemetry;
}

/**
 * The use cases on one store and one VOD adapter: the approval workflow and direct deletions, sharing what is in
 * flight so that shutdown waits for both. Tests assemble the product the same way.
 */
export function assembleCore(parts: CoreParts): {
  workflow: DeletionWorkflow;
  directDeletion: DirectDeletion;
  campaigns: CampaignWorkflow;
} {
  const inFlight = createInFlight();
  const { requiredApprovals, ttlMs, leaseMs, largeCampaignBytes, reminders } = parts.settings;
  const highRiskApprovals = parts.settings.highRiskApprovals ?? requiredApprovals;
  return {
    workflow: createDeletionWorkflow({
      store: parts.store,
      vod: parts.vod,
      approvers: parts.approvers,
      ...(parts.escalationApprovers ? { escalationApprovers: parts.escalationApprovers } : {}),
      policy: { requiredApprovals, highRiskApprovals, ttlMs, leaseMs, ...(reminders ? { reminders } : {}) },
      clock: parts.clock,
      newId: parts.newId ?? (() => newRequestId(randomBytes)),
      logger: parts.logger,
      instanceId: parts.instanceId,
      inFlight,
      ...(parts.telemetry ? { telemetry: parts.telemetry } : {}),
    }),
    directDeletion: createDirectDeletion({
      vod: parts.vod,
      store: parts.store,
      clock: parts.clock,
      logger: parts.logger,
      inFlight,
    }),
    campaigns: createCampaignWorkflow({
      vod: parts.vod,
      store: parts.store,
      trail: parts.store,
      approvers: parts.approvers,
      clock: parts.clock,
      logger: parts.logger,
      newCampaignId: () => newCampaignId(randomBytes),
      instanceId: parts.instanceId,
      settings: {
        approvalTtlMs: parts.settings.campaignTtlMs ?? DEFAULT_CAMPAIGN_TTL_MS,
        requiredApprovals,
        highRiskApprovals,
        ...(largeCampaignBytes === undefined ? {} : { largeCampaignBytes }),
      },
      // An item is a re-read of its video and a DeleteStream: each within one execution lease.
      execution: {
        concurrency: parts.settings.campaignConcurrency ?? DEFAULT_CAMPAIGN_CONCURRENCY,
        itemLeaseMs: 2 * leaseMs,
      },
      inFlight,
      ...(parts.telemetry ? { telemetry: parts.telemetry } : {}),
    }),
  };
}

/**
 * What every serving process runs beside its front ends: the sweeper, which at once and then every
 * `intervalMs` expires due requests and campaigns, records due reminders and escalations, and runs or resumes
 * executions nobody holds (after a restart, too).
 */
export function startBackgroundWork(runtime: Runtime, intervalMs: number): Sweeper {
  return startSweeper(runtime.workflow, { intervalMs, logger: runtime.logger, campaigns: runtime.campaigns });
}

/**
 * The adapter's VOD call lines still waiting are written when the runtime closes, and at process exit should
 * it come first (an uncaught exception included).
 */
function withExitFlush<T extends { adapters: VodRegions<AlibabaVod>; close(): Promise<void> }>(
  runtime: T,
): T {
  const flush = () => {
    for (const region of runtime.adapters.names) runtime.adapters.in(region).close();
  };
  process.once('exit', flush);
  const close = runtime.close;
  return {
    ...runtime,
    async close() {
      process.removeListener('exit', flush);
      flush();
      await close();
    },
  };
}
