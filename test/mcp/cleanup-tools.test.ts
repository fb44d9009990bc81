import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assembleCore, PRINCIPAL_SOURCES } from '../../src/app/runtime.js';
import { CAMPAIGN_ID_PATTERN } from '../../src/core/campaigns/campaign.js';
import type { Clock } from '../../src/core/clock.js';
import { createAllowlistApprovers } from '../../src/core/requests/approvers.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import type { Store } from '../../src/core/store/store.js';
import type { CampaignWorkflow } from '../../src/core/workflow/campaign-workflow.js';
import type { McpApprovalMode } from '../../src/mcp/deps.js';
import { createRequestRateLimit } from '../../src/mcp/rate-limit.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createLibraryCatalogue, type VodEmulatorOptions } from '../../src/sandbox/index.js';
import { DEMO } from '../helpers/demo.js';
import { FAST_RETRY, startVodFixture, type VodFixture } from '../helpers/vod-fixture.js';

/** Known answers on the demo catalogue (test/core/workflow/campaign-planning.test.ts): its one SD stream to drop. */
const SD_RULE = { streams: { definitions: ['SD'] } };
const SD_BYTES = 189_917_554;
/** Its teaser's only stream is SD too: kept, as that video's last playable stream. */
const TEASER_BYTES = 3_672_117;
const GIB = 1024 ** 3;
const bob = { source: 'slack', id: 'U0BOB', displayName: 'bob' };

interface Harness {
  vod: VodFixture;
  store: Store;
  campaigns: CampaignWorkflow;
  /** An MCP client connected as `principal` to a server on the same store. */
  connect(principal: string): Promise<Client>;
  client: Client;
}

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function setUp(
  options: {
    approval?: McpApprovalMode;
    readOnly?: boolean;
    perHour?: number;
    price?: number;
    catalogue?: VodEmulatorOptions['catalogue'];
    /** Items a run claims at once: 0 keeps an approved campaign running with nothing deleted. */
    concurrency?: number;
  } = {},
): Promise<Harness> {
  // A library walk goes at once: pacing has tests of its own.
  const vod = await startVodFixture({
    ...(options.catalogue ? { emulator: { catalogue: options.catalogue } } : {}),
    limiterFor: () => (fn) => fn(),
  });
  const store = createSqliteStore({ path: ':memory:' });
  await store.migrate();
  const clock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
  const { campaigns, workflow, directDeletion } = assembleCore({
    store,
    vod: vod.regions,
    // carol's assistant is an approver; alice's and mallory's are not.
    approvers: createAllowlistApprovers(['U0BOB', 'mcp:carol'], PRINCIPAL_SOURCES),
    settings: {
      requiredApprovals: 1,
      ttlMs: 86_400_000,
      leaseMs: 60_000,
      ...(options.concurrency === undefined ? {} : { campaignConcurrency: options.concurrency }),
    },
    clock,
    logger: vod.logger,
    instanceId: 'mcp-test',
  });
  open.push(async () => {
    await campaigns.idle();
    await store.close();
    await vod.close();
  });
  const rateLimit = createRequestRateLimit(options.perHour ?? 100, () => Date.now());
  const connect = async (principal: string) => {
    const server = createMcpServer({
      backend: async () => ({ workflow, directDeletion, campaigns, vod: vod.regions }),
      logger: vod.logger,
      clock,
      principal: { source: 'mcp', id: principal, displayName: principal },
      approval: options.approval ?? 'slack',
      rateLimit,
      readOnly: options.readOnly ?? false,
      sandbox: false,
      version: '0.0.0-test',
      ...(options.price === undefined ? {} : { storagePricePerGbMonth: options.price }),
    });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'cleanup-test-client', version: '1.0.0' });
    await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
    open.push(() => client.close());
    return client;
  };
  return { vod, store, campaigns, connect, client: await connect('alice') };
}

const call = (client: Client, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
const textOf = (result: CallToolResult) => (result.content[0]?.type === 'text' ? result.content[0].text : '');
const errorBody = (result: CallToolResult) => {
  expect(result.isError).toBe(true);
  return JSON.parse(textOf(result)) as Record<string, string>;
};
const view = (result: CallToolResult) => {
  expect(result.isError).toBeFalsy();
  expect(JSON.parse(textOf(result))).toEqual(result.structuredContent);
  return result.structuredContent as Record<string, unknown> & { id: string; status: string };
};
const plan = (client: Client, args: Record<string, unknown> = {}) =>
  call(client, 'plan_stream_cleanup', { ...SD_RULE, reason: 'drop SD renditions', ...args });

describe('the clean-up tools in the tool list', () => {
  it('are annotated honestly: planning creates a record, getting reads, cancelling withdraws', async () => {
    const { client } = await setUp();
    const { tools } = await client.listTools();
    const annotations = Object.fromEntries(
      tools.filter((t) => /cleanup/.test(t.name)).map((t) => [t.name, t.annotations]),
    );
    expect(annotations).toEqual({
      plan_stream_cleanup: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
      get_cleanup_campaign: {
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
      cancel_cleanup_campaign: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
      pause_cleanup_campaign: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
      resume_cleanup_campaign: {
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: false,
      },
    });
    const planTool = tools.find((t) => t.name === 'plan_stream_cleanup');
    expect(planTool?.description).toMatch(/PEOPLE APPROVE IN SLACK.*cannot delete.*vod-ops cleanup resume/s);
    // The rule file's own fields, each described for the assistant, and nothing else.
    const input = planTool?.inputSchema as unknown as {
      properties: Record<
        string,
        { description?: string; properties?: Record<string, { description?: string }> }
      >;
      required: string[];
      additionalProperties: boolean;
    };
    expect(Object.keys(input.properties)).toEqual([
      'streams',
      'videos',
      'videoIds',
      'guards',
      'region',
      'reason',
      'dryRun',
    ]);
    expect(input.required).toEqual(['reason']);
    expect(input.additionalProperties).toBe(false);
    const undescribed = Object.entries(input.properties).flatMap(([name, field]) => [
      ...(field.description ? [] : [name]),
      ...Object.entries(field.properties ?? {})
        .filter(([, nested]) => !nested.description)
        .map(([nested]) => `${name}.${nested}`),
    ]);
    expect(undescribed).toEqual([]);
  });

  it('offers only get_cleanup_campaign in read-only mode', async () => {
    const { client } = await setUp({ readOnly: true });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).filter((name) => /cleanup/.test(name))).toEqual(['get_cleanup_campaign']);
  });
});

describe('plan_stream_cleanup', () => {
  it('counts what a rule would free with dryRun, with a sample and the monthly saving, storing nothing', async () => {
    const { client, campaigns, vod } = await setUp({ price: 10 });
    const result = view(await plan(client, { dryRun: true }));
    expect(result).toMatchObject({
      status: 'dry_run',
      videosScanned: 4,
      videosMatched: 1,
      streams: 1,
      bytes: SD_BYTES,
      items: 1,
      byDefinition: { SD: { streams: 1, bytes: SD_BYTES } },
      byFormat: { mp4: { streams: 1, bytes: SD_BYTES } },
      heldByGuards: { last_playable: { streams: 1, bytes: TEASER_BYTES } },
      monthlySaving: Math.round((SD_BYTES / GIB) * 10 * 100) / 100,
      pricePerGbMonth: 10,
      rule: [
        'Definition SD',
        'Of every video in the library with status Normal',
        'Guard: each video keeps its last playable stream',
      ],
      sample: [{ videoId: DEMO.keynote, jobIds: [DEMO.keynoteSd], bytes: SD_BYTES }],
      message: expect.stringMatching(/nothing was stored.*people approve in Slack.*cannot delete/),
    });
    expect(result).not.toHaveProperty('id');
    expect(await campaigns.list()).toEqual([]);
    expect(vod.emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('stores a campaign awaiting approval in Slack, with its items, and says the assistant cannot delete them', async () => {
    const { client, campaigns, store, vod } = await setUp();
    const result = view(await plan(client));
    expect(result.id).toMatch(CAMPAIGN_ID_PATTERN);
    expect(result).toMatchObject({
      status: 'pending_approval',
      streams: 1,
      bytes: SD_BYTES,
      items: 1,
      approvals: 0,
      requiredApprovals: 1,
      reason: 'drop SD renditions',
      requestedBy: 'alice (mcp:alice)',
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      sample: [{ videoId: DEMO.keynote, jobIds: [DEMO.keynoteSd] }],
      message: expect.stringMatching(/awaits approval by people in Slack.*you cannot delete anything/),
    });
    expect(result).not.toHaveProperty('monthlySaving');
    expect(await campaigns.get(result.id)).toMatchObject({
      status: 'pending',
      reason: 'drop SD renditions',
      requester: { source: 'mcp', id: 'alice', clientName: 'cleanup-test-client' },
    });
    expect(await campaigns.items(result.id)).toMatchObject([
      { seq: 1, videoId: DEMO.keynote, jobIds: [DEMO.keynoteSd], status: 'pending' },
    ]);
    expect((await store.listAudit({ requestId: result.id })).map((e) => e.type)).toEqual([
      'campaign_created',
      'campaign_planned',
    ]);
    expect(vod.emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it.each([
    [
      'a rule with no stream criterion',
      { streams: undefined },
      /no stream criterion would delete every stream/,
    ],
    [
      'an unknown argument',
      { approve: true },
      /"approve" is not a field of plan_stream_cleanup: its fields are streams, videos/,
    ],
    [
      'a misspelt criterion',
      { streams: { definition: ['SD'] } },
      /"definition" is not a field of streams: its fields are status, definitions/,
    ],
    [
      'an undocumented value',
      { streams: { definitions: ['8K'] } },
      /"8K" is not a definition Alibaba documents: use FD/,
    ],
    [
      'a date in the future',
      { streams: { createdBefore: '2999-01-01' } },
      /streams\.createdBefore: 2999-01-01T00:00:00Z is in the future/,
    ],
    [
      'videoIds with video filters',
      { videoIds: [DEMO.keynote], videos: { title: 'keynote' } },
      /videoIds: cannot be combined with videos\.title/,
    ],
    [
      'a title that would break out of the search',
      { videos: { title: "x') or ('1" } },
      /cannot go safely into SearchMedia's Match expression/,
    ],
    ['a blank reason', { reason: '   ' }, /Give a reason/],
    ['no reason', { reason: undefined }, /reason/],
    ['a dryRun that is not true or false', { dryRun: 'yes' }, /dryRun/],
  ])('refuses %s with a message saying what to fix, storing nothing', async (_name, override, message) => {
    const { client, campaigns } = await setUp();
    const result = await plan(client, override);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(message);
    expect(await campaigns.list()).toEqual([]);
  });

  it('sends progress naming the campaign and how to resume it, when the client gives a progress token', async () => {
    const { client } = await setUp({
      catalogue: createLibraryCatalogue({ videos: 350, seed: 'mcp-progress' }),
    });
    const progress: Progress[] = [];
    const result = (await client.callTool(
      { name: 'plan_stream_cleanup', arguments: { streams: { status: ['Invisible'] }, reason: 'stale' } },
      undefined,
      { onprogress: (p) => void progress.push(p) },
    )) as CallToolResult;
    const { id, videosScanned, videosUnreadable } = view(result) as unknown as {
      id: string;
      videosScanned: number;
      videosUnreadable: number;
    };
    expect(progress.length).toBeGreaterThanOrEqual(4);
    const counts = progress.map((p) => p.progress);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(new Set(counts).size).toBe(counts.length);
    expect(counts.at(-1)).toBe(videosScanned + videosUnreadable);
    for (const p of progress) {
      expect(p.message).toMatch(
        new RegExp(`^Planning ${id}: \\d+ videos read.*vod-ops cleanup resume ${id}\\.$`),
      );
    }
  });

  it('sends no progress to a client that gave no progress token', async () => {
    const { client, vod } = await setUp();
    const notifications: unknown[] = [];
    client.fallbackNotificationHandler = async (n) => void notifications.push(n);
    view(await plan(client, { dryRun: true }));
    expect(notifications).toEqual([]);
    expect(vod.emulator.callsTo('SearchMedia').length).toBeGreaterThan(0);
  });

  it('stops when the client cancels, leaving the campaign planning for vod-ops cleanup resume', async () => {
    const { client, campaigns, vod } = await setUp({
      catalogue: createLibraryCatalogue({ videos: 1_000, seed: 'mcp-cancel' }),
    });
    vod.emulator.setLatency(5);
    const stop = new AbortController();
    let told = '';
    const called = client.callTool(
      { name: 'plan_stream_cleanup', arguments: { streams: { status: ['Invisible'] }, reason: 'stale' } },
      undefined,
      {
        signal: stop.signal,
        onprogress: (p) => {
          told = p.message ?? '';
          stop.abort('the user changed their mind');
        },
      },
    );
    await expect(called).rejects.toThrow();
    const id = /Planning (cp-\w+)/.exec(told)?.[1] ?? '';
    expect(told).toContain(`vod-ops cleanup resume ${id}`);
    // The planner stops after the page it is on, and gives up its claim.
    await vi.waitFor(async () => expect((await campaigns.get(id))?.plan.owner).toBeUndefined(), {
      timeout: 5000,
      interval: 20,
    });
    const stopped = await campaigns.get(id);
    expect(stopped?.status).toBe('planning');
    expect(stopped?.plan.totals.videosScanned).toBeLessThan(1_000);
    expect(vod.logs.some((l) => l.msg.startsWith('campaign planning stopped on request'))).toBe(true);
    // What `vod-ops cleanup resume` does: at once, since nobody holds the plan.
    vod.emulator.setLatency(0);
    expect(await campaigns.resume(id)).toMatchObject({ ok: true, campaign: { status: 'pending' } });
  });

  it('stops a dry run the client cancels, storing nothing and logging no error', async () => {
    const { client, campaigns, vod } = await setUp({
      catalogue: createLibraryCatalogue({ videos: 1_000, seed: 'mcp-cancel-dry' }),
    });
    vod.emulator.setLatency(5);
    const stop = new AbortController();
    const called = client.callTool(
      {
        name: 'plan_stream_cleanup',
        arguments: { streams: { status: ['Invisible'] }, reason: 'x', dryRun: true },
      },
      undefined,
      { signal: stop.signal, onprogress: () => stop.abort() },
    );
    await expect(called).rejects.toThrow();
    const searches = () => vod.emulator.callsTo('SearchMedia').length;
    // The walk comes to rest after the page it was on.
    await vi.waitFor(
      async () => {
        const before = searches();
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(searches()).toBe(before);
      },
      { timeout: 5000 },
    );
    expect(searches()).toBeLessThan(10);
    expect(await campaigns.list()).toEqual([]);
    expect(vod.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('reports a plan Alibaba stopped with the campaign it keeps and how to resume it, and counts it', async () => {
    const { client, campaigns, vod } = await setUp({ perHour: 1 });
    vod.emulator.injectFault({ action: 'SearchMedia', kind: 'InternalError', times: FAST_RETRY.maxAttempts });
    const body = errorBody(await plan(client));
    const [stopped] = await campaigns.list();
    expect(stopped?.status).toBe('planning');
    expect(body).toMatchObject({
      error: 'UPSTREAM_UNAVAILABLE',
      message: expect.stringContaining(`Campaign ${stopped?.id} stopped planning`),
      hint: expect.stringContaining(`vod-ops cleanup resume ${stopped?.id}`),
    });
    // It asked for something: the campaign exists, so it counts.
    expect(errorBody(await plan(client))).toMatchObject({ error: 'CONFLICT' });
  });

  it('counts a stored plan against the principal’s hourly limit, and a dry run not', async () => {
    const { client, campaigns } = await setUp({ perHour: 1 });
    view(await plan(client, { dryRun: true }));
    view(await plan(client));
    expect(errorBody(await plan(client))).toMatchObject({
      error: 'CONFLICT',
      message: expect.stringMatching(
        /Too many deletion requests and campaigns from alice.*Nothing was planned/,
      ),
    });
    expect(await campaigns.list()).toHaveLength(1);
  });

  it('stores no campaign when no approval path exists, and still counts with dryRun', async () => {
    const { client, campaigns } = await setUp({ approval: 'unavailable' });
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === 'plan_stream_cleanup')?.description).toMatch(/only dryRun works/);
    expect(errorBody(await plan(client))).toMatchObject({
      error: 'CONFIG',
      message: expect.stringMatching(/nobody could approve one/),
    });
    expect(view(await plan(client, { dryRun: true })).status).toBe('dry_run');
    expect(await campaigns.list()).toEqual([]);
  });
});

describe('get_cleanup_campaign', () => {
  it('reports a campaign’s status, rule, approvals and items by status, whatever the id’s case', async () => {
    const { client } = await setUp();
    const planned = view(await plan(client));
    const got = view(await call(client, 'get_cleanup_campaign', { id: ` ${planned.id.toUpperCase()} ` }));
    expect(got).toMatchObject({
      id: planned.id,
      status: 'pending_approval',
      rule: planned.rule,
      approvals: 0,
      requiredApprovals: 1,
      expiresAt: planned.expiresAt,
      streams: 1,
      bytes: SD_BYTES,
      itemsPending: 1,
      itemsDone: 0,
      itemsSkipped: 0,
      itemsFailed: 0,
      bytesFreed: 0,
      problemItems: [],
    });
  });

  it('reports what execution made of the items: done, skipped and failed, a few of them with why', async () => {
    const { client, campaigns, vod } = await setUp({
      catalogue: createLibraryCatalogue({ videos: 120, seed: 'mcp-problems' }),
    });
    const planned = view(await plan(client, { streams: { status: ['Invisible'] } }));
    const items = planned.items as number;
    expect(items).toBeGreaterThanOrEqual(3);
    // Between the plan and its run, the first item's video is blocked, and Alibaba refuses every DeleteStream.
    const [first] = await campaigns.items(planned.id, { limit: 1 });
    const video = vod.emulator.video(first?.videoId ?? '');
    if (video) vod.emulator.addVideos([{ ...video, status: 'Blocked' }]);
    vod.emulator.injectFault({ action: 'DeleteStream', kind: 'DeleteStreamFailed', times: 100_000 });
    expect(await campaigns.vote(planned.id, bob, 'approve')).toMatchObject({ ok: true });
    await campaigns.run(planned.id, { untilFinished: true });
    await campaigns.idle();

    const got = view(await call(client, 'get_cleanup_campaign', { id: planned.id }));
    expect(got).toMatchObject({
      status: 'completed',
      decision: 'approved',
      decidedBy: 'bob (slack:U0BOB)',
      approvals: 1,
      itemsPending: 0,
      itemsDone: 0,
      itemsSkipped: 1,
      itemsFailed: items - 1,
      bytesFreed: 0,
      message: `Campaign ${planned.id} is completed. 0 items deleted (0 B freed), 1 skipped, ${items - 1} failed.`,
    });
    const problems = got.problemItems as Array<Record<string, unknown>>;
    expect(problems).toHaveLength(Math.min(5, items));
    expect(problems[0]).toMatchObject({
      seq: 1,
      status: 'skipped',
      reason: expect.stringMatching(/can no longer be read .*skipped/),
      alibabaCode: 'Forbidden.IllegalStatus',
    });
    expect(problems[1]).toMatchObject({
      seq: 2,
      status: 'failed',
      reason: expect.stringMatching(/failed/),
      alibabaCode: 'DeleteStreamFailed',
      alibabaRequestId: expect.any(String),
    });
  });

  it('says so for an unknown campaign, and for an id that is no campaign id', async () => {
    const { client } = await setUp();
    expect(errorBody(await call(client, 'get_cleanup_campaign', { id: 'cp-0000000000000' }))).toMatchObject({
      error: 'NOT_FOUND',
      message: 'No campaign cp-0000000000000.',
      hint: expect.stringMatching(/plan_stream_cleanup/),
    });
    for (const id of ['dr-7kq2m9x4pzt1b', 'cp-123', '', 'cp-7kq2m9x4pzt1b; drop table']) {
      expect(errorBody(await call(client, 'get_cleanup_campaign', { id })), id).toMatchObject({
        error: 'INVALID_INPUT',
        message: expect.stringMatching(/is not a campaign id: campaign ids look like cp-7kq2m9x4pzt1b/),
      });
    }
  });
});

describe('cancel_cleanup_campaign', () => {
  it('lets the requester cancel, recorded as the assistant’s principal; a second call answers the same', async () => {
    const { client, campaigns, store } = await setUp();
    const planned = view(await plan(client));
    const cancelled = view(
      await call(client, 'cancel_cleanup_campaign', { id: planned.id, reason: 'wrong week' }),
    );
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      decision: 'cancelled',
      decidedBy: 'alice (mcp:alice)',
      decisionReason: 'wrong week',
      message: `Campaign ${planned.id} is cancelled: nothing of it will be deleted.`,
    });
    expect(await campaigns.get(planned.id)).toMatchObject({ status: 'cancelled' });
    const trail = await store.listAudit({ requestId: planned.id });
    expect(trail.at(-1)).toMatchObject({ type: 'campaign_cancelled', actor: { source: 'mcp', id: 'alice' } });

    // Idempotent, as annotated: the same call again changes nothing and answers as the first did.
    const again = view(await call(client, 'cancel_cleanup_campaign', { id: planned.id, reason: 'again' }));
    expect(again).toEqual(cancelled);
    expect(await store.listAudit({ requestId: planned.id })).toHaveLength(trail.length);
  });

  it('refuses another principal that is no approver, saying who may, and lets an approver’s assistant cancel', async () => {
    const h = await setUp();
    const planned = view(await plan(h.client));
    const mallory = await h.connect('mallory');
    expect(errorBody(await call(mallory, 'cancel_cleanup_campaign', { id: planned.id }))).toMatchObject({
      error: 'FORBIDDEN',
      message: expect.stringMatching(
        /Only campaign cp-\w+'s requester or an approver may cancel it.*\(mcp:mallory\)/,
      ),
      hint: expect.stringMatching(/vod-ops cleanup cancel/),
    });
    expect(await h.campaigns.get(planned.id)).toMatchObject({ status: 'pending' });

    const carol = await h.connect('carol');
    const cancelled = view(await call(carol, 'cancel_cleanup_campaign', { id: planned.id }));
    expect(cancelled).toMatchObject({ status: 'cancelled', decidedBy: 'carol (mcp:carol)' });
  });

  it('refuses a campaign that is closed otherwise, pointing to get_cleanup_campaign', async () => {
    const { client } = await setUp();
    // The rule selects nothing: the plan is completed at once, with nothing to approve.
    const planned = view(await plan(client, { streams: { definitions: ['4K'] } }));
    expect(planned).toMatchObject({
      status: 'completed',
      items: 0,
      message: expect.stringMatching(/found nothing/),
    });
    expect(errorBody(await call(client, 'cancel_cleanup_campaign', { id: planned.id }))).toMatchObject({
      error: 'CONFLICT',
      message: expect.stringMatching(/is already completed/),
      hint: expect.stringMatching(/get_cleanup_campaign/),
    });
  });
});

describe('pause_cleanup_campaign and resume_cleanup_campaign', () => {
  it('pause and resume a running campaign as its requester or an approver, refusing anyone else', async () => {
    const h = await setUp({ concurrency: 0 });
    const planned = view(await plan(h.client));
    expect(await h.campaigns.vote(planned.id, bob, 'approve')).toMatchObject({ ok: true });
    await h.campaigns.idle();
    expect(await h.campaigns.get(planned.id)).toMatchObject({ status: 'running' });

    const mallory = await h.connect('mallory');
    expect(errorBody(await call(mallory, 'pause_cleanup_campaign', { id: planned.id }))).toMatchObject({
      error: 'FORBIDDEN',
      message: expect.stringMatching(/requester or an approver may pause or resume.*Nothing was changed/),
      hint: expect.stringMatching(/cleanup pause\|resume/),
    });
    const paused = view(
      await call(h.client, 'pause_cleanup_campaign', { id: planned.id, reason: 'peak hours' }),
    );
    expect(paused).toMatchObject({ status: 'paused' });
    expect(errorBody(await call(h.client, 'pause_cleanup_campaign', { id: planned.id }))).toMatchObject({
      error: 'CONFLICT',
      message: expect.stringMatching(/is paused: only an approved or running campaign can be paused/),
    });
    expect(errorBody(await call(mallory, 'resume_cleanup_campaign', { id: planned.id }))).toMatchObject({
      error: 'FORBIDDEN',
    });
    const carol = await h.connect('carol');
    expect(view(await call(carol, 'resume_cleanup_campaign', { id: planned.id }))).toMatchObject({
      status: 'running',
    });
    expect(errorBody(await call(carol, 'resume_cleanup_campaign', { id: planned.id }))).toMatchObject({
      error: 'CONFLICT',
      message: expect.stringMatching(/not paused/),
    });
    const trail = await h.store.listAudit({ requestId: planned.id });
    expect(trail.slice(-2)).toMatchObject([
      { type: 'campaign_paused', actor: { source: 'mcp', id: 'alice' }, details: { reason: 'peak hours' } },
      { type: 'campaign_resumed', actor: { source: 'mcp', id: 'carol' } },
    ]);
    // Nothing ran here: resuming leaves the run to the servers' replicas.
    expect(await h.campaigns.counts(planned.id)).toMatchObject({ deleted: { items: 0, bytes: 0 } });
  });

  it('refuses to pause a campaign still awaiting approval', async () => {
    const { client } = await setUp();
    const planned = view(await plan(client));
    expect(errorBody(await call(client, 'pause_cleanup_campaign', { id: planned.id }))).toMatchObject({
      error: 'CONFLICT',
      message: expect.stringMatching(/is pending: only an approved or running campaign can be paused/),
    });
  });
});
