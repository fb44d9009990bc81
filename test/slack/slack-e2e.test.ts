import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import type { Clock } from '../../src/core/clock.js';
import type { DeletionStore } from '../../src/core/store/deletion-store.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import { createBulkCatalogue, startVodEmulator, type VodEmulator } from '../../src/sandbox/index.js';
import { ACTION_APPROVE, ACTION_REJECT, type SlackMessage } from '../../src/slack/blocks.js';
import { assertWithinBlockKitLimits } from '../helpers/block-kit-limits.js';
import { DEMO } from '../helpers/demo.js';
import {
  approvalMessageTs,
  type FakeSlack,
  type FakeSlackCall,
  startFakeSlack,
} from '../helpers/fake-slack.js';
import {
  blockActionPayload,
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
const APPROVERS = ['U0BOB', 'U0CAROL', ...Array.from({ length: 10 }, (_, i) => `U0APPR${i}`)];
const HOUR = 3_600_000;

stubAlibabaCredentials();

let emulator: VodEmulator;
let slack: FakeSlack;
let server: RunningServer | undefined;
let dbPath: string;
let time: number;
const clock: Clock = { now: () => time, monotonic: () => performance.now() };
let responses = 0;

async function start(extraEnv: Record<string, string> = {}, sandbox = false): Promise<RunningServer> {
  server = await startSlackServer({
    emulator,
    slack,
    dbPath,
    approvers: APPROVERS,
    env: extraEnv,
    sandbox,
    clock,
  });
  return server;
}

beforeEach(async () => {
  emulator = await startVodEmulator({ credentials: [TEST_KEY] });
  slack = await startFakeSlack();
  dbPath = tempDbPath('slack');
  time = Date.UTC(2026, 10, 24, 9, 0, 0);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await slack.close();
  await emulator.close();
});

function command(
  text: string,
  user = REQUESTER,
  options: { timestamp?: number; signatureSecret?: string } = {},
) {
  const responseId = `cmd-${++responses}`;
  return {
    responseId,
    result: postSlashCommand(
      server!.url,
      SIGNING_SECRET,
      {
        text,
        user_id: user,
        user_name: user.toLowerCase(),
        channel_id: CHANNEL,
        response_url: slack.responseUrl(responseId),
      },
      options,
    ),
  };
}

/** A signed click on a button of the request's own approval message, unless another message is named. */
function click(
  requestId: string,
  user: string,
  actionId = ACTION_APPROVE,
  messageTs = approvalMessageTs(slack, requestId),
) {
  const responseId = `click-${++responses}`;
  const result = postInteraction(
    server!.url,
    SIGNING_SECRET,
    blockActionPayload({
      userId: user,
      requestId,
      actionId,
      channel: CHANNEL,
      messageTs,
      responseUrl: slack.responseUrl(responseId),
    }),
  );
  return { responseId, result };
}

const responseText = (id: string) =>
  slack.waitForResponse((r) => r.id === id).then((r) => String(r.body.text ?? ''));

/** Asks for a deletion and returns the request id and the approval message as posted. */
async function requestDeletion(
  text = `delete-stream ${DEMO.keynote} ${DEMO.keynoteLd},${DEMO.keynoteSd} stale renditions`,
) {
  const { result, responseId } = command(text);
  const ack = await result;
  expect(ack.status).toBe(200);
  const posted = await slack.waitFor((c) => c.method === 'chat.postMessage' && !c.body.thread_ts);
  const requestId = buttonValue(posted, ACTION_APPROVE);
  await expect(responseText(responseId)).resolves.toMatch(
    new RegExp(`Request ${requestId} is posted in <#${CHANNEL}>`),
  );
  return { requestId, posted, ack };
}

function buttonValue(call: FakeSlackCall, actionId: string): string {
  const blocks = call.body.blocks as Array<{
    type: string;
    elements?: Array<{ action_id?: string; value?: string }>;
  }>;
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionId);
  if (!button?.value) throw new Error(`no ${actionId} button in ${JSON.stringify(blocks).slice(0, 200)}`);
  return button.value;
}

const updatesWith = (pattern: RegExp) =>
  slack.waitFor((c) => c.method === 'chat.update' && pattern.test(JSON.stringify(c.body)));

function openStore(): DeletionStore {
  return createSqliteStore({ path: dbPath });
}

describe('/vod delete-stream through approval', () => {
  it('posts the request, deletes once on an approver’s signed click, and shows the outcome with the RequestId', async () => {
    await start();
    const { requestId, posted } = await requestDeletion();
    expect(posted.body.channel).toBe(CHANNEL);
    expect(JSON.stringify(posted.body.blocks)).toContain(DEMO.keynoteLd);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);

    const { result } = click(requestId, 'U0BOB');
    expect((await result).status).toBe(200);
    await updatesWith(/Approved by <@U0BOB>.*deleting/);
    const done = await updatesWith(/Alibaba RequestId/);
    const deletes = emulator.callsTo('DeleteStream');
    expect(deletes).toHaveLength(1);
    // The final message is sent once, however many events follow it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const finals = slack
      .callsTo('chat.update')
      .filter((c) => /Alibaba RequestId/.test(JSON.stringify(c.body)));
    expect(finals).toHaveLength(1);
    const updates = slack.callsTo('chat.update').map((c) => JSON.stringify(c.body));
    expect(new Set(updates).size).toBe(updates.length);
    expect(JSON.stringify(done.body)).toContain(deletes[0]!.requestId);
    expect(JSON.stringify(done.body.blocks)).not.toContain(ACTION_APPROVE);
    const thread = await slack.waitFor((c) => c.method === 'chat.postMessage' && Boolean(c.body.thread_ts));
    expect(JSON.stringify(thread.body)).toContain(deletes[0]!.requestId);

    const store = openStore();
    const trail = await store.listAudit({ requestId });
    await store.close();
    expect(trail.map((e) => `${e.type}:${e.actor.id}`)).toEqual([
      `created:${REQUESTER}`,
      'vote:U0BOB',
      'approved:U0BOB',
      expect.stringMatching(/^executing:/),
      expect.stringMatching(/^succeeded:/),
    ]);
    expect(trail.at(-1)?.details.requestId).toBe(deletes[0]!.requestId);
  });

  it('answers bad input with the problem and the usage, creating nothing', async () => {
    await start();
    const { result } = command(`delete-stream ${DEMO.keynote} ${DEMO.keynoteLd},,${DEMO.keynoteSd}`);
    const answer = await result;
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/empty item at position 2[\s\S]*Usage/),
    });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(emulator.calls).toHaveLength(0);
  });

  it('refuses job IDs that are not streams of the video, in a reply only the requester sees', async () => {
    await start();
    const { responseId } = command(`delete-stream ${DEMO.keynote} ${DEMO.missing}`);
    await expect(responseText(responseId)).resolves.toMatch(/is not a stream of video/);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it.each([
    ['a forged signature', { signatureSecret: 'not-the-secret' }],
    ['a timestamp older than 5 minutes', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
    ['a timestamp more than 5 minutes ahead', { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 }],
  ])('rejects a command with %s with 401 and creates nothing', async (_name, options) => {
    await start();
    const { result } = command(`delete-stream ${DEMO.keynote} ${DEMO.keynoteLd}`, REQUESTER, options);
    expect((await result).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(emulator.calls).toHaveLength(0);
  });

  it('rejects a forged click with 401, deleting nothing', async () => {
    await start();
    const { requestId } = await requestDeletion();
    const forged = await postInteraction(
      server!.url,
      'wrong-secret',
      blockActionPayload({
        userId: 'U0BOB',
        requestId,
        channel: CHANNEL,
        messageTs: '1',
        responseUrl: slack.responseUrl('x'),
      }),
    );
    expect(forged.status).toBe(401);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });
});

describe('approvals by risk', () => {
  it('needs the high-risk number of approvals for a request that leaves no playable stream, and says why', async () => {
    await start({ VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK: '2' });
    const { requestId, posted } = await requestDeletion(
      `delete-stream ${DEMO.teaser} ${DEMO.teaserOnly} retired`,
    );
    expect(JSON.stringify(posted.body.blocks)).toContain(
      '0 of 2 approvals · high risk: no playable stream would remain',
    );

    const first = click(requestId, 'U0BOB');
    expect((await first.result).status).toBe(200);
    await expect(responseText(first.responseId)).resolves.toMatch(/Your approval is recorded: 1 of 2/);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);

    const second = click(requestId, 'U0CAROL');
    expect((await second.result).status).toBe(200);
    await updatesWith(/Alibaba RequestId/);
    expect(emulator.callsTo('DeleteStream').map((c) => c.params.VideoId)).toEqual([DEMO.teaser]);
    const store = openStore();
    const trail = await store.listAudit({ requestId });
    await store.close();
    expect(trail[0]?.details).toMatchObject({ requiredApprovals: 2, risks: ['no_playable_stream_left'] });
  });

  it('keeps the usual number for a request that leaves the video playable', async () => {
    await start({ VOD_OPS_APPROVALS_REQUIRED_HIGH_RISK: '2' });
    const { requestId, posted } = await requestDeletion();
    expect(JSON.stringify(posted.body.blocks)).toContain('0 of 1 approval');
    expect(JSON.stringify(posted.body.blocks)).not.toContain('high risk');
    click(requestId, 'U0BOB');
    await updatesWith(/Alibaba RequestId/);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
  });
});

describe('hostile signed requests', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const commandFields = (text: string) => ({
    command: '/vod',
    text,
    user_id: REQUESTER,
    user_name: 'rita',
    channel_id: CHANNEL,
    team_id: 'T0TEST',
    response_url: slack.responseUrl(`replay-${++responses}`),
    trigger_id: 'fixed-trigger',
  });

  it.each([
    ['a payload that is null', () => form({ payload: 'null' })],
    [
      'clicks whose actions are not a list',
      () =>
        form({
          payload: JSON.stringify({ type: 'block_actions', user: { id: 'U0BOB' }, actions: 'approve' }),
        }),
    ],
    [
      'a modal whose values are null',
      () =>
        form({
          payload: JSON.stringify({
            type: 'view_submission',
            user: { id: 'U0BOB' },
            view: { callback_id: 'vod_reject', private_metadata: 'dr-x', state: { values: null } },
          }),
        }),
    ],
    [
      'a command without its text',
      () => {
        const { text: _text, ...fields } = commandFields('');
        return form(fields);
      },
    ],
  ])('answers %s with 400, doing nothing', async (_name, body) => {
    await start();
    const answer = await postSigned(server!.url, SIGNING_SECRET, body(), {});
    expect(answer.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
    expect(emulator.calls).toHaveLength(0);
  });

  it('does not make a second request from a replayed /vod command, even once the first is decided', async () => {
    await start();
    const body = form(commandFields(`delete-stream ${DEMO.keynote} ${DEMO.keynoteLd} stale`));
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await postSigned(server!.url, SIGNING_SECRET, body, { timestamp })).status).toBe(200);
    await slack.waitFor((c) => c.method === 'chat.postMessage' && !c.body.thread_ts);
    const store = openStore();
    const [first] = await store.list();
    expect(first).toBeDefined();
    const cancelled = command(`cancel ${first?.id}`);
    await responseText(cancelled.responseId);
    const replay = await postSigned(server!.url, SIGNING_SECRET, body, { timestamp });
    expect(replay).toMatchObject({ status: 200, body: '' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await store.list()).toHaveLength(1);
    await store.close();
    expect(slack.callsTo('chat.postMessage').filter((c) => !c.body.thread_ts)).toHaveLength(1);
  });

  it('escapes what the user typed when it echoes it in a private answer', async () => {
    await start();
    const unknown = await command('<!channel>').result;
    expect(JSON.stringify(unknown.json)).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(unknown.json)).not.toContain('<!channel>');
    const streams = await command('streams <!here|here>').result;
    expect(JSON.stringify(streams.json)).toContain('&lt;!here|here&gt;');
    expect(JSON.stringify(streams.json)).not.toContain('<!here');
  });
});

describe('clicks that must not delete', () => {
  it.each<[string, { messageTs?: string; channel?: string }]>([
    ['another message', { messageTs: '1700000999.000100' }],
    ['the same message ts in another channel', { channel: 'C0ELSEWHERE' }],
  ])('counts a click only on the request’s own approval message, not on %s', async (_name, where) => {
    await start();
    const { requestId } = await requestDeletion();
    const responseId = `click-${++responses}`;
    const result = await postInteraction(
      server!.url,
      SIGNING_SECRET,
      blockActionPayload({
        userId: 'U0BOB',
        requestId,
        channel: where.channel ?? CHANNEL,
        messageTs: where.messageTs ?? approvalMessageTs(slack, requestId),
        responseUrl: slack.responseUrl(responseId),
      }),
    );
    expect(result.status).toBe(200);
    await expect(responseText(responseId)).resolves.toMatch(/not on request dr-\S+ approval message/);
    const store = openStore();
    expect(await store.get(requestId)).toMatchObject({ status: 'pending', votes: [] });
    await store.close();
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it.each([
    ['the requester', REQUESTER, /someone else has to approve/],
    ['someone who is not an approver', 'U0MALLORY', /not an approver/],
  ])('explains to %s, privately, why their approval does not count', async (_who, user, message) => {
    await start();
    const { requestId } = await requestDeletion();
    const { responseId } = click(requestId, user);
    await expect(responseText(responseId)).resolves.toMatch(message);
    const response = slack.responses.find((r) => r.id === responseId);
    expect(response?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('answers a click on an expired request with "expired" and updates the message', async () => {
    await start();
    const { requestId } = await requestDeletion();
    time += 25 * HOUR;
    const { responseId } = click(requestId, 'U0BOB');
    await expect(responseText(responseId)).resolves.toMatch(/expired/);
    await updatesWith(/[Ee]xpired/);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('turns 10 concurrent approvals into one deletion and tells the others who decided', async () => {
    await start();
    const { requestId } = await requestDeletion();
    const clicks = APPROVERS.slice(2).map((user) => click(requestId, user));
    await Promise.all(clicks.map((c) => c.result));
    const texts = await Promise.all(
      clicks.map((c) =>
        slack
          .waitForResponse((r) => r.id === c.responseId, 3000)
          .then(
            (r) => String(r.body.text),
            () => '',
          ),
      ),
    );
    await updatesWith(/Alibaba RequestId/);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
    // Each late click hears who decided: "already approved by …", or "already deleted (approved by …)".
    expect(texts.filter((t) => /already (approved|deleted).*by <@U0APPR\d>/.test(t))).toHaveLength(9);
  });
});

describe('reject, cancel and expiry', () => {
  it('rejects with the reason given in the modal, and shows who and why', async () => {
    await start();
    const { requestId } = await requestDeletion();
    const { result } = click(requestId, 'U0CAROL', ACTION_REJECT);
    expect((await result).status).toBe(200);
    const opened = await slack.waitFor((c) => c.method === 'views.open');
    expect(opened.body.view).toMatchObject({ private_metadata: requestId });

    const empty = await postInteraction(
      server!.url,
      SIGNING_SECRET,
      viewSubmissionPayload({ userId: 'U0CAROL', requestId, reason: ' ' }),
    );
    expect(empty.json).toMatchObject({ response_action: 'errors' });
    const submitted = await postInteraction(
      server!.url,
      SIGNING_SECRET,
      viewSubmissionPayload({ userId: 'U0CAROL', requestId, reason: 'the HD stream still serves the app' }),
    );
    expect(submitted.status).toBe(200);
    await updatesWith(/Rejected by <@U0CAROL>.*the HD stream still serves the app/);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('lets the requester cancel with /vod cancel, and updates the message', async () => {
    await start();
    const { requestId } = await requestDeletion();
    const { responseId } = command(`cancel ${requestId} wrong video`);
    await expect(responseText(responseId)).resolves.toMatch(/cancelled; nothing was deleted/);
    await updatesWith(/Cancelled by <@U0ALICE>/);
    const late = click(requestId, 'U0BOB');
    await expect(responseText(late.responseId)).resolves.toMatch(/cancelled/);
  });

  it('marks the message expired when the sweeper expires the request', async () => {
    await start();
    await requestDeletion();
    time += 25 * HOUR;
    await updatesWith(/[Ee]xpired/);
  });
});

describe('durability and limits', () => {
  it('keeps a request across a restart of the app between request and approval', async () => {
    await start();
    const { requestId } = await requestDeletion();
    await server!.close();
    server = undefined;

    await start();
    click(requestId, 'U0BOB');
    await updatesWith(/Alibaba RequestId/);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(1);
  });

  it('keeps every message within Block Kit limits with 20 job IDs and a long reason', async () => {
    const [big] = createBulkCatalogue({ videos: 1, streamsPerVideo: 26, seed: 'limits' });
    emulator.addVideos([big!]);
    await start();
    const jobs = big!.streams.slice(0, 20).map((s) => s.jobId);
    const reason = `${'a very long reason <with> & *marks* '.repeat(13)}`.slice(0, 480);
    const { requestId, posted } = await requestDeletion(
      `delete-stream ${big!.videoId} ${jobs.join(',')} ${reason}`,
    );
    click(requestId, 'U0BOB');
    await updatesWith(/Alibaba RequestId/);
    await slack.waitFor((c) => c.method === 'chat.postMessage' && Boolean(c.body.thread_ts));
    const messages = [...slack.callsTo('chat.postMessage'), ...slack.callsTo('chat.update')];
    expect(messages.length).toBeGreaterThanOrEqual(4);
    for (const message of messages) {
      assertWithinBlockKitLimits({
        text: String(message.body.text),
        blocks: message.body.blocks,
      } as SlackMessage);
    }
    expect(JSON.stringify(posted.body.blocks)).toContain(jobs[19]);
  });
});

describe('approvers from a Slack user group', () => {
  it('lets a member of VOD_OPS_APPROVER_GROUP approve', async () => {
    await slack.close();
    slack = await startFakeSlack({ userGroups: { S0VODAPPROVERS: ['U0GROUPIE'] } });
    await start({ VOD_OPS_APPROVERS: '', VOD_OPS_APPROVER_GROUP: 'S0VODAPPROVERS' });
    const { requestId } = await requestDeletion();
    click(requestId, 'U0GROUPIE');
    await updatesWith(/Alibaba RequestId/);
    expect(slack.callsTo('usergroups.users.list')[0]?.body).toMatchObject({ usergroup: 'S0VODAPPROVERS' });
    const outsider = click(requestId, 'U0MALLORY');
    await expect(responseText(outsider.responseId)).resolves.toMatch(/already/);
  });

  it('falls back to the allowlist on a workspace without user groups', async () => {
    await slack.close();
    slack = await startFakeSlack({ userGroups: 'plan_upgrade_required' });
    await start({ VOD_OPS_APPROVER_GROUP: 'S0VODAPPROVERS' });
    const { requestId } = await requestDeletion();
    const groupie = click(requestId, 'U0GROUPIE');
    await expect(responseText(groupie.responseId)).resolves.toMatch(/not an approver/);
    click(requestId, 'U0BOB');
    await updatesWith(/Alibaba RequestId/);
  });
});

describe('escalation to a Slack user group', () => {
  it('lets a member of VOD_OPS_ESCALATION_GROUP reject or approve only once the request is escalated', async () => {
    await slack.close();
    slack = await startFakeSlack({ userGroups: { S0ESCALATE: ['U0BOSS'] } });
    await start({ VOD_OPS_ESCALATE_AFTER: '1h', VOD_OPS_ESCALATION_GROUP: 'S0ESCALATE' });
    const { requestId } = await requestDeletion();
    const early = click(requestId, 'U0BOSS', ACTION_REJECT);
    await expect(responseText(early.responseId)).resolves.toMatch(/not an approver/);

    time += HOUR;
    const store = openStore();
    try {
      await vi.waitFor(async () => expect((await store.get(requestId))?.escalatedAt).toBe(time));
      const trail = await store.listAudit({ requestId });
      expect(trail.find((e) => e.type === 'escalated')?.details).toMatchObject({ group: 'S0ESCALATE' });
    } finally {
      await store.close();
    }
    const { result } = click(requestId, 'U0BOSS', ACTION_REJECT);
    expect((await result).status).toBe(200);
    const opened = await slack.waitFor((c) => c.method === 'views.open');
    expect(opened.body.view).toMatchObject({ private_metadata: requestId });
    click(requestId, 'U0BOSS');
    await updatesWith(/Alibaba RequestId/);
  });
});

describe('sandbox mode', () => {
  it('says SANDBOX in every message it sends', async () => {
    await start({ VOD_ENDPOINT: '' }, true);
    const { requestId, posted, ack } = await requestDeletion(
      `delete-stream ${DEMO.teaser} ${DEMO.teaserOnly}`,
    );
    expect(JSON.stringify(ack.json)).toContain('[SANDBOX]');
    click(requestId, 'U0BOB');
    await updatesWith(/Alibaba RequestId/);
    await slack.waitFor((c) => c.method === 'chat.postMessage' && Boolean(c.body.thread_ts));
    expect(JSON.stringify(posted.body)).toMatch(/SANDBOX/);
    for (const call of [...slack.callsTo('chat.postMessage'), ...slack.callsTo('chat.update')]) {
      expect(JSON.stringify(call.body)).toMatch(/SANDBOX/);
    }
    for (const response of slack.responses) expect(JSON.stringify(response.body)).toMatch(/SANDBOX/);
  });
});

describe('the other /vod commands', () => {
  it('lists a video’s streams only to the caller', async () => {
    await start();
    const { responseId } = command(`streams ${DEMO.keynote}`);
    const answer = await slack.waitForResponse((r) => r.id === responseId);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer.body)).toContain(DEMO.keynoteStaleHd);
  });

  it('shows a request’s status and the open requests', async () => {
    await start();
    const { requestId } = await requestDeletion();
    const status = command(`status ${requestId}`);
    await expect(
      slack.waitForResponse((r) => r.id === status.responseId).then((r) => JSON.stringify(r.body)),
    ).resolves.toContain(requestId);
    const pending = command('pending');
    await expect(
      slack.waitForResponse((r) => r.id === pending.responseId).then((r) => JSON.stringify(r.body)),
    ).resolves.toContain(requestId);
  });

  it.each(['', 'help', 'frobnicate'])('answers %j with the usage', async (text) => {
    await start();
    const answer = await command(text).result;
    expect(JSON.stringify(answer.json)).toMatch(/delete-stream/);
  });
});
