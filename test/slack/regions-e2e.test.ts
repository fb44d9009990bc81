import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app/server.js';
import type { Clock } from '../../src/core/clock.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import { createDemoCatalogue, startVodEmulator, type VodEmulator } from '../../src/sandbox/index.js';
import { ACTION_APPROVE } from '../../src/slack/blocks.js';
import { DEMO } from '../helpers/demo.js';
import {
  approvalMessageTs,
  type FakeSlack,
  type FakeSlackCall,
  startFakeSlack,
} from '../helpers/fake-slack.js';
import { blockActionPayload, postInteraction, postSlashCommand } from '../helpers/slack-request.js';
import {
  SIGNING_SECRET,
  startSlackServer,
  stubAlibabaCredentials,
  tempDbPath,
} from '../helpers/slack-server.js';
import { TEST_KEY } from '../helpers/vod-fixture.js';

const CHANNEL = 'C0APPROVALS';
const REQUESTER = 'U0ALICE';
const APPROVER = 'U0BOB';

stubAlibabaCredentials();

// Two regions, each its own emulator: Shanghai holds the keynote, Singapore the teaser; the podcast is (against
// all odds) in both, so it is ambiguous.
let shanghai: VodEmulator;
let singapore: VodEmulator;
let slack: FakeSlack;
let server: RunningServer;
let dbPath: string;
let responses = 0;
const clock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };

beforeEach(async () => {
  const demo = createDemoCatalogue();
  const only = (...ids: string[]) => demo.filter((v) => ids.includes(v.videoId));
  shanghai = await startVodEmulator({
    credentials: [TEST_KEY],
    region: 'cn-shanghai',
    catalogue: only(DEMO.keynote, DEMO.podcast),
  });
  singapore = await startVodEmulator({
    credentials: [TEST_KEY],
    region: 'ap-southeast-1',
    catalogue: only(DEMO.teaser, DEMO.podcast),
  });
  slack = await startFakeSlack();
  dbPath = tempDbPath('regions');
  server = await startSlackServer({
    slack,
    dbPath,
    approvers: [APPROVER],
    env: { VOD_REGIONS: `cn-shanghai=${shanghai.endpoint} ap-southeast-1=${singapore.endpoint}` },
    clock,
  });
});
afterEach(async () => {
  await server.close();
  await slack.close();
  await shanghai.close();
  await singapore.close();
});

async function command(text: string): Promise<string> {
  const responseId = `cmd-${++responses}`;
  const ack = await postSlashCommand(server.url, SIGNING_SECRET, {
    text,
    user_id: REQUESTER,
    user_name: 'alice',
    channel_id: CHANNEL,
    response_url: slack.responseUrl(responseId),
  });
  expect(ack.status).toBe(200);
  const response = await slack.waitForResponse((r) => r.id === responseId);
  return String(response.body.text ?? '');
}

function buttonValue(call: FakeSlackCall): string {
  const blocks = call.body.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTION_APPROVE);
  if (!button?.value) throw new Error('no Approve button');
  return button.value;
}

/** Requests by slash command, approves by a signed click, and waits for the outcome in the message. */
async function requestAndApprove(text: string): Promise<{ requestId: string; posted: FakeSlackCall }> {
  const before = slack.callsTo('chat.postMessage').length;
  await command(text);
  const posted = await slack.waitFor(
    (c) =>
      c.method === 'chat.postMessage' &&
      !c.body.thread_ts &&
      slack.callsTo('chat.postMessage').indexOf(c) >= before,
  );
  const requestId = buttonValue(posted);
  const click = await postInteraction(
    server.url,
    SIGNING_SECRET,
    blockActionPayload({
      userId: APPROVER,
      requestId,
      actionId: ACTION_APPROVE,
      channel: CHANNEL,
      messageTs: approvalMessageTs(slack, requestId),
      responseUrl: slack.responseUrl(`click-${++responses}`),
    }),
  );
  expect(click.status).toBe(200);
  await slack.waitFor(
    (c) =>
      c.method === 'chat.update' &&
      JSON.stringify(c.body).includes(requestId) &&
      /Alibaba RequestId/.test(JSON.stringify(c.body)),
  );
  return { requestId, posted };
}

describe('a deployment serving two regions', () => {
  it('routes each request to the region that holds its video, and records and shows the region', async () => {
    const keynote = await requestAndApprove(
      `delete-stream ${DEMO.keynote} ${DEMO.keynoteLd},${DEMO.keynoteSd} stale renditions`,
    );
    const teaser = await requestAndApprove(`delete-stream ${DEMO.teaser} ${DEMO.teaserOnly} retired teaser`);

    // Each DeleteStream went to its own region's endpoint, and only there.
    expect(shanghai.callsTo('DeleteStream').map((c) => c.params.VideoId)).toEqual([DEMO.keynote]);
    expect(singapore.callsTo('DeleteStream').map((c) => c.params.VideoId)).toEqual([DEMO.teaser]);
    expect(shanghai.callsTo('DeleteStream')[0]?.params.JobIds).toBe(`${DEMO.keynoteLd},${DEMO.keynoteSd}`);
    expect(singapore.callsTo('DeleteStream')[0]?.params.JobIds).toBe(DEMO.teaserOnly);
    // The approval messages say where.
    expect(JSON.stringify(keynote.posted.body.blocks)).toContain('cn-shanghai');
    expect(JSON.stringify(teaser.posted.body.blocks)).toContain('ap-southeast-1');

    const store = createSqliteStore({ path: dbPath });
    try {
      expect((await store.get(keynote.requestId))?.region).toBe('cn-shanghai');
      expect((await store.get(teaser.requestId))?.region).toBe('ap-southeast-1');
      const created = await store.listAudit({ requestId: teaser.requestId });
      expect(created.find((e) => e.type === 'created')?.details.region).toBe('ap-southeast-1');
      const succeeded = await store.get(teaser.requestId);
      expect(succeeded?.status).toBe('succeeded');
      expect(succeeded?.execution?.requestId).toBe(singapore.callsTo('DeleteStream')[0]?.requestId);
    } finally {
      await store.close();
    }
  });

  it('refuses a video no region holds, and one two regions hold unless the region is named', async () => {
    await expect(command(`delete-stream ${DEMO.missing} ${DEMO.keynoteLd} gone`)).resolves.toMatch(
      /was not found in any region vod-ops serves \(cn-shanghai, ap-southeast-1\)/,
    );
    await expect(command(`delete-stream ${DEMO.podcast} ${DEMO.keynoteLd} which one`)).resolves.toMatch(
      /exists in cn-shanghai and ap-southeast-1: say which region/,
    );
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);

    await command(`streams ${DEMO.podcast} --region ap-southeast-1`);
    const listed = slack.responses.at(-1);
    expect(JSON.stringify(listed?.body)).toMatch(/transcoded stream.*ap-southeast-1/);
    await expect(command(`streams ${DEMO.keynote} --region eu-central-1`)).resolves.toMatch(
      /does not serve region "eu-central-1": use one of cn-shanghai, ap-southeast-1/,
    );
    expect(shanghai.callsTo('DeleteStream')).toHaveLength(0);
    expect(singapore.callsTo('DeleteStream')).toHaveLength(0);
  });
});
