import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import type { Clock } from '../../src/core/clock.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import { startVodEmulator, type VodEmulator } from '../../src/sandbox/index.js';
import { ACTION_APPROVE, ACTION_REJECT } from '../../src/slack/blocks.js';
import { DEMO } from '../helpers/demo.js';
import {
  approvalMessageTs,
  type FakeSlack,
  type FakeSlackCall,
  startFakeSlack,
} from '../helpers/fake-slack.js';
import { parseSamples, sampleValue } from '../helpers/metrics-text.js';
import {
  blockActionPayload,
  postInteraction,
  postSlashCommand,
  viewSubmissionPayload,
} from '../helpers/slack-request.js';
import {
  SIGNING_SECRET,
  startSlackServer,
  stubAlibabaCredentials,
  tempDbPath,
} from '../helpers/slack-server.js';
import { TEST_KEY } from '../helpers/vod-fixture.js';

const CHANNEL = 'C0APPROVALS';
const REQUESTER = 'U0ALICE';
const APPROVERS = ['U0BOB', 'U0CAROL'];
const HOUR = 3_600_000;
const ASSISTANT_TOKEN = 'ci-bot-token-0123456789abcdef';
/** The follower checks the trail often, so a test waits milliseconds, not a second. */
const QUICK = { pollMs: 20, leaseMs: 3000, settleMs: 50, batchTimeoutMs: 1000 };

stubAlibabaCredentials();

let emulator: VodEmulator;
let slack: FakeSlack;
let servers: RunningServer[] = [];
let dbPath: string;
let time: number;
const clock: Clock = { now: () => time, monotonic: () => performance.now() };
let responses = 0;

async function start(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startSlackServer({
    emulator,
    slack,
    dbPath,
    approvers: APPROVERS,
    env: extraEnv,
    slackNotifications: QUICK,
    clock,
  });
  servers.push(server);
  return server;
}

beforeEach(async () => {
  emulator = await startVodEmulator({ credentials: [TEST_KEY] });
  slack = await startFakeSlack();
  dbPath = tempDbPath('notify');
  time = Date.UTC(2026, 11, 4, 9, 0, 0);
});
afterEach(async () => {
  for (const server of servers) await server.close();
  servers = [];
  await slack.close();
  await emulator.close();
});

const url = () => servers[0]?.url ?? '';

async function requestDeletion(
  user = REQUESTER,
  streams = `${DEMO.keynote} ${DEMO.keynoteLd},${DEMO.keynoteSd}`,
): Promise<string> {
  const responseId = `cmd-${++responses}`;
  const ack = await postSlashCommand(url(), SIGNING_SECRET, {
    text: `delete-stream ${streams} stale renditions`,
    user_id: user,
    user_name: user.toLowerCase(),
    channel_id: CHANNEL,
    response_url: slack.responseUrl(responseId),
  });
  expect(ack.status).toBe(200);
  const response = await slack.waitForResponse((r) => r.id === responseId);
  const id = /Request (dr-[\w-]+) is posted/.exec(String(response.body.text))?.[1];
  if (!id) throw new Error(`no request in ${String(response.body.text)}`);
  return id;
}

function click(
  requestId: string,
  user: string,
  where: { channel: string; ts: string },
  actionId = ACTION_APPROVE,
) {
  const responseId = `click-${++responses}`;
  const result = postInteraction(
    url(),
    SIGNING_SECRET,
    blockActionPayload({
      userId: user,
      requestId,
      actionId,
      channel: where.channel,
      messageTs: where.ts,
      responseUrl: slack.responseUrl(responseId),
    }),
  );
  return { responseId, result };
}

const inChannel = (requestId: string) => ({ channel: CHANNEL, ts: approvalMessageTs(slack, requestId) });

/** A direct message the app posted to `user` (the fake names each conversation `D` + the user id). */
const dmTo = (user: string, pattern: RegExp) =>
  slack.waitFor(
    (c) =>
      c.method === 'chat.postMessage' &&
      c.body.channel === `D${user}` &&
      pattern.test(JSON.stringify(c.body)),
  );
const dmsTo = (user: string, pattern: RegExp) =>
  slack
    .callsTo('chat.postMessage')
    .filter((c) => c.body.channel === `D${user}` && pattern.test(JSON.stringify(c.body)));

const ASSISTANT_ENV = { VOD_OPS_MCP_TOKENS: `ci-bot=${ASSISTANT_TOKEN}` };

/** A deletion request made by an assistant over MCP (Streamable HTTP), as the token `ci-bot`. */
async function askAsAssistant(): Promise<string> {
  const client = new Client({ name: 'notify-test-client', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url()}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${ASSISTANT_TOKEN}` } },
    }),
  );
  try {
    const result = (await client.callTool({
      name: 'request_stream_deletion',
      arguments: { videoId: DEMO.keynote, jobIds: [DEMO.keynoteLd], reason: 'stale rendition' },
    })) as CallToolResult;
    const requestId = String((result.structuredContent as { requestId?: string } | undefined)?.requestId);
    expect(requestId).toMatch(/^dr-/);
    return requestId;
  } finally {
    await client.close();
  }
}

const copyOf = (call: FakeSlackCall) => ({ channel: String(call.body.channel), ts: String(call.answer?.ts) });

describe('the requester is told privately', () => {
  it('gets a direct message when the request is deleted, with Alibaba’s RequestId', async () => {
    await start();
    const requestId = await requestDeletion();
    click(requestId, 'U0BOB', inChannel(requestId));
    const told = await dmTo(REQUESTER, /Deleted by approval of <@U0BOB>/);
    // Prometheus sees the follower caught up with the trail.
    await vi.waitFor(async () => {
      const samples = parseSamples(await (await fetch(`${url()}/metrics`)).text());
      expect(sampleValue(samples, 'vodops_slack_notifications_lag_entries')).toBe(0);
    });
    const requestIdOfCall = emulator.callsTo('DeleteStream')[0]?.requestId;
    expect(JSON.stringify(told.body)).toContain(String(requestIdOfCall));
    expect(JSON.stringify(told.body)).toContain(requestId);
    expect(slack.callsTo('conversations.open').map((c) => c.body.users)).toContain(REQUESTER);
  });

  it('is told of the approval while the deletion is under way, then of its outcome', async () => {
    await start();
    const requestId = await requestDeletion();
    // Alibaba takes its time: the request stays "approved, deleting" long enough to be told so.
    emulator.injectFault({ action: 'DeleteStream', kind: 'stall', delayMs: 1500 });
    click(requestId, 'U0BOB', inChannel(requestId));
    await dmTo(REQUESTER, new RegExp(`${requestId}.*Approved by <@U0BOB> — deleting`));
    await dmTo(REQUESTER, new RegExp(`${requestId}.*Deleted by approval of <@U0BOB>`));
  });

  it('gets the reason of a rejection', async () => {
    await start();
    const requestId = await requestDeletion();
    click(requestId, 'U0CAROL', inChannel(requestId), ACTION_REJECT);
    await slack.waitFor((c) => c.method === 'views.open');
    await postInteraction(
      url(),
      SIGNING_SECRET,
      viewSubmissionPayload({ userId: 'U0CAROL', requestId, reason: 'the HD stream still serves the app' }),
    );
    await dmTo(REQUESTER, /Rejected by <@U0CAROL>.*the HD stream still serves the app/);
  });

  it('gets the failure when the deletion fails', async () => {
    await start({ VOD_MAX_ATTEMPTS: '1' });
    const requestId = await requestDeletion();
    emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed', times: 5 });
    click(requestId, 'U0BOB', inChannel(requestId));
    await dmTo(REQUESTER, /deletion failed/);
  });

  it('is told of an expiry, and of a cancellation by an approver but not of their own', async () => {
    await start();
    const expiring = await requestDeletion();
    time += 25 * HOUR;
    await dmTo(REQUESTER, new RegExp(`${expiring}.*Expired at`));

    const cancelled = await requestDeletion();
    const responseId = `cmd-${++responses}`;
    await postSlashCommand(url(), SIGNING_SECRET, {
      text: `cancel ${cancelled} duplicate of another request`,
      user_id: 'U0BOB',
      user_name: 'u0bob',
      channel_id: CHANNEL,
      response_url: slack.responseUrl(responseId),
    });
    await dmTo(REQUESTER, new RegExp(`${cancelled}.*Cancelled by <@U0BOB>.*duplicate of another request`));

    const own = await requestDeletion();
    const ownCancel = `cmd-${++responses}`;
    await postSlashCommand(url(), SIGNING_SECRET, {
      text: `cancel ${own} changed my mind`,
      user_id: REQUESTER,
      user_name: 'u0alice',
      channel_id: CHANNEL,
      response_url: slack.responseUrl(ownCancel),
    });
    await slack.waitForResponse((r) => r.id === ownCancel);
    // The follower has passed the cancellation once a later entry is told: another request's deletion.
    const marker = await requestDeletion('U0CAROL');
    click(marker, 'U0BOB', inChannel(marker));
    await dmTo('U0CAROL', /Deleted by approval/);
    expect(dmsTo(REQUESTER, new RegExp(own))).toEqual([]);
  });

  it('reaches an assistant’s principal through VOD_OPS_PRINCIPAL_SLACK_USERS', async () => {
    await start({
      ...ASSISTANT_ENV,
      VOD_OPS_APPROVAL_CHANNEL: CHANNEL,
      VOD_OPS_PRINCIPAL_SLACK_USERS: 'ci-bot=U0DAVE',
    });
    const requestId = await askAsAssistant();
    await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === CHANNEL);
    click(requestId, 'U0BOB', inChannel(requestId));
    await dmTo('U0DAVE', new RegExp(`${requestId}.*Deleted by approval of <@U0BOB>`));
  });
});

describe('approval by direct message (VOD_OPS_NOTIFY_APPROVERS)', () => {
  it('sends each approver the request with its buttons; a decision on one copy updates every copy', async () => {
    // The requester is an approver too, and still gets no copy of their own request.
    await start({ VOD_OPS_NOTIFY_APPROVERS: 'both', VOD_OPS_APPROVERS: [...APPROVERS, REQUESTER].join(',') });
    const requestId = await requestDeletion();
    const bobCopy = await dmTo('U0BOB', new RegExp(`"value":"${requestId}"`));
    const carolCopy = await dmTo('U0CAROL', new RegExp(`"value":"${requestId}"`));
    expect(dmsTo(REQUESTER, new RegExp(`"value":"${requestId}"`))).toEqual([]);

    click(requestId, 'U0BOB', copyOf(bobCopy));
    const updated = (where: { channel: string; ts: string }) =>
      slack.waitFor(
        (c) =>
          c.method === 'chat.update' &&
          c.body.channel === where.channel &&
          c.body.ts === where.ts &&
          /Alibaba RequestId/.test(JSON.stringify(c.body)),
      );
    await updated(copyOf(carolCopy));
    await updated(copyOf(bobCopy));
    await updated(inChannel(requestId));

    // A click on a copy that is now stale is explained, and deletes nothing more.
    const stale = click(requestId, 'U0CAROL', copyOf(carolCopy));
    const answer = await slack.waitForResponse((r) => r.id === stale.responseId);
    expect(String(answer.body.text)).toMatch(/already|approved by <@U0BOB>/i);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
  });

  it('answers a rejection from a direct message that came too late in that direct message', async () => {
    await start({ VOD_OPS_NOTIFY_APPROVERS: 'both' });
    const requestId = await requestDeletion();
    const bobCopy = await dmTo('U0BOB', new RegExp(`"value":"${requestId}"`));
    const carolCopy = await dmTo('U0CAROL', new RegExp(`"value":"${requestId}"`));
    click(requestId, 'U0CAROL', copyOf(carolCopy), ACTION_REJECT);
    const opened = await slack.waitFor((c) => c.method === 'views.open');
    expect(opened.body.view).toMatchObject({ private_metadata: `dm:${requestId}` });
    // Bob approves while Carol writes her reason.
    click(requestId, 'U0BOB', copyOf(bobCopy));
    await dmTo(REQUESTER, /Deleted by approval of <@U0BOB>/);
    await postInteraction(
      url(),
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: 'U0CAROL',
        requestId,
        reason: 'too late',
        privateMetadata: `dm:${requestId}`,
      }),
    );
    const told = await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'U0CAROL');
    expect(String(told.body.text)).toMatch(/already|approved/i);
    expect(slack.callsTo('chat.postEphemeral')).toEqual([]);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
  });

  it('posts an assistant’s request in the approval channel and to each approver with both', async () => {
    await start({ ...ASSISTANT_ENV, VOD_OPS_NOTIFY_APPROVERS: 'both', VOD_OPS_APPROVAL_CHANNEL: CHANNEL });
    const requestId = await askAsAssistant();
    const bobCopy = await dmTo('U0BOB', new RegExp(`"value":"${requestId}"`));
    // The copies, recorded first, do not count as the channel's message: it is posted all the same.
    await slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.body.channel === CHANNEL &&
        JSON.stringify(c.body).includes(requestId),
    );
    click(requestId, 'U0BOB', copyOf(bobCopy));
    await slack.waitFor(
      (c) =>
        c.method === 'chat.update' &&
        c.body.channel === CHANNEL &&
        /Alibaba RequestId/.test(JSON.stringify(c.body)),
    );
    expect(dmsTo('U0CAROL', new RegExp(`"value":"${requestId}"`))).toHaveLength(1);
  });

  it('reaches approvers of an assistant’s request by direct message only, with no approval channel', async () => {
    await start({ ...ASSISTANT_ENV, VOD_OPS_NOTIFY_APPROVERS: 'dm' });
    const requestId = await askAsAssistant();
    const copy = await dmTo('U0BOB', new RegExp(`"value":"${requestId}"`));
    await dmTo('U0CAROL', new RegExp(`"value":"${requestId}"`));
    expect(slack.callsTo('chat.postMessage').filter((c) => String(c.body.channel).startsWith('C'))).toEqual(
      [],
    );
    click(requestId, 'U0BOB', copyOf(copy));
    await slack.waitFor(
      (c) =>
        c.method === 'chat.update' &&
        c.body.channel === 'DU0CAROL' &&
        /Alibaba RequestId/.test(JSON.stringify(c.body)),
    );
  });

  it('refuses an unknown VOD_OPS_NOTIFY_APPROVERS with a sentence naming the choices', async () => {
    await expect(start({ VOD_OPS_NOTIFY_APPROVERS: 'email' })).rejects.toThrow(/channel.*dm.*both/);
  });
});

describe('App Home follows the trail', () => {
  it('publishes the approvers’ Home again when an assistant’s request arrives, and once it is decided', async () => {
    await start({ ...ASSISTANT_ENV, VOD_OPS_APPROVAL_CHANNEL: CHANNEL });
    const requestId = await askAsAssistant();
    const published = (user: string, pattern: RegExp) =>
      slack.waitFor(
        (c) =>
          c.method === 'views.publish' && c.body.user_id === user && pattern.test(JSON.stringify(c.body)),
      );
    await published('U0BOB', new RegExp(`"value":"${requestId}"`));
    await published('U0CAROL', new RegExp(`"value":"${requestId}"`));
    await slack.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === CHANNEL);
    click(requestId, 'U0BOB', inChannel(requestId));
    // Carol never clicked: her Home no longer offers the decided request.
    const after = await slack.waitFor(
      (c) =>
        c.method === 'views.publish' &&
        c.body.user_id === 'U0CAROL' &&
        !JSON.stringify(c.body).includes(`"value":"${requestId}"`) &&
        JSON.stringify(c.body).includes(requestId),
    );
    expect(JSON.stringify(after.body)).toMatch(/Recent decisions/i);
  });
});

describe('reminders and escalation', () => {
  it('reminds and escalates once with two replicas, lets the escalation group decide, and stops once decided', async () => {
    const env = {
      VOD_OPS_REMIND_AFTER: '10m',
      VOD_OPS_ESCALATE_AFTER: '20m',
      VOD_OPS_ESCALATION_GROUP: 'U0BOSS',
    };
    await start(env);
    await start(env);
    const requestId = await requestDeletion();
    const threadPosts = (pattern: RegExp) =>
      slack
        .callsTo('chat.postMessage')
        .filter((c) => c.body.thread_ts && pattern.test(JSON.stringify(c.body)));

    time += 10 * 60_000 + 1000;
    const reminder = await slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        Boolean(c.body.thread_ts) &&
        /Reminder/.test(JSON.stringify(c.body)),
    );
    expect(reminder.body).toMatchObject({
      channel: CHANNEL,
      thread_ts: inChannel(requestId).ts,
      reply_broadcast: 'true', // form-encoded by the Web API client
    });
    expect(JSON.stringify(reminder.body)).toMatch(/<@U0BOB> <@U0CAROL>/);

    // The escalation group may not decide before the escalation.
    const early = click(requestId, 'U0BOSS', inChannel(requestId));
    const refused = await slack.waitForResponse((r) => r.id === early.responseId);
    expect(String(refused.body.text)).toMatch(/not.*approver|not allowed|cannot approve/i);

    time += 10 * 60_000;
    const bossCopy = await dmTo('U0BOSS', new RegExp(`"value":"${requestId}"`));
    await slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        Boolean(c.body.thread_ts) &&
        /Escalated.*<@U0BOSS>/.test(JSON.stringify(c.body)),
    );
    click(requestId, 'U0BOSS', copyOf(bossCopy));
    await dmTo(REQUESTER, /Deleted by approval of <@U0BOSS>/);

    // Each reminder and the escalation was recorded once and posted once, whichever replica followed the trail.
    const store = createSqliteStore({ path: dbPath });
    try {
      const trail = await store.listAudit({ requestId });
      const reminded = trail.filter((e) => e.type === 'reminded');
      expect(reminded.length).toBeGreaterThanOrEqual(1);
      expect(trail.filter((e) => e.type === 'escalated')).toHaveLength(1);
      expect(threadPosts(/Reminder/)).toHaveLength(reminded.length);
      expect(threadPosts(/Escalated/)).toHaveLength(1);
      expect(dmsTo('U0BOSS', new RegExp(`"value":"${requestId}"`))).toHaveLength(1);

      // Decided: no more reminders, however long it would have waited.
      time += 5 * HOUR;
      const other = await requestDeletion('U0CAROL', `${DEMO.keynote} ${DEMO.keynoteStaleHd}`);
      time += 10 * 60_000 + 1000;
      // Sweeps have passed since: the other request, due now, is reminded; the decided one is not.
      await slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.body.thread_ts === inChannel(other).ts &&
          /Reminder/.test(JSON.stringify(c.body)),
      );
      expect((await store.listAudit({ requestId })).filter((e) => e.type === 'reminded')).toHaveLength(
        reminded.length,
      );
    } finally {
      await store.close();
    }
  });
});
