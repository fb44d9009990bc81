import { performance } from 'node:perf_hooks';
import type { View } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import type { Clock } from '../../src/core/clock.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import { startVodEmulator, type VodEmulator } from '../../src/sandbox/index.js';
import { ACTION_APPROVE, ACTION_REJECT } from '../../src/slack/blocks.js';
import { assertWithinBlockKitLimits } from '../helpers/block-kit-limits.js';
import { DEMO } from '../helpers/demo.js';
import { type FakeSlack, type FakeSlackCall, startFakeSlack } from '../helpers/fake-slack.js';
import {
  appHomeOpenedEvent,
  blockActionPayload,
  homeBlockActionPayload,
  postEvent,
  postInteraction,
  postSigned,
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

stubAlibabaCredentials();

let emulator: VodEmulator;
let slack: FakeSlack;
let server: RunningServer | undefined;
let dbPath: string;
let time: number;
const clock: Clock = { now: () => time, monotonic: () => performance.now() };
let responses = 0;

async function start(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  server = await startSlackServer({ emulator, slack, dbPath, approvers: APPROVERS, env: extraEnv, clock });
  return server;
}

beforeEach(async () => {
  emulator = await startVodEmulator({ credentials: [TEST_KEY] });
  slack = await startFakeSlack();
  dbPath = tempDbPath('home');
  time = Date.UTC(2026, 10, 24, 9, 0, 0);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await slack.close();
  await emulator.close();
});

function command(text: string, user = REQUESTER) {
  const responseId = `cmd-${++responses}`;
  const result = postSlashCommand(server!.url, SIGNING_SECRET, {
    text,
    user_id: user,
    user_name: user.toLowerCase(),
    channel_id: CHANNEL,
    response_url: slack.responseUrl(responseId),
  });
  return { responseId, result };
}

/** Asks for a deletion in the channel and returns the request id, once its approval message is posted. */
async function requestDeletion(): Promise<string> {
  const { result } = command(
    `delete-stream ${DEMO.keynote} ${DEMO.keynoteLd},${DEMO.keynoteSd} stale renditions`,
  );
  expect((await result).status).toBe(200);
  const posted = await slack.waitFor((c) => c.method === 'chat.postMessage' && !c.body.thread_ts);
  const match = JSON.stringify(posted.body.blocks).match(/"value":"(dr-[^"]+)"/);
  if (!match?.[1]) throw new Error('the approval message has no request id');
  return match[1];
}

const viewOf = (call: FakeSlackCall) => call.body.view as View & { type: 'home' };
const textOf = (call: FakeSlackCall) => JSON.stringify(call.body.view);

/** The next Home published for `user` after `after` calls to views.publish, matching `pattern`. */
function homePublished(user: string, pattern: RegExp = /./, after = 0): Promise<FakeSlackCall> {
  return slack.waitFor(
    (c) =>
      c.method === 'views.publish' &&
      c.body.user_id === user &&
      slack.callsTo('views.publish').indexOf(c) >= after &&
      pattern.test(textOf(c)),
  );
}

async function openHome(user: string, pattern?: RegExp): Promise<FakeSlackCall> {
  const before = slack.callsTo('views.publish').length;
  const answer = await postEvent(server!.url, SIGNING_SECRET, appHomeOpenedEvent(user));
  expect(answer.status).toBe(200);
  return homePublished(user, pattern, before);
}

function buttons(call: FakeSlackCall): Array<{ action_id?: string; value?: string }> {
  const blocks = viewOf(call).blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
  return blocks.flatMap((b) => b.elements ?? []).filter((e) => e.action_id !== undefined);
}

function homeClick(user: string, requestId: string, actionId = ACTION_APPROVE) {
  return postInteraction(
    server!.url,
    SIGNING_SECRET,
    homeBlockActionPayload({ userId: user, requestId, actionId }),
  );
}

async function storedRequest(id: string) {
  const store = createSqliteStore({ path: dbPath });
  try {
    return await store.get(id);
  } finally {
    await store.close();
  }
}

describe('the App Home tab', () => {
  it('shows an approver the pending request with Approve and Reject that carry its id', async () => {
    await start();
    const requestId = await requestDeletion();
    const home = await openHome('U0BOB', new RegExp(requestId));
    expect(viewOf(home).type).toBe('home');
    assertWithinBlockKitLimits(viewOf(home));
    expect(textOf(home)).toContain('Waiting for your decision');
    expect(textOf(home)).toContain(DEMO.keynote);
    expect(buttons(home)).toEqual([
      expect.objectContaining({ action_id: ACTION_APPROVE, value: requestId }),
      expect.objectContaining({ action_id: ACTION_REJECT, value: requestId }),
    ]);
  });

  it('shows the requester their own open request, with nothing for them to decide', async () => {
    await start();
    const requestId = await requestDeletion();
    const home = await openHome(REQUESTER, new RegExp(requestId));
    expect(textOf(home)).toContain('Your open requests and campaigns');
    expect(textOf(home)).toContain('Nothing waits for your decision.');
    expect(buttons(home)).toEqual([]);
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    await start();
    const answer = await postEvent(server!.url, SIGNING_SECRET, appHomeOpenedEvent('U0BOB', 'messages'));
    expect(answer.status).toBe(200);
    await openHome('U0CAROL');
    expect(slack.callsTo('views.publish').map((c) => c.body.user_id)).toEqual(['U0CAROL']);
  });

  it('takes an event once when Slack retries it, and answers the URL challenge', async () => {
    await start();
    const event = appHomeOpenedEvent('U0BOB');
    expect((await postEvent(server!.url, SIGNING_SECRET, event, { eventId: 'Ev0RETRIED' })).status).toBe(200);
    await homePublished('U0BOB');
    const retry = await postEvent(server!.url, SIGNING_SECRET, event, {
      eventId: 'Ev0RETRIED',
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry).toMatchObject({ status: 200, body: '' });
    const challenge = await postSigned(
      server!.url,
      SIGNING_SECRET,
      JSON.stringify({ token: 'legacy', challenge: 'c-123', type: 'url_verification' }),
      { contentType: 'application/json' },
    );
    expect(challenge.status).toBe(200);
    expect(challenge.body).toContain('c-123');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slack.callsTo('views.publish')).toHaveLength(1);
  });

  it('refuses a forged or unsigned event with 401 and publishes nothing', async () => {
    await start();
    const forged = await postEvent(server!.url, SIGNING_SECRET, appHomeOpenedEvent('U0BOB'), {
      signatureSecret: 'not-the-secret',
    });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${server!.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: appHomeOpenedEvent('U0BOB') }),
    });
    expect(unsigned.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slack.callsTo('views.publish')).toHaveLength(0);
  });
});

describe('decisions from the App Home', () => {
  it('approves from the Home: records the vote, deletes, answers on the Home and updates the channel message', async () => {
    await start();
    const requestId = await requestDeletion();
    await openHome('U0BOB', new RegExp(requestId));
    const before = slack.callsTo('views.publish').length;

    expect((await homeClick('U0BOB', requestId)).status).toBe(200);
    const answered = await homePublished('U0BOB', /Your approval of .*dr-.* is recorded: 1 of 1/, before);
    assertWithinBlockKitLimits(viewOf(answered));
    await slack.waitFor(
      (c) => c.method === 'chat.update' && /Alibaba RequestId/.test(JSON.stringify(c.body)),
    );
    expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
    expect(await storedRequest(requestId)).toMatchObject({
      status: 'succeeded',
      votes: [expect.objectContaining({ approver: expect.objectContaining({ id: 'U0BOB' }) })],
    });
    // The requester's Home follows the decision too.
    await homePublished(REQUESTER, new RegExp(requestId), before);
    expect(slack.responses).toHaveLength(1); // only the /vod command's answer: a Home click has no response_url
  });

  it('explains a stale Home click on the republished Home and deletes nothing', async () => {
    await start();
    const requestId = await requestDeletion();
    await openHome('U0BOB', new RegExp(requestId));
    const cancel = command(`cancel ${requestId} wrong video`);
    await slack.waitForResponse((r) => r.id === cancel.responseId);
    const before = slack.callsTo('views.publish').length;

    expect((await homeClick('U0BOB', requestId)).status).toBe(200);
    const answered = await homePublished('U0BOB', /This request was cancelled by <@U0ALICE>/, before);
    expect(textOf(answered)).toContain(requestId);
    expect(buttons(answered)).toEqual([]);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
    expect(await storedRequest(requestId)).toMatchObject({ status: 'cancelled', votes: [] });
  });

  it('rejects from the Home through the reason dialog, and answers on the Home', async () => {
    await start();
    const requestId = await requestDeletion();
    expect((await homeClick('U0CAROL', requestId, ACTION_REJECT)).status).toBe(200);
    const opened = await slack.waitFor((c) => c.method === 'views.open');
    const modal = opened.body.view as { private_metadata: string };
    expect(modal.private_metadata).toBe(`home:${requestId}`);
    const before = slack.callsTo('views.publish').length;

    const submitted = await postInteraction(
      server!.url,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: 'U0CAROL',
        requestId,
        privateMetadata: modal.private_metadata,
        reason: 'the HD stream still serves the app',
      }),
    );
    expect(submitted.status).toBe(200);
    await homePublished('U0CAROL', /Your rejection of .*dr-.* is recorded/, before);
    await slack.waitFor(
      (c) => c.method === 'chat.update' && /Rejected by <@U0CAROL>/.test(JSON.stringify(c.body)),
    );
    expect(await storedRequest(requestId)).toMatchObject({ status: 'rejected' });
    expect(slack.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('republishes the Homes of the clicker and the requester after an approval in the channel', async () => {
    await start({ VOD_OPS_APPROVALS_REQUIRED: '2' });
    const requestId = await requestDeletion();
    const ts = (await slack.waitFor((c) => c.method === 'chat.postMessage')).answer?.ts as string;
    const responseId = `click-${++responses}`;
    await postInteraction(
      server!.url,
      SIGNING_SECRET,
      blockActionPayload({
        userId: 'U0BOB',
        requestId,
        channel: CHANNEL,
        messageTs: ts,
        responseUrl: slack.responseUrl(responseId),
      }),
    );
    const answer = await slack.waitForResponse((r) => r.id === responseId);
    expect(answer.body.text).toBe('Your approval is recorded: 1 of 2.');
    const bob = await homePublished('U0BOB', /Nothing waits for your decision/);
    expect(textOf(bob)).not.toContain('Your approval of');
    await homePublished(REQUESTER, /1 of 2 approvals/);
  });
});
