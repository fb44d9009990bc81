import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  type AuditFollower,
  type FollowTiming,
  startAuditFollower,
} from '../core/audit-trail/audit-follower.js';
import type { AuditDeliverer, DeliveryTiming } from '../core/audit-webhooks/audit-deliverer.js';
import { loadAuditWebhookSettings } from '../core/audit-webhooks/webhook-settings.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { Env } from '../core/env.js';
import { AppError, errorSummary, toEdgeError } from '../core/errors.js';
import { storeLocation } from '../core/store/store-config.js';
import { credentialsAvailable } from '../core/vod/alibaba-vod.js';
import type { Sweeper } from '../core/workflow/sweeper.js';
import { assertApprovalPolicy } from '../core/workflow/workflow-settings.js';
import { approvalText } from '../mcp/approval-text.js';
import { mountMcpHttp } from '../mcp/http.js';
import { loadMcpHttpSettings } from '../mcp/http-settings.js';
import { createSlackApp, type SlackApp } from '../slack/app.js';
import { loadPeopleSettings } from '../slack/people-settings.js';
import { loadSlackSettings } from '../slack/settings.js';
import { startAuditWebhook } from './audit-webhook.js';
import { createMcpServerFactory, loadMcpOptions } from './mcp.js';
import { metricsEnabled, mountMetrics } from './metrics/endpoint.js';
import { createPromTelemetry } from './metrics/prom-telemetry.js';
import { createMetrics } from './metrics/registry.js';
import { measureSlackAcks } from './metrics/slack-ack.js';
import {
  registerAuditWebhookGauge,
  registerSlackNotificationsGauge,
  registerStoreGauges,
} from './metrics/store-gauges.js';
import { mountProbes } from './probes.js';
import { openRuntime, startBackgroundWork } from './runtime.js';
import { loadSettings } from './settings.js';
import { createSlackPeople } from './slack-people.js';

export interface ServerOptions {
  env: Env;
  sandbox: boolean;
  /** Whether stderr is a terminal: the log is then text for a person. */
  terminal?: boolean;
  port: number;
  host: string;
  /** How often the sweeper passes; default 15 s. */
  sweepIntervalMs?: number;
  /** How often a running campaign's Slack message shows its progress; default 10 s (tests shorten it). */
  slackProgressEveryMs?: number;
  /** For tests: the workflow's clock. */
  clock?: Clock;
  /** `--region`: serve this one region (one of VOD_REGIONS when that is set). */
  region?: string;
  /** `--profile`: the aliyun CLI profile whose credentials to use. */
  profile?: string;
  /** For tests: the audit webhook deliverer's pace (poll, backoff, lease). */
  auditDelivery?: Partial<DeliveryTiming>;
  /** How the follower telling people in Slack paces itself (tests make it quick). */
  slackNotifications?: Partial<FollowTiming>;
}

export interface RunningServer {
  url: string;
  /** Where the store is: a SQLite file's path, or PostgreSQL's address without its password; unset in memory. */
  storeLocation?: string;
  close(): Promise<void>;
}

/** The audit follower's cursor for Slack: one for every replica sharing the store. */
const SLACK_NOTIFICATIONS_TARGET = 'slack-notifications';

/**
 * `vod-ops serve`: one process with the Slack app (HTTP at POST /slack/events, or Socket Mode), the sweeper
 * (expiry and resumption of interrupted executions, at once and then every pass), the probes GET /healthz and
 * GET /readyz (probes.ts), and GET /metrics for Prometheus (metrics/). Without
 * Slack settings it says what is missing and runs the rest. It needs Alibaba credentials, or `sandbox`.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { env } = options;
  // Every setting is checked before anything opens.
  const settings = loadSettings(env, {
    sandbox: options.sandbox,
    terminal: options.terminal === true,
    ...(options.region ? { region: options.region } : {}),
  });
  assertApprovalPolicy(settings.workflow);
  // Only serve sends the trail, so only serve reads (and refuses) the webhook's settings.
  const auditWebhookSettings = loadAuditWebhookSettings(env);
  const mcpHttp = loadMcpHttpSettings(env);
  // Checked even when /mcp is off: a mistyped mode is reported, not ignored.
  const mcpOptions = loadMcpOptions(env);
  const slack = loadSlackSettings(env);
  const people = loadPeopleSettings(env);
  const approvalChannel = env.VOD_OPS_APPROVAL_CHANNEL?.trim() || undefined;
  if (!options.sandbox && !(await credentialsAvailable(options.profile))) {
    throw new AppError(
      'CONFIG',
      'No Alibaba Cloud credentials were found, and vod-ops serve would fail at its first deletion. Set ' +
        'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or a profile, or an ECS RAM role), or run ' +
        'vod-ops serve --sandbox to try it against a local emulator.',
    );
  }
  const clock = options.clock ?? systemClock;
  // One registry per server: nothing global, so two servers in one process (tests) keep their own series.
  const metrics = metricsEnabled(env) ? createMetrics() : undefined;
  const telemetry = metrics ? createPromTelemetry(metrics) : undefined;
  const slackPeople = createSlackPeople('settings' in slack ? slack.settings : undefined, settings.workflow, {
    clock,
    ...(telemetry ? { telemetry } : {}),
  });
  const runtime = await openRuntime({
    sandbox: options.sandbox,
    env,
    settings,
    approvers: slackPeople.approvers,
    escalationApprovers: slackPeople.escalationApprovers,
    ...(telemetry ? { telemetry } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  const { logger } = runtime;
  const location = options.sandbox ? undefined : storeLocation(settings.store);

  // What has been started so far, stopped in order by close() or by a failure to start.
  let slackApp: SlackApp | undefined;
  let mcp: { close(): Promise<void> } | undefined;
  let sweeper: Sweeper | undefined;
  let auditWebhook: AuditDeliverer | undefined;
  let slackNotifications: AuditFollower | undefined;
  let server: Server | undefined;
  /** Each step runs even when one before it fails: shutdown does all it can, and says what it could not. */
  const stop = async () => {
    const step = async (name: string, work: () => Promise<unknown> | undefined) => {
      try {
        await work();
      } catch (error) {
        logger.error(
          { step: name, err: errorSummary(error) },
          'a shutdown step failed; going on with the rest',
        );
      }
    };
    await step('slack', () => slackApp?.stop());
    await step('mcp', () => mcp?.close());
    await step('sweeper', () => sweeper?.stop());
    await step('audit webhook', () => auditWebhook?.stop());
    await step('slack notifications', () => slackNotifications?.stop());
    await step('http', async () => {
      if (!server?.listening) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    });
    await step('executions', async () => {
      // Campaign runs stop claiming items; only the items in flight are waited for.
      runtime.campaigns.stopRuns();
      await runtime.workflow.idle();
    });
    await step('slack messages', () => slackApp?.drain());
    await step('runtime', () => runtime.close());
  };

  try {
    const app = express();
    app.disable('x-powered-by');
    mountProbes(app, {
      info: {
        sandbox: options.sandbox,
        slack: 'settings' in slack ? slack.settings.mode : 'off',
        mcp: mcpHttp ? 'http' : 'off',
        store: runtime.storeKind,
      },
      missingMigrations: () => runtime.storeState.missingMigrations(),
      ...('settings' in slack
        ? {
            // Not ready until the Slack app exists and Slack has taken its token.
            slack: () => ({
              reachability: slackApp?.health() ?? { state: 'unknown' },
              tokenAccepted: slackApp?.tokenAccepted() ?? false,
            }),
          }
        : {}),
    });
    if (metrics) {
      mountMetrics(app, metrics.registry);
      registerStoreGauges(metrics.registry, runtime.storeState);
      if ('settings' in slack && slack.settings.mode === 'http') {
        app.use(
          '/slack/events',
          measureSlackAcks((seconds) => telemetry?.slackAck({ seconds }), systemClock.monotonic),
        );
      }
    }

    if ('settings' in slack) {
      const price = settings.workflow.storagePricePerGbMonth;
      slackApp = await createSlackApp(
        {
          workflow: runtime.workflow,
          campaigns: runtime.campaigns,
          vod: runtime.vod,
          logger,
          clock,
          sandbox: options.sandbox,
          ...(telemetry ? { telemetry } : {}),
          ...(approvalChannel ? { approvalChannel } : {}),
          ...(price === undefined ? {} : { storagePricePerGbMonth: price }),
          people,
          roster: slackPeople.roster(),
        },
        slack.settings,
        {
          express: app,
          replays: runtime.replays,
          now: systemClock.now,
          ...(options.slackProgressEveryMs ? { progressEveryMs: options.slackProgressEveryMs } : {}),
        },
      );
    } else {
      logger.warn(
        { missing: slack.missing },
        `Slack is not configured, so no one can request or approve: ${slack.missing}`,
      );
    }

    if (mcpHttp) {
      const backend = Promise.resolve({
        workflow: runtime.workflow,
        directDeletion: runtime.directDeletion,
        campaigns: runtime.campaigns,
        vod: runtime.vod,
      });
      mcp = mountMcpHttp(app, mcpHttp, {
        logger,
        newSessionId: () => randomUUID(),
        now: clock.monotonic,
        makeServer: createMcpServerFactory({
          mcp: mcpOptions,
          backend: () => backend,
          logger,
          clock,
          sandbox: options.sandbox,
          storagePricePerGbMonth: settings.workflow.storagePricePerGbMonth,
          ...(telemetry ? { telemetry } : {}),
        }),
      });
      const says = approvalText(mcpOptions.approval, mcpOptions.readOnly).log;
      logger[mcpOptions.approval === 'none' && !mcpOptions.readOnly ? 'warn' : 'info'](
        { approval: mcpOptions.approval, readOnly: mcpOptions.readOnly },
        `MCP over HTTP at /mcp: ${says}`,
      );
    } else {
      logger.info('MCP over HTTP is off: set VOD_OPS_MCP_TOKENS (name=token pairs) to serve /mcp');
    }

    sweeper = startBackgroundWork(runtime, options.sweepIntervalMs ?? 15_000);
    if (slackApp) {
      // People are told in Slack of what the trail records, whichever process wrote it, by one replica at a time.
      slackNotifications = startAuditFollower({
        deliveries: runtime.auditDeliveries,
        target: SLACK_NOTIFICATIONS_TARGET,
        name: 'slack notifications',
        consumer: slackApp.notifications,
        owner: runtime.instanceId,
        clock,
        random: Math.random,
        logger: logger.child({ component: 'slack-notifications' }),
        // Small batches: an entry may mean dozens of messages, and the lease is renewed while a batch runs.
        timing: { batchSize: 20, ...options.slackNotifications },
      });
      if (metrics) {
        registerSlackNotificationsGauge(metrics.registry, runtime.storeState, SLACK_NOTIFICATIONS_TARGET);
      }
    }
    // The sandbox's trail is not the real one: a SIEM keeping a copy of the real trail is not sent it.
    if (options.sandbox && auditWebhookSettings) {
      logger.warn('VOD_OPS_AUDIT_WEBHOOK_URL is not used with --sandbox: nothing is sent');
    }
    auditWebhook = startAuditWebhook({
      settings: options.sandbox ? undefined : auditWebhookSettings,
      deliveries: runtime.auditDeliveries,
      owner: runtime.instanceId,
      logger,
      ...(telemetry ? { telemetry } : {}),
      ...(options.auditDelivery ? { timing: options.auditDelivery } : {}),
    });
    if (metrics && auditWebhook && auditWebhookSettings) {
      registerAuditWebhookGauge(metrics.registry, runtime.storeState, auditWebhookSettings.target);
    }
    // The edge policy for HTTP: whatever a route did not answer is logged once, safely, and answered 500 in JSON.
    app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) return next(error);
      const safe = toEdgeError(error, (summary) =>
        logger.error({ edge: 'http', err: summary }, 'unexpected error in an HTTP route'),
      );
      res.status(500).json({ status: 'error', error: safe.code, message: safe.message });
    });
    const listening = createServer(app);
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(options.port, options.host, () => resolve());
    }).catch((error: unknown) => {
      const inUse = (error as { code?: string }).code === 'EADDRINUSE';
      throw new AppError(
        'CONFIG',
        inUse
          ? `Port ${options.port} on ${options.host} is in use: set PORT (or --port) to another.`
          : 'The server could not start.',
        { cause: error },
      );
    });
    await slackApp?.start();
    const { port } = listening.address() as AddressInfo;
    const url = `http://${options.host}:${port}`;
    logger.info(
      {
        url,
        slack: 'settings' in slack ? slack.settings.mode : 'off',
        store: runtime.storeKind,
        ...(location ? { storeLocation: location } : {}),
        auditWebhook: auditWebhook ? 'on' : 'off',
      },
      options.sandbox ? 'vod-ops serving (SANDBOX: VOD calls go to a local emulator)' : 'vod-ops serving',
    );
    return { url, ...(location ? { storeLocation: location } : {}), close: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
