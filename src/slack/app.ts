import { App, type Logger as BoltLogger, ExpressReceiver, LogLevel } from '@slack/bolt';
import { WebClient, LogLevel as WebLogLevel } from '@slack/web-api';
import type { Application } from 'express';
import type { AuditConsumer } from '../core/audit-trail/audit-follower.js';
import { errorSummary, toEdgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { registerActions } from './actions.js';
import { createAfterAck } from './after-ack.js';
import { registerCampaignActions } from './campaign-actions.js';
import { CAMPAIGN_PROGRESS_EVERY_MS } from './campaign-progress.js';
import { registerCommands } from './commands.js';
import type { SlackDeps } from './deps.js';
import { createHomeTabs, type HomeTabs, registerHome } from './home.js';
import { startMessageFollowers } from './message-followers.js';
import { createSlackRequestGuard, type SeenOnce } from './request-guard.js';
import { describeSlackFailure } from './slack-error.js';
import type { SlackFailureSink } from './slack-failure-log.js';
import { createSlackHealth, type SlackReachability } from './slack-health.js';
import { registerViews } from './views.js';

/** The longest one Slack Web API call may take. */
const CALL_TIMEOUT_MS = 10_000;
/** How often Slack is asked whether it answers (auth.test), besides the app's own calls. */
const HEALTH_CHECK_EVERY_MS = 60_000;
/**
 * Who the app is when Slack did not answer at start. Bolt uses it only to ignore the bot's own message events, which
 * vod-ops does not subscribe to.
 */
const UNKNOWN_IDENTITY = { botId: 'B_UNKNOWN', botUserId: 'U_UNKNOWN' };
/** The longest a start waits for Slack to say whether it takes the bot token. */
const START_WAIT_MS = 3_000;
/** The longest shutdown waits for message updates under way. */
const DRAIN_TIMEOUT_MS = 10_000;

/** How the app reaches Slack, from the environment (see `loadSlackSettings`). */
export type SlackSettings =
  | { mode: 'http'; botToken: string; signingSecret: string; apiUrl?: string }
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl?: string };

export interface SlackApp {
  app: App;
  /** Socket Mode: opens the connection. HTTP: nothing to do, the routes are on the server's Express app. */
  start(): Promise<void>;
  /** Stops taking events (Socket Mode disconnects; HTTP stops with the server). */
  stop(): Promise<void>;
  /**
   * Stops following workflow events and waits for message updates under way (at most 10 s: Slack may not
   * answer), after the work has stopped.
   */
  drain(): Promise<void>;
  /** Whether Slack answers: for /healthz and the log. */
  health(): SlackReachability;
  /** Whether Slack has taken the bot token since the start and not refused it since: for /readyz. */
  tokenAccepted(): boolean;
  /** What the audit trail means for people in Slack: for the composition root to follow the trail with. */
  notifications: AuditConsumer;
  /** The users' App Home tabs: `refresh(userIds)` when something they show changes. */
  homeTabs: HomeTabs;
}

/**
 * The Slack front end on Bolt 5. HTTP mode mounts Bolt's receiver (signature and timestamp checks included) at
 * `POST /slack/events` on the caller's Express app, so one server also carries the probes, /metrics and /mcp. Socket
 * Mode connects out with the app-level token. Listeners: `/vod` (commands.ts), the Approve/Reject buttons
 * of requests (actions.ts) and the buttons of campaigns (campaign-actions.ts), the reject-reason modals
 * (views.ts), the App Home tab (home.ts); messages follow the store (message-followers.ts).
 * @see https://tools.slack.dev/bolt-js/concepts/receiver
 */
export async function createSlackApp(
  deps: SlackDeps,
  settings: SlackSettings,
  server: {
    express: Application;
    /** Where signed requests already seen are remembered, for every replica (HTTP mode). */
    replays: SeenOnce;
    /** The real time, epoch ms, that Slack signs requests with (the workflow's clock may be a test's). */
    now: () => number;
    /** How often a running campaign's message shows its progress; default 10 s (see campaign-progress.ts). */
    progressEveryMs?: number;
  },
): Promise<SlackApp> {
  const logger = boltLogger(deps.logger);
  // Bounded: a call Slack does not answer gives up after a few seconds instead of retrying for half an hour (the
  // client's default), so that nothing (shutdown above all) waits on an unreachable Slack.
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    timeout: CALL_TIMEOUT_MS,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
  };
  const health = createSlackHealth({
    client: new WebClient(settings.botToken, {
      ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
      timeout: CALL_TIMEOUT_MS,
      retryConfig: { retries: 0 },
      logLevel: WebLogLevel.ERROR,
    }),
    logger: deps.logger,
    everyMs: HEALTH_CHECK_EVERY_MS,
    onFailure: (error) =>
      deps.telemetry?.slackApiError({ method: 'auth.test', code: describeSlackFailure(error).code }),
  });
  // A refused bot token stops the start with a sentence saying so; an unreachable Slack is reported and checked
  // again until it answers. Bolt is told who the app is, so that it does not ask Slack (auth.test) before acting
  // on each request: an unreachable Slack would otherwise keep it from even acknowledging a command.
  const identity = (await health.start(START_WAIT_MS)) ?? UNKNOWN_IDENTITY;
  const app =
    settings.mode === 'socket'
      ? new App({
          token: settings.botToken,
          ...identity,
          appToken: settings.appToken,
          socketMode: true,
          clientOptions,
          logger,
        })
      : new App({
          token: settings.botToken,
          ...identity,
          clientOptions,
          logger,
          receiver: guardedReceiver(settings.signingSecret, server, deps.logger, logger),
        });
  // Every failed call the app logs tells Slack's health, and is counted by method.
  const failures: SlackFailureSink = {
    noteFailure(error, method) {
      health.noteFailure(error);
      deps.telemetry?.slackApiError({ method, code: describeSlackFailure(error).code });
    },
  };
  const homeTabs = createHomeTabs({ ...deps, health: failures }, app.client);
  const followers = startMessageFollowers(deps, app.client, {
    health: failures,
    ledger: server.replays,
    progressEveryMs: server.progressEveryMs ?? CAMPAIGN_PROGRESS_EVERY_MS,
    homeTabs,
  });
  const listenerDeps = {
    ...deps,
    health: failures,
    afterAck: createAfterAck({ quietMs: 5, maxWaitMs: 250, monotonic: deps.clock.monotonic }),
    campaignMessages: followers.campaignMessages,
    homeTabs,
  };
  registerCommands(app, listenerDeps);
  registerActions(app, listenerDeps);
  registerCampaignActions(app, listenerDeps);
  registerViews(app, listenerDeps);
  registerHome(app, listenerDeps);
  // The edge policy for what a listener let through (they answer their own errors): logged once, safely. Bolt
  // gets back only the safe error, for its receiver to answer as before (500 before an ack) and to name in its
  // own line without the original's words.
  app.error(async (error) => {
    const original = (error as { original?: unknown }).original ?? error;
    throw toEdgeError(original, (summary) =>
      deps.logger.error({ edge: 'slack', err: summary }, 'unexpected error in a Slack listener'),
    );
  });
  return {
    app,
    async start() {
      if (settings.mode === 'socket') await app.start();
    },
    async stop() {
      health.stop();
      if (settings.mode === 'socket') await app.stop();
    },
    async drain() {
      const unsent = await followers.stop(DRAIN_TIMEOUT_MS);
      if (unsent > 0) {
        deps.logger.warn(
          { unsent },
          'stopped without updating some Slack messages: Slack did not answer in time; they show the state before',
        );
      }
    },
    health: () => health.current(),
    tokenAccepted: () => health.tokenAccepted(),
    notifications: followers.notifications,
    homeTabs,
  };
}

/**
 * Bolt's Logger over ours, so Bolt's lines are JSON on stderr like the rest. An error Bolt passes along is
 * logged as its summary, never its message.
 */
function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? JSON.stringify(errorSummary(m)) : String(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => child.debug(text(msg)),
    info: (...msg: unknown[]) => child.info(text(msg)),
    warn: (...msg: unknown[]) => child.warn(text(msg)),
    error: (...msg: unknown[]) => child.error(text(msg)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * Bolt's receiver at `POST /slack/events` on the server's Express app, behind the request guard (request-guard.ts),
 * which is registered first and so runs first.
 */
function guardedReceiver(
  signingSecret: string,
  server: { express: Application; replays: SeenOnce; now: () => number },
  logger: Logger,
  boltLog: BoltLogger,
): ExpressReceiver {
  server.express.post(
    '/slack/events',
    ...createSlackRequestGuard({ signingSecret, replays: server.replays, logger, now: server.now }),
  );
  return new ExpressReceiver({
    signingSecret,
    endpoints: '/slack/events',
    app: server.express,
    logger: boltLog,
  });
}
