import { setImmediate } from 'node:timers/promises';
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Campaign } from '../core/campaigns/campaign.js';
import { voteOnCampaign } from '../core/campaigns/campaign-approval.js';
import { errorSummary } from '../core/errors.js';
import {
  type DeletionRequest,
  REQUEST_STATUSES,
  type RequestStatus,
} from '../core/requests/deletion-request.js';
import type { Principal } from '../core/requests/principal.js';
import { applyVote } from '../core/requests/request-lifecycle.js';
import type { SlackDeps } from './deps.js';
import { decidedAt, HOME_RECENT_MAX, homeView } from './home-view.js';
import { slackPrincipal } from './principal.js';
import { logSlackFailure, type SlackFailureSink } from './slack-failure-log.js';

/**
 * Each Slack user's App Home tab, kept true to the store: published when the user opens it, and again when
 * something they see changes (`refresh`, for whoever follows the workflow's events, and after every decision this
 * process takes through Slack). Failures are logged and never thrown: a Home is a convenience, the channel's
 * approval message is the record.
 */
export interface HomeTabs {
  /**
   * Publishes `userId`'s Home as the store has it now, with `notice` (mrkdwn, already escaped) at the top: the
   * answer to a click made on the Home, which has no response_url.
   */
  publish(userId: string, notice?: string): Promise<void>;
  /** Publishes the Home of each of these Slack users (each once), keeping a notice shown in the last minute. */
  refresh(userIds: Iterable<string>): Promise<void>;
}

export type HomeDeps = Pick<SlackDeps, 'workflow' | 'campaigns' | 'logger' | 'clock' | 'sandbox'> & {
  health?: SlackFailureSink;
};

/** A notice stays on the Home this long across refreshes, so the refresh a decision causes does not erase it. */
const NOTICE_KEEP_MS = 60_000;
/** Notices remembered at most, for as many users; the oldest is forgotten first. */
const NOTICES_MAX = 1_000;
/** Open requests and campaigns read for a Home: more than any section lists, so "and N more" is counted. */
const OPEN_READ = 200;
/** Decided requests read, to pick the most recently decided. */
const DECIDED_READ = 50;
const OPEN: RequestStatus[] = ['pending', 'approved', 'executing'];
/** Every status past the pending phase. */
const DECIDED: RequestStatus[] = REQUEST_STATUSES.filter((s) => s !== 'pending');
const UNFINISHED: Campaign['status'][] = ['planning', 'pending', 'approved', 'running', 'paused'];

/**
 * Home tabs published with `views.publish` (no scope, Tier 4; one view per user, replaced whole, so no `hash`).
 * Publishes for one user run one after another, so the last published is the latest read.
 * @see https://docs.slack.dev/reference/methods/views.publish
 */
export function createHomeTabs(deps: HomeDeps, client: WebClient): HomeTabs {
  const notices = new Map<string, { text: string; until: number }>();
  const queues = new Map<string, Promise<void>>();

  const keptNotice = (userId: string): string | undefined => {
    const kept = notices.get(userId);
    if (kept && kept.until > deps.clock.now()) return kept.text;
    notices.delete(userId);
    return undefined;
  };

  /** Publishes `userId`'s Home from `data` when given (a refresh of several), else from a read of its own. */
  const publishNow = async (userId: string, data?: Promise<HomeData>): Promise<void> => {
    let view: ReturnType<typeof homeView>;
    try {
      const content = await homeContent(deps, await (data ?? readHomeData(deps)), userId);
      view = homeView({ ...content, ...noticeOf(keptNotice(userId)) });
    } catch (error) {
      deps.logger.error({ user: userId, err: errorSummary(error) }, 'could not read what the App Home shows');
      return;
    }
    try {
      await client.views.publish({ user_id: userId, view });
    } catch (error) {
      logSlackFailure(
        deps.logger,
        deps.health,
        'views.publish',
        error,
        { user: userId },
        'could not publish the App Home',
      );
    }
  };

  const publish = (userId: string, notice?: string, data?: Promise<HomeData>): Promise<void> => {
    if (notice !== undefined) {
      notices.delete(userId);
      notices.set(userId, { text: notice, until: deps.clock.now() + NOTICE_KEEP_MS });
      if (notices.size > NOTICES_MAX) notices.delete(notices.keys().next().value ?? '');
    }
    const next = (queues.get(userId) ?? Promise.resolve()).then(() => publishNow(userId, data));
    queues.set(userId, next);
    void next.then(() => {
      if (queues.get(userId) === next) queues.delete(userId);
    });
    return next;
  };

  return {
    publish,
    async refresh(userIds) {
      const users = new Set([...userIds].filter((id) => id !== ''));
      if (users.size === 0) return;
      // One read for every Home refreshed together (the store is read once, not three times a user).
      const data = readHomeData(deps);
      data.catch(() => undefined);
      await Promise.all([...users].map((id) => publish(id, undefined, data)));
    },
  };
}

const noticeOf = (text: string | undefined) => (text === undefined ? {} : { notice: text });

/** What every Home is made from: the store's open and recently decided requests and campaigns, read once. */
interface HomeData {
  open: DeletionRequest[];
  campaigns: Campaign[];
  decided: DeletionRequest[];
}

/** Reads what Homes show, once for however many users' Homes are published from it. */
async function readHomeData(deps: HomeDeps): Promise<HomeData> {
  // One read at a time, letting the event loop through between them: on SQLite each read holds it while it runs,
  // and acknowledgements of Slack's requests must not wait behind all three (see docs/benchmarks.md).
  const open = await deps.workflow.list({ statuses: OPEN, limit: OPEN_READ });
  await setImmediate();
  const campaigns = await deps.campaigns.list({ statuses: UNFINISHED, limit: OPEN_READ });
  await setImmediate();
  const decided = await deps.workflow.list({ statuses: DECIDED, limit: DECIDED_READ });
  return { open, campaigns, decided };
}

/** What `userId`'s Home lists, from `data`. */
async function homeContent(deps: HomeDeps, data: HomeData, userId: string) {
  const user = slackPrincipal({ id: userId });
  const { open, campaigns, decided } = data;
  const rights = await deps.workflow.voteRights(user);
  const now = deps.clock.now();
  const own = (subject: { requester: Principal }) =>
    subject.requester.source === 'slack' && subject.requester.id === userId;
  const canApprove = (vote: (input: Parameters<typeof applyVote>[1]) => { ok: boolean }) =>
    vote({ approver: user, decision: 'approve', ...rights, now }).ok;
  return {
    at: now,
    sandbox: deps.sandbox,
    awaiting: open.filter((r) => r.status === 'pending' && canApprove((input) => applyVote(r, input))),
    awaitingCampaigns: campaigns.filter(
      (c) => c.status === 'pending' && canApprove((input) => voteOnCampaign(c, input)),
    ),
    ownRequests: open.filter(own),
    ownCampaigns: campaigns.filter(own),
    recent: [...decided].sort((a, b) => decidedAt(b) - decidedAt(a)).slice(0, HOME_RECENT_MAX),
  };
}

/**
 * `app_home_opened`: Slack sends it every time the user enters the app, so the Home is published every time (it is
 * idempotent); the Messages tab is left alone. Bolt acknowledges events itself.
 * @see https://docs.slack.dev/reference/events/app_home_opened
 */
export function registerHome(app: App, deps: { homeTabs: HomeTabs }): void {
  app.event('app_home_opened', async function onHomeOpened({ event }) {
    if (event.tab !== 'home') return;
    await deps.homeTabs.publish(event.user);
  });
}

/** The Slack users whose Home shows `subject`: its requester (when a Slack user) and whoever just acted on it. */
export function homesOf(
  subject: Pick<DeletionRequest | Campaign, 'requester'> | undefined,
  ...actors: string[]
) {
  const requester = subject?.requester.source === 'slack' ? [subject.requester.id] : [];
  return [...actors, ...requester];
}
