import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_APPROVE, helpMessage } from '../../src/slack/blocks.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import {
  blockActionPayload,
  postInteraction,
  postSlashCommand,
  signSlackBody,
} from '../helpers/slack-request.js';

const SECRET = 'test-signing-secret';
const open: { close(): Promise<unknown> }[] = [];

afterEach(async () => {
  while (open.length > 0) await open.pop()?.close();
});

async function fakeSlack(options?: Parameters<typeof startFakeSlack>[0]): Promise<FakeSlack> {
  const fake = await startFakeSlack(options);
  open.push(fake);
  return fake;
}

const client = (fake: FakeSlack) =>
  new WebClient('xoxb-test-token', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });

describe('fake Slack Web API', () => {
  it('records a chat.postMessage made by a real WebClient, blocks parsed back', async () => {
    const fake = await fakeSlack();
    const message = helpMessage();
    const first = await client(fake).chat.postMessage({ channel: 'C0OPS', ...message });
    const second = await client(fake).chat.postMessage({ channel: 'C0OPS', text: 'again' });

    expect(first).toMatchObject({ ok: true, channel: 'C0OPS', ts: '1700000000.000100' });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    const [call] = fake.callsTo('chat.postMessage');
    expect(call).toMatchObject({ method: 'chat.postMessage', token: 'xoxb-test-token' });
    expect(call?.body).toEqual({ channel: 'C0OPS', text: message.text, blocks: message.blocks });
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage']);
  });

  it('answers user groups from its options, or as a workspace without user groups', async () => {
    const withGroups = await fakeSlack({ userGroups: { S0APPROVERS: ['U0ALICE', 'U0BOB'] } });
    await expect(
      client(withGroups).usergroups.users.list({ usergroup: 'S0APPROVERS' }),
    ).resolves.toMatchObject({
      users: ['U0ALICE', 'U0BOB'],
    });
    await expect(client(withGroups).usergroups.users.list({ usergroup: 'S0OTHER' })).rejects.toThrow(
      'no_such_subteam',
    );
    const free = await fakeSlack({ userGroups: 'plan_upgrade_required' });
    await expect(client(free).usergroups.users.list({ usergroup: 'S0APPROVERS' })).rejects.toThrow(
      'plan_upgrade_required',
    );
  });

  it('wakes a waiter when a matching call arrives, and times out otherwise', async () => {
    const fake = await fakeSlack({ botUserId: 'U0VODOPS' });
    const waiting = fake.waitFor((c) => c.method === 'views.open', 2000);
    const opened = await client(fake).views.open({
      trigger_id: 't',
      view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] },
    });
    expect((await waiting).body.view).toMatchObject({ type: 'modal' });
    expect(opened.view?.id).toMatch(/^V/);
    await expect(client(fake).auth.test()).resolves.toMatchObject({ user_id: 'U0VODOPS' });
    await expect(fake.waitFor((c) => c.method === 'chat.delete', 50)).rejects.toThrow(
      'no matching Web API call',
    );
  });
});

describe('signed requests into Bolt', () => {
  it('signs bodies the way Bolt verifies them', () => {
    const body = 'command=%2Fvod&text=help';
    const now = 1_700_000_000;
    const headers = signSlackBody(SECRET, body, now);
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    const verify = (secret: string, at: number) => () =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
        nowMilliseconds: at * 1000,
      });
    expect(verify(SECRET, now + 10)).not.toThrow();
    expect(verify('another-secret', now + 10)).toThrow();
    expect(verify(SECRET, now + 6 * 60)).toThrow();
  });

  it('reaches a real Bolt app: a command and a click are acknowledged, a forged signature gets 401', async () => {
    const fake = await fakeSlack();
    const app = new App({
      token: 'xoxb-test-token',
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });
    const seen: string[] = [];
    app.command('/vod', async ({ ack, command, respond }) => {
      seen.push(`command ${command.text} by ${command.user_id}`);
      await ack();
      await respond({ text: `got ${command.text}`, response_type: 'ephemeral' });
    });
    app.action(ACTION_APPROVE, async ({ ack, body, action }) => {
      seen.push(`click ${'value' in action ? action.value : '?'} by ${body.user.id}`);
      await ack();
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    open.push({ close: () => app.stop() });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const command = await postSlashCommand(base, SECRET, {
      text: 'help',
      user_id: 'U0RITA',
      channel_id: 'C0OPS',
      response_url: fake.responseUrl('cmd-1'),
    });
    expect(command.status).toBe(200);
    const reply = await fake.waitForResponse((r) => r.id === 'cmd-1', 5000);
    expect(reply.body).toMatchObject({ text: 'got help', response_type: 'ephemeral' });

    const click = await postInteraction(
      base,
      SECRET,
      blockActionPayload({
        userId: 'U0ALICE',
        requestId: 'dr-abc',
        channel: 'C0OPS',
        messageTs: '1700000000.000100',
        responseUrl: fake.responseUrl('click-1'),
      }),
    );
    expect(click.status).toBe(200);

    const forged = await postSlashCommand(
      base,
      SECRET,
      { text: 'help', user_id: 'U0MALLORY', channel_id: 'C0OPS', response_url: fake.responseUrl('cmd-2') },
      { signatureSecret: 'not-the-secret' },
    );
    const stale = await postSlashCommand(
      base,
      SECRET,
      { text: 'help', user_id: 'U0MALLORY', channel_id: 'C0OPS', response_url: fake.responseUrl('cmd-3') },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(forged.status).toBe(401);
    expect(stale.status).toBe(401);
    expect(seen).toEqual(['command help by U0RITA', 'click dr-abc by U0ALICE']);
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });
});
