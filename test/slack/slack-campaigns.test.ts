import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src/app/runtime.js';
import type { RunningServer } from '../../src/app/server.js';
import type { Campaign } from '../../src/core/campaigns/campaign.js';
import { parseSelectionRule } from '../../src/core/campaigns/selection-rule.js';
import type { Clock } from '../../src/core/clock.js';
import type { Principal } from '../../src/core/requests/principal.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import {
  createBulkCatalogue,
  type EmulatorVideo,
  startVodEmulator,
  type VodEmulator,
} from '../../src/sandbox/index.js';
import type { SlackMessage } from '../../src/slack/blocks.js';
import {
  ACTION_CAMPAIGN_APPROVE,
  ACTION_CAMPAIGN_CANCEL,
  ACTION_CAMPAIGN_PAUSE,
  ACTION_CAMPAIGN_REJECT,
  ACTION_CAMPAIGN_RESUME,
  VIEW_CAMPAIGN_REJECT,
} from '../../src/slack/campaign-blocks.js';
import { assertWithinBlockKitLimits } from '../helpers/block-kit-limits.js';
import {
  approvalMessageTs,
  type FakeSlack,
  type FakeSlackCall,
  startFakeSlack,
} from '../helpers/fake-slack.js';
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
/** The progress interval in these tests: 1 s on the workflow clock, which the tests move. */
const PROGRESS_EVERY_MS = 1_000;
/** Long enough for the progress pass of every replica to have run several times (it passes 4 times an interval). */
const SEVERAL_PASSES_MS = 800;
const alice: Principal = { source: 'slack', id: REQUESTER, displayName: 'alice' };

stubAlibabaCredentials();

let emulator: VodEmulator;
const slacks: FakeSlack[] = [];
const servers: RunningServer[] = [];
let dbPath: string;
/** The workflow clock: still unless a test moves it, and ahead of the real time (see campaign-progress.ts). */
let time: number;
const clock: Clock = { now: () => time, monotonic: () => performance.now() };
let responses = 0;

beforeEach(async () => {
  emulator = await startVodEmulator({ credentials: [TEST_KEY] });
  dbPath = tempDbPath('slack-campaigns');
  time = Math.ceil((Date.now() + 30 * 86_400_000) / PROGRESS_EVERY_MS) * PROGRESS_EVERY_MS;
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const slack of slacks.splice(0)) await slack.close();
  await emulator.close();
});

const env = (extra: Record<string, string> = {}) => ({
  VOD_ENDPOINT: emulator.endpoint,
  VOD_OPS_DB_PATH: dbPath,
  VOD_OPS_APPROVERS: APPROVERS.join(','),
  VOD_OPS_APPROVAL_CHANNEL: CHANNEL,
  VOD_OPS_LOG_LEVEL: 'error',
  VOD_OPS_CAMPAIGN_CONCURRENCY: '1',
  VOD_OPS_STORAGE_PRICE_PER_GB_MONTH: '0.02',
  ...extra,
});

/** A `vod-ops serve` replica on the shared store, with its own fake Slack. */
async function serve(
  extra: Record<string, string> = {},
): Promise<{ server: RunningServer; slack: FakeSlack }> {
  const slack = await startFakeSlack();
  slacks.push(slack);
  const server = await startSlackServer({
    emulator,
    slack,
    dbPath,
    approvers: APPROVERS,
    env: env(extra),
    slackProgressEveryMs: PROGRESS_EVERY_MS,
    clock,
  });
  servers.push(server);
  return { server, slack };
}

/** Videos of the emulator with two LD streams each (one item each), and a campaign deleting their LD streams. */
async function planCampaign(
  count: number,
  options: { reason?: string; env?: Record<string, string>; seed?: string } = {},
): Promise<{ campaign: Campaign; videos: EmulatorVideo[] }> {
  const videos = createBulkCatalogue({ videos: count, streamsPerVideo: 8, seed: options.seed ?? 'campaign' });
  emulator.addVideos(videos);
  const runtime = await openRuntime({ sandbox: false, env: env(options.env), clock });
  try {
    const rule = parseSelectionRule(
      { streams: { definitions: ['LD'] }, videoIds: videos.map((v) => v.videoId) },
      time,
    );
    const campaign = await runtime.campaigns.plan({
      rule,
      reason: options.reason ?? 'LD renditions nobody plays',
      requester: alice,
    });
    return { campaign, videos };
  } finally {
    await runtime.close();
  }
}

/** Waits for the campaign's approval message, and for where it is to be recorded; returns the message. */
async function posted(slack: FakeSlack, campaign: Campaign): Promise<FakeSlackCall> {
  const message = await slack.waitFor(
    (c) =>
      c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks).includes(`"value":"${campaign.id}"`),
  );
  await until(campaign.id, (s) => s.campaign?.announcement?.ref !== undefined);
  return message;
}

function click(
  server: RunningServer,
  slack: FakeSlack,
  campaignId: string,
  user: string,
  actionId: string,
  over: { messageTs?: string; value?: unknown } = {},
) {
  const responseId = `click-${++responses}`;
  const payload = blockActionPayload({
    userId: user,
    requestId: campaignId,
    actionId,
    channel: CHANNEL,
    messageTs: over.messageTs ?? approvalMessageTs(slack, campaignId),
    responseUrl: slack.responseUrl(responseId),
  });
  if ('value' in over) Object.assign(payload.actions[0] as object, { value: over.value });
  return { responseId, result: postInteraction(server.url, SIGNING_SECRET, payload) };
}

function command(server: RunningServer, slack: FakeSlack, text: string, user = REQUESTER) {
  const responseId = `cmd-${++responses}`;
  const result = postSlashCommand(server.url, SIGNING_SECRET, {
    text,
    user_id: user,
    user_name: user.toLowerCase(),
    channel_id: CHANNEL,
    response_url: slack.responseUrl(responseId),
  });
  return { responseId, result };
}

const reply = (slack: FakeSlack, id: string) =>
  slack.waitForResponse((r) => r.id === id, 8000).then((r) => JSON.stringify(r.body));

/** The first chat.update after the `after`-th call of `slack` whose body matches. */
function updateAfter(slack: FakeSlack, after: number, pattern: RegExp, timeoutMs = 8000) {
  return slack.waitFor(
    (c) =>
      c.method === 'chat.update' && slack.calls.indexOf(c) >= after && pattern.test(JSON.stringify(c.body)),
    timeoutMs,
  );
}

const actionIds = (call: FakeSlackCall) =>
  (call.body.blocks as Array<{ type: string; elements?: Array<{ action_id?: string }> }>)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((e) => e.action_id);

async function stored(id: string) {
  const store = createSqliteStore({ path: dbPath });
  try {
    return { campaign: await store.getCampaign(id), counts: await store.countItems(id) };
  } finally {
    await store.close();
  }
}

/** Waits until the store says `check` holds. */
async function until(id: string, check: (s: Awaited<ReturnType<typeof stored>>) => boolean) {
  for (let i = 0; i < 400; i++) {
    if (check(await stored(id))) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`campaign ${id} never reached the state waited for`);
}

const ldStreamsLeft = (video: EmulatorVideo) =>
  (emulator.video(video.videoId)?.streams ?? []).filter((s) => s.definition === 'LD').length;

describe('a campaign planned elsewhere, in Slack', () => {
  it('is posted to the approval channel with its totals, breakdown, rule, sample and buttons', async () => {
    const { campaign, videos } = await planCampaign(7, {
      reason: 'old LD <!channel> *urgent* <https://x.test|click>',
    });
    const { slack } = await serve();
    const message = await posted(slack, campaign);
    expect(message.body.channel).toBe(CHANNEL);
    assertWithinBlockKitLimits({
      text: String(message.body.text),
      blocks: message.body.blocks,
    } as SlackMessage);
    const body = JSON.stringify(message.body);
    expect(body).toContain('7 matched of 7 scanned');
    expect(body).toContain('14 in 7 DeleteStream calls');
    expect(body).toMatch(/a month at 0.02 per GB-month/);
    expect(body).toMatch(/By definition:\* LD 14/);
    expect(body).toMatch(/By format:\* m3u8 7 .* mp4 7/);
    expect(body).toContain('Definition LD');
    expect(body).toContain('Guard: each video keeps its last playable stream');
    // The sample: five of the seven videos, with the streams each would lose.
    const sampled = videos.filter((v) => body.includes(v.videoId));
    expect(sampled).toHaveLength(5);
    for (const video of sampled) {
      for (const stream of video.streams) {
        expect(body.includes(stream.jobId)).toBe(stream.definition === 'LD');
      }
    }
    expect(body).toContain('0 of 1 approval');
    expect(actionIds(message)).toEqual([ACTION_CAMPAIGN_APPROVE, ACTION_CAMPAIGN_REJECT]);
    // The requester's words show literally, in a quote: never as mrkdwn the message itself would render.
    const blocks = message.body.blocks as Array<{ type: string }>;
    const mrkdwn = JSON.stringify(blocks.filter((b) => b.type !== 'rich_text')) + String(message.body.text);
    expect(mrkdwn).not.toMatch(/<!channel>|<https:/);
    expect(JSON.stringify(blocks.filter((b) => b.type === 'rich_text'))).toContain('<!channel> *urgent*');
    // Posted once, whatever the passes that follow.
    await new Promise((resolve) => setTimeout(resolve, SEVERAL_PASSES_MS));
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('refuses the requester’s approval, runs on an approver’s, and shows the outcome in place', async () => {
    const { campaign, videos } = await planCampaign(3);
    const { server, slack } = await serve();
    await posted(slack, campaign);

    const own = click(server, slack, campaign.id, REQUESTER, ACTION_CAMPAIGN_APPROVE);
    expect((await own.result).status).toBe(200);
    await expect(reply(slack, own.responseId)).resolves.toMatch(
      /You requested campaign cp-\S+ another approver must decide/,
    );
    expect((await stored(campaign.id)).campaign).toMatchObject({ status: 'pending', votes: [] });

    const mark = slack.calls.length;
    click(server, slack, campaign.id, 'U0BOB', ACTION_CAMPAIGN_APPROVE);
    const done = await updateAfter(slack, mark, /Library clean-up completed/);
    const body = JSON.stringify(done.body);
    expect(body).toMatch(/\*Deleted\* 3 .*freed.*\*skipped\* 0.*\*failed\* 0/);
    expect(body).toContain(`vod-ops cleanup report ${campaign.id}`);
    expect(body).toContain('approved by <@U0BOB>');
    expect(actionIds(done)).toEqual([]);
    for (const video of videos) expect(ldStreamsLeft(video)).toBe(0);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(3);
    // The requester is told privately that it completed, with where its report is.
    const told = await slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.body.channel === `D${REQUESTER}` &&
        /Completed, approved by <@U0BOB>/.test(JSON.stringify(c.body)),
    );
    expect(JSON.stringify(told.body)).toContain(`vod-ops cleanup report ${campaign.id}`);

    // A late click on the closed campaign is explained, privately.
    const late = click(server, slack, campaign.id, 'U0CAROL', ACTION_CAMPAIGN_APPROVE);
    await expect(reply(slack, late.responseId)).resolves.toMatch(
      /no longer awaiting approval: it is completed/,
    );
  });

  it('keeps it pending after one approval when two are required', async () => {
    const { campaign } = await planCampaign(2, { env: { VOD_OPS_APPROVALS_REQUIRED: '2' } });
    const { server, slack } = await serve({ VOD_OPS_APPROVALS_REQUIRED: '2' });
    await posted(slack, campaign);
    const mark = slack.calls.length;
    const first = click(server, slack, campaign.id, 'U0BOB', ACTION_CAMPAIGN_APPROVE);
    await expect(reply(slack, first.responseId)).resolves.toContain('Your approval is recorded: 1 of 2.');
    const update = await updateAfter(slack, mark, /1 of 2 approvals \(<@U0BOB>\)/);
    expect(actionIds(update)).toEqual([ACTION_CAMPAIGN_APPROVE, ACTION_CAMPAIGN_REJECT]);
    expect((await stored(campaign.id)).campaign?.status).toBe('pending');
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);

    const again = click(server, slack, campaign.id, 'U0BOB', ACTION_CAMPAIGN_APPROVE);
    await expect(reply(slack, again.responseId)).resolves.toContain('You already approved campaign');
    click(server, slack, campaign.id, 'U0CAROL', ACTION_CAMPAIGN_APPROVE);
    await updateAfter(slack, mark, /Library clean-up completed/);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(2);
  });

  it('rejects with the reason given in the dialog, shown as the approver’s words', async () => {
    const { campaign } = await planCampaign(2);
    const { server, slack } = await serve();
    await posted(slack, campaign);
    const { result } = click(server, slack, campaign.id, 'U0CAROL', ACTION_CAMPAIGN_REJECT);
    expect((await result).status).toBe(200);
    const opened = await slack.waitFor((c) => c.method === 'views.open');
    expect(opened.body.view).toMatchObject({
      callback_id: VIEW_CAMPAIGN_REJECT,
      private_metadata: campaign.id,
    });

    const mark = slack.calls.length;
    const reason = 'the <!here> app still *plays* LD';
    const submitted = await postInteraction(
      server.url,
      SIGNING_SECRET,
      viewSubmissionPayload({
        userId: 'U0CAROL',
        requestId: campaign.id,
        reason,
        callbackId: VIEW_CAMPAIGN_REJECT,
      }),
    );
    expect(submitted.status).toBe(200);
    const update = await updateAfter(slack, mark, /Rejected by <@U0CAROL>/);
    const blocks = update.body.blocks as Array<{ type: string }>;
    expect(JSON.stringify(blocks.filter((b) => b.type === 'rich_text'))).toContain(reason);
    expect(JSON.stringify(blocks.filter((b) => b.type !== 'rich_text'))).not.toContain('<!here>');
    expect(actionIds(update)).toEqual([]);
    expect((await stored(campaign.id)).campaign).toMatchObject({ status: 'rejected' });
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
    // The requester is told privately, with the reason as the approver's words, literally.
    const told = await slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.body.channel === `D${REQUESTER}` &&
        /Rejected by <@U0CAROL>/.test(JSON.stringify(c.body)),
    );
    const toldBlocks = told.body.blocks as Array<{ type: string }>;
    expect(JSON.stringify(toldBlocks.filter((b) => b.type === 'rich_text'))).toContain(reason);
    expect(JSON.stringify(toldBlocks.filter((b) => b.type !== 'rich_text'))).not.toContain('<!here>');
  });

  it('is paused, resumed and cancelled from its buttons by the requester and approvers, nobody else', async () => {
    emulator.setLatency(200);
    const { campaign, videos } = await planCampaign(24);
    const { server, slack } = await serve();
    await posted(slack, campaign);
    let mark = slack.calls.length;
    click(server, slack, campaign.id, 'U0BOB', ACTION_CAMPAIGN_APPROVE);
    const running = await updateAfter(slack, mark, /Library clean-up running/);
    expect(actionIds(running)).toEqual([ACTION_CAMPAIGN_PAUSE, ACTION_CAMPAIGN_CANCEL]);

    const outsider = click(server, slack, campaign.id, 'U0MALLORY', ACTION_CAMPAIGN_PAUSE);
    await expect(reply(slack, outsider.responseId)).resolves.toContain(
      "Only the campaign's requester or an approver may pause or resume",
    );

    mark = slack.calls.length;
    const pause = click(server, slack, campaign.id, REQUESTER, ACTION_CAMPAIGN_PAUSE);
    await expect(reply(slack, pause.responseId)).resolves.toContain('is paused');
    const paused = await updateAfter(slack, mark, /Paused by <@U0ALICE>/);
    expect(actionIds(paused)).toEqual([ACTION_CAMPAIGN_RESUME, ACTION_CAMPAIGN_CANCEL]);
    await until(campaign.id, (s) => s.campaign?.status === 'paused' && s.counts.running.items === 0);
    const atPause = await stored(campaign.id);
    expect(atPause.counts.pending.items).toBeGreaterThan(0);
    // Paused means paused: the sweeper's passes start nothing.
    const deletes = emulator.callsTo('DeleteStream').length;
    await new Promise((resolve) => setTimeout(resolve, SEVERAL_PASSES_MS));
    expect(emulator.callsTo('DeleteStream')).toHaveLength(deletes);

    mark = slack.calls.length;
    const resume = click(server, slack, campaign.id, 'U0CAROL', ACTION_CAMPAIGN_RESUME);
    await expect(reply(slack, resume.responseId)).resolves.toContain('runs again');
    const resumed = await updateAfter(slack, mark, /Library clean-up running/);
    expect(actionIds(resumed)).toEqual([ACTION_CAMPAIGN_PAUSE, ACTION_CAMPAIGN_CANCEL]);

    mark = slack.calls.length;
    const cancel = click(server, slack, campaign.id, 'U0BOB', ACTION_CAMPAIGN_CANCEL);
    await expect(reply(slack, cancel.responseId)).resolves.toContain('what was deleted stays deleted');
    const cancelled = await updateAfter(slack, mark, /Library clean-up cancelled/);
    expect(actionIds(cancelled)).toEqual([]);
    expect(JSON.stringify(cancelled.body)).toContain(`vod-ops cleanup report ${campaign.id}`);
    await until(campaign.id, (s) => s.counts.running.items === 0);
    const end = await stored(campaign.id);
    expect(end.campaign?.status).toBe('cancelled');
    expect(end.counts.pending.items).toBeGreaterThan(0);
    expect(ldStreamsLeft(videos.at(-1)!)).toBe(2);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(end.counts.deleted.items);

    const late = click(server, slack, campaign.id, 'U0CAROL', ACTION_CAMPAIGN_RESUME);
    await expect(reply(slack, late.responseId)).resolves.toContain('is cancelled, not paused');
  });
});

describe('changes made elsewhere', () => {
  it('updates the message when the campaign is cancelled from the command line', async () => {
    const { campaign } = await planCampaign(2);
    const { slack } = await serve();
    await posted(slack, campaign);
    const mark = slack.calls.length;
    const cli = await openRuntime({ sandbox: false, env: env(), clock });
    try {
      const cancelled = await cli.campaigns.cancel(campaign.id, {
        by: { source: 'cli', id: 'U0BOB', displayName: 'bob' },
        reason: 'wrong rule',
      });
      expect(cancelled.ok).toBe(true);
    } finally {
      await cli.close();
    }
    const update = await updateAfter(slack, mark, /Library clean-up cancelled/);
    expect(JSON.stringify(update.body)).toContain('Cancelled by bob. Nothing was deleted.');
    expect(actionIds(update)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, SEVERAL_PASSES_MS));
    expect(slack.callsTo('chat.update')).toHaveLength(1);
  });
});

describe('clicks that must do nothing', () => {
  it.each<[string, { value?: unknown; messageTs?: string; id?: string }, RegExp]>([
    [
      'a value that is no campaign id',
      { value: "cp-'; DROP TABLE campaigns; --" },
      /does not name a clean-up campaign/,
    ],
    ['a request id', { value: 'dr-7kq2m9x4pzt1b' }, /does not name a clean-up campaign/],
    ['an empty value', { value: '' }, /does not name a clean-up campaign/],
    ['a value that is an object', { value: { id: 'cp-x' } }, /does not name a clean-up campaign/],
    ['an unknown campaign', { value: 'cp-0000000000000' }, /No campaign cp-0000000000000/],
    ['another message', { messageTs: '1700000999.000100' }, /not on campaign cp-\S+ approval message/],
  ])('refuses %s, changing nothing', async (_name, over, answer) => {
    const { campaign } = await planCampaign(2);
    const { server, slack } = await serve();
    await posted(slack, campaign);
    const before = (await stored(campaign.id)).campaign;
    const mark = slack.calls.length;
    for (const actionId of [ACTION_CAMPAIGN_APPROVE, ACTION_CAMPAIGN_CANCEL, ACTION_CAMPAIGN_PAUSE]) {
      const forged = click(server, slack, campaign.id, 'U0BOB', actionId, over);
      expect((await forged.result).status).toBe(200);
      await expect(reply(slack, forged.responseId)).resolves.toMatch(answer);
    }
    expect(slack.calls.slice(mark).filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect((await stored(campaign.id)).campaign).toEqual(before);
    expect(emulator.callsTo('DeleteStream')).toHaveLength(0);
  });
});

describe('/vod cleanup', () => {
  it('shows a campaign’s status and the campaigns awaiting approval, privately', async () => {
    const first = await planCampaign(2, { seed: 'first' });
    time += PROGRESS_EVERY_MS;
    const second = await planCampaign(3, { seed: 'second' });
    const { server, slack } = await serve();
    await posted(slack, second.campaign);

    const status = command(server, slack, `cleanup status ${first.campaign.id.toUpperCase()}`);
    const statusReply = await reply(slack, status.responseId);
    expect(statusReply).toContain('"response_type":"ephemeral"');
    expect(statusReply).toContain(`Clean-up campaign ${first.campaign.id}`);
    expect(statusReply).toMatch(/\*Status:\* pending/);
    expect(statusReply).toContain('2 pending, 0 running, 0 deleted');

    const pending = command(server, slack, 'cleanup pending');
    const pendingReply = await reply(slack, pending.responseId);
    expect(pendingReply).toContain('Clean-up campaigns awaiting approval (2)');
    // Newest first, with their ids and totals.
    expect(pendingReply.indexOf(second.campaign.id)).toBeLessThan(pendingReply.indexOf(first.campaign.id));
    expect(pendingReply).toContain('6 streams of 3 videos');

    const unknown = command(server, slack, 'cleanup status cp-0000000000000');
    await expect(reply(slack, unknown.responseId)).resolves.toContain('No campaign cp-0000000000000');
    const malformed = await command(server, slack, 'cleanup status <!channel>').result;
    expect(JSON.stringify(malformed.json)).toContain('&lt;!channel&gt;\\" is not a campaign id');
    expect(JSON.stringify(malformed.json)).not.toContain('<!channel>');
    const help = await command(server, slack, 'help').result;
    expect(JSON.stringify(help.json)).toContain('/vod cleanup status');
  });
});

describe('progress in place', () => {
  it('shows a running campaign’s progress, updated by one replica each interval', async () => {
    emulator.setLatency(150);
    const { campaign } = await planCampaign(30);
    const one = await serve();
    const two = await serve();
    // Posted by one replica only.
    await posted(one.slack, campaign);
    await new Promise((resolve) => setTimeout(resolve, SEVERAL_PASSES_MS));
    expect(two.slack.callsTo('chat.postMessage')).toHaveLength(0);

    const mark = one.slack.calls.length;
    click(one.server, one.slack, campaign.id, 'U0BOB', ACTION_CAMPAIGN_APPROVE);
    await updateAfter(one.slack, mark, /Library clean-up running/);
    // Both replicas run its items.
    await until(campaign.id, (s) => s.counts.deleted.items >= 2);

    const updatesAt = (seconds: number) =>
      [...one.slack.callsTo('chat.update'), ...two.slack.callsTo('chat.update')].filter((c) =>
        JSON.stringify(c.body).includes(`as of <!date^${seconds}^`),
      );
    for (let interval = 1; interval <= 3; interval++) {
      // Updates are more than an interval apart (an interval and an eighth): two intervals on, one is due.
      time += 2 * PROGRESS_EVERY_MS;
      const seconds = time / 1000;
      const update = await Promise.race([
        updateAfter(one.slack, 0, new RegExp(`as of <!date\\^${seconds}\\^`)),
        updateAfter(two.slack, 0, new RegExp(`as of <!date\\^${seconds}\\^`)),
      ]);
      const body = JSON.stringify(update.body);
      expect(body).toMatch(/`█*░*` \d+%/);
      expect(body).toMatch(/\*Deleted\* \d+ \(.* freed\)/);
      expect(body).toMatch(/\d+\.\d items\/s · about \d+m\d\ds left/);
      await new Promise((resolve) => setTimeout(resolve, SEVERAL_PASSES_MS));
      expect(updatesAt(seconds)).toHaveLength(1);
    }
    click(one.server, one.slack, campaign.id, 'U0BOB', ACTION_CAMPAIGN_CANCEL);
    await updateAfter(one.slack, mark, /Library clean-up cancelled/);
  });
});
