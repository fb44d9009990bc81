import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  type CallToolResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assembleCore, PRINCIPAL_SOURCES } from '../../src/app/runtime.js';
import type { Clock } from '../../src/core/clock.js';
import { AppError } from '../../src/core/errors.js';
import { createAllowlistApprovers } from '../../src/core/requests/approvers.js';
import type { DeletionStore } from '../../src/core/store/deletion-store.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import type { CampaignWorkflow } from '../../src/core/workflow/campaign-workflow.js';
import type { DeletionWorkflow } from '../../src/core/workflow/deletion-workflow.js';
import type { DirectDeletion } from '../../src/core/workflow/direct-deletion.js';
import type { McpApprovalMode } from '../../src/mcp/deps.js';
import { createRequestRateLimit } from '../../src/mcp/rate-limit.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { DEMO } from '../helpers/demo.js';
import { startVodFixture, type VodFixture } from '../helpers/vod-fixture.js';

const bob = { source: 'slack' as const, id: 'U0BOB', displayName: 'bob' };
const PRINCIPAL = { source: 'mcp' as const, id: 'alice', displayName: 'alice' };

interface Harness {
  client: Client;
  vod: VodFixture;
  store: DeletionStore;
  workflow: DeletionWorkflow;
  directDeletion: DirectDeletion;
  campaigns: CampaignWorkflow;
  close(): Promise<void>;
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function connect(
  options: {
    approval?: McpApprovalMode;
    readOnly?: boolean;
    principalId?: string;
    perHour?: number;
    elicit?: (request: ElicitRequest) => ElicitResult | Promise<ElicitResult>;
    /** The backend refuses to open this many times first, as a store that is down would. */
    backendFailures?: number;
    /** The backend throws this instead of opening: a failure nobody translated. */
    backendBug?: Error;
  } = {},
) {
  const vod = await startVodFixture();
  const store = createSqliteStore({ path: ':memory:' });
  await store.migrate();
  const clock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
  let ids = 0;
  let failures = options.backendFailures ?? 0;
  const { workflow, directDeletion, campaigns } = assembleCore({
    store,
    vod: vod.regions,
    approvers: createAllowlistApprovers(['U0BOB'], PRINCIPAL_SOURCES),
    settings: { requiredApprovals: 1, ttlMs: 86_400_000, leaseMs: 60_000 },
    clock,
    newId: () => `dr-mcptest${String(++ids).padStart(6, '0')}`,
    logger: vod.logger,
    instanceId: 'mcp-test',
  });
  const server = createMcpServer({
    backend: async () => {
      if (options.backendBug) throw options.backendBug;
      if (failures-- > 0)
        throw new AppError('CONFIG', 'Could not open the SQLite file /data/vod-ops.db: disk I/O error.');
      return { workflow, directDeletion, campaigns, vod: vod.regions };
    },
    logger: vod.logger,
    clock,
    principal: { ...PRINCIPAL, id: options.principalId ?? PRINCIPAL.id },
    approval: options.approval ?? 'slack',
    rateLimit: createRequestRateLimit(options.perHour ?? 100, () => Date.now()),
    readOnly: options.readOnly ?? false,
    sandbox: false,
    version: '0.0.0-test',
  });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client(
    { name: 'contract-test-client', version: '1.0.0' },
    options.elicit ? { capabilities: { elicitation: { form: {} } } } : {},
  );
  if (options.elicit) client.setRequestHandler(ElicitRequestSchema, options.elicit);
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  harness = {
    client,
    vod,
    store,
    workflow,
    directDeletion,
    campaigns,
    async close() {
      await client.close();
      await workflow.idle();
      await store.close();
      await vod.close();
    },
  };
  return harness;
}

const call = (h: Harness, name: string, args: Record<string, unknown>) =>
  h.client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
const errorBody = (result: CallToolResult) => {
  expect(result.isError).toBe(true);
  const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
  return JSON.parse(text) as Record<string, string>;
};

describe('the tool list', () => {
  it('offers nine tools with strict input schemas, single-object output schemas and honest annotations', async () => {
    const h = await connect();
    const { tools } = await h.client.listTools();
    const summary = Object.fromEntries(
      tools.map((t) => [
        t.name,
        {
          annotations: t.annotations,
          input: t.inputSchema.required,
          additionalProperties: t.inputSchema.additionalProperties,
          output: t.outputSchema?.type,
          hasStatus: Boolean((t.outputSchema?.properties as Record<string, unknown> | undefined)?.status),
        },
      ]),
    );
    expect(summary).toMatchInlineSnapshot(`
      {
        "cancel_cleanup_campaign": {
          "additionalProperties": false,
          "annotations": {
            "destructiveHint": false,
            "idempotentHint": true,
            "openWorldHint": false,
            "readOnlyHint": false,
          },
          "hasStatus": true,
          "input": [
            "id",
          ],
          "output": "object",
        },
        "cancel_deletion_request": {
          "additionalProperties": false,
          "annotations": {
            "destructiveHint": false,
            "idempotentHint": true,
            "openWorldHint": false,
            "readOnlyHint": false,
          },
          "hasStatus": true,
          "input": [
            "requestId",
          ],
          "output": "object",
        },
        "get_cleanup_campaign": {
          "additionalProperties": false,
          "annotations": {
            "destructiveHint": false,
            "idempotentHint": true,
            "openWorldHint": false,
            "readOnlyHint": true,
          },
          "hasStatus": true,
          "input": [
            "id",
          ],
          "output": "object",
        },
        "get_deletion_request": {
          "additionalProperties": false,
          "annotations": {
            "destructiveHint": false,
            "idempotentHint": true,
            "openWorldHint": false,
            "readOnlyHint": true,
          },
          "hasStatus": true,
          "input": [
            "requestId",
          ],
          "output": "object",
        },
        "list_video_streams": {
          "additionalProperties": false,
          "annotations": {
            "destructiveHint": false,
            "idempotentHint": true,
            "openWorldHint": true,
            "readOnlyHint": true,
          },
          "hasStatus": true,
          "input": [
            "videoId",
          ],
          "output": "object",
        },
        "pause_cleanup_campaign": {
          "additionalProperties": false,
          "annotations": {
            "destructiveHint": false,
            "idempotentHint": false,
            "openWorldHint": false,
            "readOnlyHint": false,
          },
          "hasStatus": true,
          "input": [
            "id",
          ],
          "output": "object",
        },
        "plan_stream_cleanup": {
          "additionalProperties": false,
          "annotations": {
            "destructiveHint": false,
            "idempotentHint": false,
            "openWorldHint": true,
            "readOnlyHint": false,
          },
          "hasStatus": true,
          "input": [
            "reason",
          ],
          "output": "object",
        },
        "request_stream_deletion": {
          "additionalProperties": false,
          "annotations": {
            "destructiveHint": true,
            "idempotentHint": true,
            "openWorldHint": true,
            "readOnlyHint": false,
          },
          "hasStatus": true,
          "input": [
            "videoId",
            "jobIds",
            "reason",
          ],
          "output": "object",
        },
        "resume_cleanup_campaign": {
          "additionalProperties": false,
          "annotations": {
            "destructiveHint": true,
            "idempotentHint": false,
            "openWorldHint": false,
            "readOnlyHint": false,
          },
          "hasStatus": true,
          "input": [
            "id",
          ],
          "output": "object",
        },
      }
    `);
    const request = tools.find((t) => t.name === 'request_stream_deletion');
    expect(request?.description).toMatch(/IRREVERSIBLE.*At most 20 job IDs.*approve it in Slack.*expires/s);
  });

  it('registers no deletion tool at all in read-only mode', async () => {
    const h = await connect({ readOnly: true });
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'get_cleanup_campaign',
      'get_deletion_request',
      'list_video_streams',
    ]);
  });
});

describe('list_video_streams', () => {
  it('lists every stream of a video, stale re-transcodes included', async () => {
    const h = await connect();
    const result = await call(h, 'list_video_streams', { videoId: DEMO.keynote });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 'ok', video: { videoId: DEMO.keynote } });
    expect((result.structuredContent as { streams: unknown[] }).streams).toHaveLength(5);
    expect(JSON.parse(result.content[0]?.type === 'text' ? result.content[0].text : '{}')).toEqual(
      result.structuredContent,
    );
  });

  it('answers an unknown video with an error the model can act on, and no URL or stack', async () => {
    const h = await connect();
    const body = errorBody(await call(h, 'list_video_streams', { videoId: DEMO.missing }));
    expect(body).toMatchObject({
      error: 'NOT_FOUND',
      alibabaCode: 'InvalidVideo.NotFound',
      hint: expect.stringMatching(/list_video_streams/),
    });
    expect(body.alibabaRequestId).toBeTruthy();
    expect(JSON.stringify(body)).not.toMatch(/https?:|127\.0\.0\.1|at .*\.ts:/);
  });

  it('refuses unknown arguments', async () => {
    const h = await connect();
    const result = await call(h, 'list_video_streams', { videoId: DEMO.keynote, region: 'cn-beijing' });
    expect(result.isError).toBe(true);
  });
});

describe('request_stream_deletion with Slack approval', () => {
  it('records a request for a person to approve and returns pending_approval with its id and expiry', async () => {
    const h = await connect();
    const result = await call(h, 'request_stream_deletion', {
      videoId: DEMO.keynote,
      jobIds: [DEMO.keynoteLd, DEMO.keynoteStaleHd],
      reason: 'stale re-transcodes',
    });
    expect(result.structuredContent).toMatchObject({
      status: 'pending_approval',
      requestId: 'dr-mcptest000001',
      created: true,
      jobIds: [DEMO.keynoteLd, DEMO.keynoteStaleHd],
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(h.vod.emulator.callsTo('DeleteStream')).toHaveLength(0);
    const stored = await h.workflow.get('dr-mcptest000001');
    expect(stored?.requester).toEqual({ ...PRINCIPAL, clientName: 'contract-test-client' });
  });

  it('reports the outcome with Alibaba’s RequestId once a person approved', async () => {
    const h = await connect();
    await call(h, 'request_stream_deletion', {
      videoId: DEMO.keynote,
      jobIds: [DEMO.keynoteLd],
      reason: 'cleanup',
    });
    const vote = await h.workflow.vote('dr-mcptest000001', bob, 'approve');
    if (vote.ok) await vote.execution;
    const result = await call(h, 'get_deletion_request', { requestId: 'dr-mcptest000001' });
    expect(result.structuredContent).toMatchObject({
      status: 'succeeded',
      alibabaRequestId: h.vod.emulator.callsTo('DeleteStream')[0]?.requestId,
      decidedBy: 'bob (slack:U0BOB)',
    });
  });

  it('waits a bounded time for the decision, sending progress, when asked to', async () => {
    const h = await connect();
    const progress: number[] = [];
    const pending = h.client.callTool(
      {
        name: 'request_stream_deletion',
        arguments: { videoId: DEMO.teaser, jobIds: [DEMO.teaserOnly], reason: 'x', waitSeconds: 5 },
      },
      undefined,
      { onprogress: (p) => void progress.push(p.progress) },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const vote = await h.workflow.vote('dr-mcptest000001', bob, 'approve');
    if (vote.ok) await vote.execution;
    const result = (await pending) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ status: 'succeeded' });
    expect(progress.length).toBeGreaterThanOrEqual(1);
  });

  it('returns the identical pending request instead of a second one', async () => {
    const h = await connect();
    const args = { videoId: DEMO.keynote, jobIds: [DEMO.keynoteLd], reason: 'cleanup' };
    await call(h, 'request_stream_deletion', args);
    const again = await call(h, 'request_stream_deletion', args);
    expect(again.structuredContent).toMatchObject({ requestId: 'dr-mcptest000001', created: false });
  });

  it.each([
    [
      'more than 20 job IDs',
      { jobIds: Array.from({ length: 21 }, (_, i) => i.toString(16).padStart(32, '0')) },
    ],
    ['no job ID', { jobIds: [] }],
    ['no reason', { reason: '' }],
    ['an unknown argument', { approve: true }],
  ])('refuses %s by its schema, creating nothing', async (_name, override) => {
    const h = await connect();
    const result = await call(h, 'request_stream_deletion', {
      videoId: DEMO.keynote,
      jobIds: [DEMO.keynoteLd],
      reason: 'cleanup',
      ...override,
    });
    expect(result.isError).toBe(true);
    expect(await h.workflow.list()).toEqual([]);
  });

  it('refuses job IDs that are not streams of the video, with a hint to list them', async () => {
    const h = await connect();
    const body = errorBody(
      await call(h, 'request_stream_deletion', {
        videoId: DEMO.keynote,
        jobIds: [DEMO.missing],
        reason: 'x',
      }),
    );
    expect(body).toMatchObject({ error: 'INVALID_INPUT', hint: expect.stringMatching(/list_video_streams/) });
  });
});

describe('a backend that cannot open', () => {
  it('answers every tool with what the operator must fix, deletes nothing, and opens on a later call', async () => {
    const h = await connect({ backendFailures: 9 });
    const calls: Array<[string, Record<string, unknown>]> = [
      ['list_video_streams', { videoId: DEMO.keynote }],
      ['request_stream_deletion', { videoId: DEMO.keynote, jobIds: [DEMO.keynoteLd], reason: 'x' }],
      ['get_deletion_request', { requestId: 'dr-0000000000000' }],
      ['cancel_deletion_request', { requestId: 'dr-0000000000000' }],
      ['plan_stream_cleanup', { streams: { status: ['Invisible'] }, reason: 'x', dryRun: true }],
      ['get_cleanup_campaign', { id: 'cp-0000000000000' }],
      ['cancel_cleanup_campaign', { id: 'cp-0000000000000' }],
      ['pause_cleanup_campaign', { id: 'cp-0000000000000' }],
      ['resume_cleanup_campaign', { id: 'cp-0000000000000' }],
    ];
    for (const [name, args] of calls) {
      expect(errorBody(await call(h, name, args)), name).toEqual({
        error: 'CONFIG',
        message: 'Could not open the SQLite file /data/vod-ops.db: disk I/O error.',
        hint: expect.stringMatching(/operator must fix/),
      });
    }
    expect(h.vod.emulator.callsTo('DeleteStream')).toHaveLength(0);
    expect(await h.workflow.list()).toEqual([]);
    const listed = await call(h, 'list_video_streams', { videoId: DEMO.keynote });
    expect(listed.structuredContent).toMatchObject({ status: 'ok' });
  });
});

describe('an unexpected error', () => {
  it('is logged once without its message, and answered with a safe sentence', async () => {
    const bug = new TypeError('cannot read postgres://vodops:s3cr3t-pw@db.internal/vod');
    const h = await connect({ backendBug: bug });
    const body = errorBody(await call(h, 'get_deletion_request', { requestId: 'dr-0000000000000' }));
    expect(body).toEqual({
      error: 'UPSTREAM_UNAVAILABLE',
      message: 'Unexpected error in vod-ops; the operators can find it in its log.',
      hint: expect.any(String),
    });
    const lines = h.vod.logs.filter((l) => l.msg === 'unexpected error in an MCP tool call');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ edge: 'mcp', err: { type: 'TypeError' } });
    expect(h.vod.rawLog()).not.toMatch(/s3cr3t|db\.internal/);
  });
});

describe('each approval mode describes itself truly', () => {
  it.each([
    ['slack', /a person must approve it in Slack/, /person approves in Slack/, []],
    [
      'elicit',
      /user of this client is shown exactly what would be deleted and must confirm/,
      /confirms each deletion/,
      [/Slack/],
    ],
    [
      'none',
      /happens AT ONCE, without any human approval/,
      /AT ONCE when asked, without any human approval/,
      [/Slack/, /approve it/],
    ],
    [
      'unavailable',
      /Here it is refused: no approval path/,
      /Deletion requests are refused here/,
      [/approve it in Slack/],
    ],
  ] as const)('says what happens in mode %s', async (approval, tool, instructions, absent) => {
    const h = await connect({ approval });
    const { tools } = await h.client.listTools();
    const description = tools.find((t) => t.name === 'request_stream_deletion')?.description ?? '';
    const told = h.client.getInstructions() ?? '';
    expect(description).toMatch(tool);
    expect(told).toMatch(instructions);
    for (const wrong of absent) {
      expect(description).not.toMatch(wrong);
      expect(told).not.toMatch(wrong);
    }
  });
});

describe('other approval modes', () => {
  it('refuses deletion requests when no approval path exists (fail closed)', async () => {
    const h = await connect({ approval: 'unavailable' });
    const body = errorBody(
      await call(h, 'request_stream_deletion', {
        videoId: DEMO.keynote,
        jobIds: [DEMO.keynoteLd],
        reason: 'x',
      }),
    );
    expect(body).toMatchObject({ error: 'CONFIG', message: expect.stringMatching(/no approval path/) });
    expect(await h.workflow.list()).toEqual([]);
    expect(h.vod.emulator.callsTo('DeleteStream')).toHaveLength(0);
  });

  it('holds a direct deletion until it is recorded, so that shutdown waits for it', async () => {
    const h = await connect({ approval: 'none' });
    h.vod.emulator.setLatency(300);
    const result = call(h, 'request_stream_deletion', {
      videoId: DEMO.keynote,
      jobIds: [DEMO.keynoteLd],
      reason: 'x',
    });
    const outcomes = async () =>
      (await h.store.listAudit({ videoId: DEMO.keynote })).map((e) => e.details.outcome);
    await vi.waitFor(async () => expect(await outcomes()).toContain('started'), {
      timeout: 5000,
      interval: 5,
    });
    // What shutdown does before it closes the store.
    await h.workflow.idle();
    expect(await outcomes()).toEqual(['started', 'succeeded']);
    expect((await result).structuredContent).toMatchObject({ status: 'deleted' });
  });

  it('deletes at once with approval none, recording the assistant in the audit trail', async () => {
    const h = await connect({ approval: 'none' });
    const result = await call(h, 'request_stream_deletion', {
      videoId: DEMO.keynote,
      jobIds: [DEMO.keynoteLd],
      reason: 'x',
    });
    const deletes = h.vod.emulator.callsTo('DeleteStream');
    expect(result.structuredContent).toMatchObject({
      status: 'deleted',
      alibabaRequestId: deletes[0]?.requestId,
    });
    const trail = await h.store.listAudit({ videoId: DEMO.keynote });
    expect(trail.map((e) => [e.type, e.actor.source, e.details.outcome])).toEqual([
      ['direct_deletion', 'mcp', 'started'],
      ['direct_deletion', 'mcp', 'succeeded'],
    ]);
  });
});

describe('approval by elicitation', () => {
  const args = { videoId: DEMO.keynote, jobIds: [DEMO.keynoteLd], reason: 'stale' };

  it('deletes once the client’s user confirms the exact preview, and records it', async () => {
    let asked = '';
    const h = await connect({
      approval: 'elicit',
      elicit: (request) => {
        asked = request.params.message;
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const result = await call(h, 'request_stream_deletion', args);
    const deletes = h.vod.emulator.callsTo('DeleteStream');
    expect(asked).toMatch(
      new RegExp(
        `Delete 1 stream of video ${DEMO.keynote}.*${DEMO.keynoteLd}.*LD mp4.*4 streams would remain`,
      ),
    );
    expect(result.structuredContent).toMatchObject({
      status: 'deleted',
      alibabaRequestId: deletes[0]?.requestId,
    });
    const trail = await h.store.listAudit({ videoId: DEMO.keynote });
    expect(trail.map((e) => e.details.approval)).toEqual(['elicitation', 'elicitation']);
  });

  it('shows the assistant’s reason last, on one line and quoted, so it cannot pass for the preview', async () => {
    let asked = '';
    const h = await connect({
      approval: 'elicit',
      elicit: (request) => {
        asked = request.params.message;
        return { action: 'decline' };
      },
    });
    await call(h, 'request_stream_deletion', {
      ...args,
      reason: 'stale\n\n0 stream(s) would remain.\nWARNING: none',
    });
    expect(asked).not.toContain('\n');
    expect(asked).toMatch(
      / The assistant's reason, in its own words: "stale 0 stream\(s\) would remain\. WARNING: none"$/,
    );
  });

  it.each([
    ['declines', { action: 'decline' } as ElicitResult, 'declined'],
    ['dismisses the question', { action: 'cancel' } as ElicitResult, 'cancelled'],
    [
      'accepts without ticking the box',
      { action: 'accept', content: { confirm: false } } as ElicitResult,
      'declined',
    ],
  ])('deletes nothing when the user %s', async (_name, answer, status) => {
    const h = await connect({ approval: 'elicit', elicit: () => answer });
    const result = await call(h, 'request_stream_deletion', args);
    expect(result.structuredContent).toMatchObject({ status });
    expect(h.vod.emulator.callsTo('DeleteStream')).toHaveLength(0);
    expect((await h.store.listAudit({ videoId: DEMO.keynote }))[0]?.details.outcome).toBe(status);
  });

  it('refuses when the client cannot ask its user (fail closed)', async () => {
    const h = await connect({ approval: 'elicit' });
    const body = errorBody(await call(h, 'request_stream_deletion', args));
    expect(body).toMatchObject({
      error: 'FORBIDDEN',
      message: expect.stringMatching(/no elicitation support/),
    });
    expect(h.vod.emulator.callsTo('DeleteStream')).toHaveLength(0);
  });
});

describe('the rate limit on deletion requests', () => {
  it('refuses a principal’s requests beyond the hourly limit, saying when to try again', async () => {
    const h = await connect({ perHour: 2 });
    const ask = (jobId: string) =>
      call(h, 'request_stream_deletion', { videoId: DEMO.keynote, jobIds: [jobId], reason: 'x' });
    expect((await ask(DEMO.keynoteLd)).isError).toBeFalsy();
    expect((await ask(DEMO.keynoteSd)).isError).toBeFalsy();
    const third = errorBody(await ask(DEMO.keynoteStaleHd));
    expect(third).toMatchObject({
      error: 'CONFLICT',
      message: expect.stringMatching(/Too many deletion requests from alice.*minute/),
    });
    expect(await h.workflow.list()).toHaveLength(2);
  });

  it('does not count refused or invalid calls, nor an identical request returned again', async () => {
    const h = await connect({ perHour: 2 });
    const ask = (args: Record<string, unknown>) =>
      call(h, 'request_stream_deletion', { videoId: DEMO.keynote, reason: 'x', ...args });
    // Malformed, not a stream of the video, and a video that does not exist: refused, nothing requested.
    expect((await ask({ jobIds: ['nope'] })).isError).toBe(true);
    expect((await ask({ jobIds: [DEMO.missing] })).isError).toBe(true);
    expect((await ask({ videoId: DEMO.missing, jobIds: [DEMO.keynoteLd] })).isError).toBe(true);
    expect((await ask({ jobIds: [DEMO.keynoteLd] })).structuredContent).toMatchObject({ created: true });
    expect((await ask({ jobIds: [DEMO.keynoteLd] })).structuredContent).toMatchObject({ created: false });
    expect((await ask({ jobIds: [DEMO.keynoteSd] })).structuredContent).toMatchObject({ created: true });
    expect(errorBody(await ask({ jobIds: [DEMO.keynoteStaleHd] }))).toMatchObject({ error: 'CONFLICT' });
    expect(await h.workflow.list()).toHaveLength(2);
  });
});

describe('get_deletion_request and cancel_deletion_request', () => {
  it('says so for an unknown request id', async () => {
    const h = await connect();
    expect(errorBody(await call(h, 'get_deletion_request', { requestId: 'dr-0000000000000' }))).toMatchObject(
      {
        error: 'NOT_FOUND',
      },
    );
  });

  it('lets the principal that made a request cancel it, and nobody else', async () => {
    const h = await connect();
    await call(h, 'request_stream_deletion', {
      videoId: DEMO.keynote,
      jobIds: [DEMO.keynoteLd],
      reason: 'x',
    });

    // Another assistant's session, as another principal, on the same store.
    const mallory = createMcpServer({
      backend: async () => ({
        workflow: h.workflow,
        directDeletion: h.directDeletion,
        campaigns: h.campaigns,
        vod: h.vod.regions,
      }),
      logger: h.vod.logger,
      clock: { now: () => Date.now(), monotonic: () => performance.now() },
      principal: { source: 'mcp', id: 'mallory', displayName: 'mallory' },
      approval: 'slack',
      rateLimit: createRequestRateLimit(100, () => Date.now()),
      readOnly: false,
      sandbox: false,
      version: '0.0.0-test',
    });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'other-client', version: '1.0.0' });
    await Promise.all([mallory.connect(serverTransport), client.connect(clientTransport)]);
    const refused = (await client.callTool({
      name: 'cancel_deletion_request',
      arguments: { requestId: 'dr-mcptest000001' },
    })) as CallToolResult;
    expect(errorBody(refused).error).toBe('FORBIDDEN');
    await client.close();

    const cancelled = await call(h, 'cancel_deletion_request', {
      requestId: 'dr-mcptest000001',
      reason: 'wrong video',
    });
    expect(cancelled.structuredContent).toMatchObject({ status: 'cancelled', decisionReason: 'wrong video' });
    // Idempotent, as annotated: the same call again answers the same, and changes nothing.
    const again = await call(h, 'cancel_deletion_request', {
      requestId: 'dr-mcptest000001',
      reason: 'again',
    });
    expect(again.isError).toBeFalsy();
    expect(again.structuredContent).toEqual(cancelled.structuredContent);
  });
});
