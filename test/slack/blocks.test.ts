import type { Button, KnownBlock, View } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { DeletionPreview } from '../../src/core/requests/deletion-preview.js';
import type { DeletionRequest, RequestStatus } from '../../src/core/requests/deletion-request.js';
import type { Principal } from '../../src/core/requests/principal.js';
import type { StreamInfo, VideoDetails } from '../../src/core/vod/vod-api.js';
import type { WorkflowRefusal } from '../../src/core/workflow/deletion-workflow.js';
import {
  ACTION_APPROVE,
  ACTION_REJECT,
  approvalMessage,
  clip,
  decidedMessage,
  escapeMrkdwn,
  helpMessage,
  outcomeThreadReply,
  pendingListMessage,
  REJECT_REASON_BLOCK,
  REJECT_REASON_INPUT,
  refusalText,
  rejectReasonModal,
  requestStatusMessage,
  type SlackMessage,
  streamsMessage,
  VIEW_REJECT,
} from '../../src/slack/blocks.js';
import { assertWithinBlockKitLimits } from '../helpers/block-kit-limits.js';
import { aDeletionRequest, aPreview, aStream, aVideoId, someJobIds } from '../helpers/builders.js';

const CREATED = Date.UTC(2025, 2, 1, 9, 0, 0);
const EXPIRES = CREATED + 24 * 3600_000;
const DECIDED = CREATED + 600_000;

const RITA: Principal = { source: 'slack', id: 'U0RITA', displayName: 'Rita Requester' };
const ALICE: Principal = { source: 'slack', id: 'U0ALICE', displayName: 'Alice Approver' };
const BOB: Principal = { source: 'slack', id: 'U0BOB', displayName: 'Bob Approver' };
const CAROL_VIA_AI: Principal = {
  source: 'mcp',
  id: 'carol-token',
  displayName: 'Carol <ops> & co',
  clientName: 'claude-code',
};
const SYSTEM: Principal = { source: 'system', id: 'vod-ops-1', displayName: 'vod-ops' };

const VIDEO_ID = '94783faed59e41bde3bea921c994e5da';
const hex = (c: string) => c.repeat(32);

const stream = (jobId: string, over: Partial<StreamInfo> = {}): StreamInfo =>
  aStream(jobId, {
    bitrateKbps: 2400,
    sizeBytes: 734_003_200,
    durationSeconds: 3725,
    width: 1920,
    height: 1080,
    ...over,
  });

/** The preview the product builds for deleting `toDelete` and keeping `remaining`. */
function preview(toDelete: StreamInfo[], remaining: StreamInfo[], title = 'Launch keynote'): DeletionPreview {
  return aPreview(VIDEO_ID, toDelete, remaining, { title, durationSeconds: 3725 });
}

const HD = stream(hex('1'));
const SD = stream(hex('2'), { definition: 'SD', format: 'm3u8', sizeBytes: 104_857_600, bitrateKbps: 800 });
const LD = stream(hex('3'), { definition: 'LD', sizeBytes: undefined });

function request(overrides: Partial<DeletionRequest> = {}): DeletionRequest {
  return aDeletionRequest({
    id: 'dr-7f3k9q2m',
    videoId: aVideoId(VIDEO_ID),
    jobIds: someJobIds(HD.jobId, SD.jobId),
    preview: preview([HD, SD], [LD]),
    reason: 'stale renditions after the re-encode',
    requester: RITA,
    createdAt: CREATED,
    expiresAt: EXPIRES,
    ...overrides,
  });
}

const approvedByAlice = { approver: ALICE, decision: 'approve' as const, at: DECIDED };

/** A request in `status`, with the decision and execution a real one in that status would have. */
function inStatus(status: RequestStatus, base: DeletionRequest = request()): DeletionRequest {
  const approved = {
    votes: [...base.votes, approvedByAlice],
    decision: { outcome: 'approved' as const, by: ALICE, at: DECIDED },
  };
  const execution = { owner: 'vod-ops-1', leaseUntil: DECIDED + 30_000, claims: 1, startedAt: DECIDED + 10 };
  switch (status) {
    case 'pending':
      return base;
    case 'approved':
      return { ...base, ...approved, status };
    case 'executing':
      return { ...base, ...approved, status, execution };
    case 'succeeded':
      return {
        ...base,
        ...approved,
        status,
        execution: {
          ...execution,
          finishedAt: DECIDED + 900,
          requestId: 'RID-DELETE-2',
          requestIds: ['RID-DELETE-1', 'RID-DELETE-2'],
          alreadyDeleted: false,
        },
      };
    case 'failed':
      return {
        ...base,
        ...approved,
        status,
        execution: {
          ...execution,
          finishedAt: DECIDED + 900,
          error: {
            code: 'UPSTREAM_REJECTED',
            message: 'Alibaba refused: the RAM user may not call DeleteStream.',
            vodCode: 'Forbidden.RAMPermission',
            httpStatus: 403,
            requestId: 'RID-FAILED',
          },
        },
      };
    case 'rejected':
      return {
        ...base,
        status,
        votes: [{ approver: BOB, decision: 'reject', reason: 'still used by the <mobile> app', at: DECIDED }],
        decision: { outcome: 'rejected', by: BOB, reason: 'still used by the <mobile> app', at: DECIDED },
      };
    case 'expired':
      return { ...base, status, decision: { outcome: 'expired', at: EXPIRES } };
    case 'cancelled':
      return {
        ...base,
        status,
        decision: { outcome: 'cancelled', by: RITA, reason: 'wrong video', at: DECIDED },
      };
  }
}

const STATUSES: RequestStatus[] = [
  'pending',
  'approved',
  'executing',
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
];

/** 20 job IDs, a 500-character reason full of mrkdwn control characters, a 300-character title, an AI requester. */
function worstCase(): DeletionRequest {
  const ids = Array.from({ length: 20 }, (_, i) => i.toString(16).padStart(2, '0').repeat(16));
  const toDelete = ids.map((id) => stream(id, { definition: 'AUTO', format: 'm3u8' }));
  const remaining = Array.from({ length: 30 }, (_, i) => stream(`r${String(i).padStart(31, '0')}`));
  const title = '<b>&*'.repeat(60);
  return request({
    jobIds: someJobIds(...ids),
    preview: preview(toDelete, remaining, title),
    reason: '<&*>'.repeat(125),
    requester: CAROL_VIA_AI,
    requiredApprovals: 3,
    votes: [
      { approver: BOB, decision: 'approve', at: DECIDED - 1 },
      {
        approver: { source: 'cli', id: 'ops', displayName: '<dave> & *sons*' },
        decision: 'approve',
        at: DECIDED,
      },
    ],
  });
}

function allBlocks(message: SlackMessage | View): KnownBlock[] {
  return message.blocks as KnownBlock[];
}

function buttons(message: SlackMessage): Button[] {
  return allBlocks(message).flatMap((b) =>
    b.type === 'actions' ? b.elements.filter((e): e is Button => e.type === 'button') : [],
  );
}

/** Every mrkdwn/plain string in the message, the fallback text included. */
function texts(message: SlackMessage): string[] {
  const found: string[] = [message.text];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') found.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(message.blocks);
  return found;
}

const joined = (message: SlackMessage) => texts(message).join('\n');

/** The words shown quoted, as literal rich text (a reason): exactly as given, never read as mrkdwn. */
function quoted(message: SlackMessage): string[] {
  return allBlocks(message)
    .filter((b) => b.type === 'rich_text')
    .flatMap((b) => (b as { elements: Array<{ type: string; elements: Array<{ text: string }> }> }).elements)
    .filter((e) => e.type === 'rich_text_quote')
    .map((e) => e.elements.map((t) => t.text).join(''));
}

/** Fails if any `<`, `>` or bare `&` appears other than in Slack's own tokens (mentions, dates). */
function expectEscaped(message: SlackMessage) {
  for (const text of texts(message)) {
    const withoutTokens = text.replace(/<@[A-Za-z0-9_.-]+>/g, '').replace(/<!date\^[^<>]+>/g, '');
    expect(withoutTokens, text).not.toMatch(/[<>]/);
    expect(withoutTokens, text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }
}

const sandbox = { sandbox: true };
const production = { sandbox: false };

const VIDEO: VideoDetails = {
  requestId: 'RID-VIDEO',
  videoId: VIDEO_ID,
  title: 'Launch keynote',
  status: 'Normal',
  durationSeconds: 3725,
  sourceSizeBytes: 2_147_483_648,
};

const everyMessage = (r: DeletionRequest, ctx: { sandbox: boolean }): [string, SlackMessage][] => [
  ['approvalMessage', approvalMessage(r, ctx)],
  ['decidedMessage', decidedMessage(r, ctx)],
  ['outcomeThreadReply', outcomeThreadReply(r, ctx)],
  ['requestStatusMessage', requestStatusMessage(r, ctx)],
  ['pendingListMessage', pendingListMessage([r], ctx)],
];

describe('approvalMessage', () => {
  const message = approvalMessage(request(), production);
  const text = joined(message);

  it('asks whether to delete the streams and names who asked', () => {
    expect(allBlocks(message)[0]).toMatchObject({
      type: 'header',
      text: { text: 'Delete 2 streams of a video?' },
    });
    expect(text).toContain('<@U0RITA>');
    expect(message.text).toMatch(
      /Approval needed: delete 2 streams of video 94783faed59e41bde3bea921c994e5da/,
    );
  });

  it('shows the video, every stream to delete with its size, what remains, the reason and the storage freed', () => {
    expect(text).toContain('*Launch keynote*');
    expect(text).toContain(`\`${VIDEO_ID}\` · Normal · 1h02m`);
    expect(text).toContain(`• \`${HD.jobId}\` HD · mp4 · 700.0 MiB`);
    expect(text).toContain(`• \`${SD.jobId}\` SD · m3u8 · 100.0 MiB`);
    expect(text).toContain('*What remains (1):*');
    expect(text).toContain(`\`${LD.jobId}\` LD · mp4 · unknown size`);
    expect(text).toContain('Reason given by <@U0RITA>:');
    expect(quoted(approvalMessage(request(), production))).toEqual(['stale renditions after the re-encode']);
    expect(text).toContain('*Frees*\n800.0 MiB');
  });

  it('shows the request id, the approvals needed and the expiry as a Slack date', () => {
    expect(text).toContain('`dr-7f3k9q2m`');
    expect(text).toContain('0 of 1 approval');
    expect(text).toContain(`<!date^${EXPIRES / 1000}^{date_short_pretty} {time}|2025-03-02T09:00:00Z>`);
  });

  it('offers Approve (primary, confirmed) and Reject (danger) carrying only the request id', () => {
    const [approve, reject] = buttons(message);
    expect(approve).toMatchObject({ action_id: ACTION_APPROVE, style: 'primary', value: 'dr-7f3k9q2m' });
    expect(approve?.text.text).toBe('Approve');
    expect(approve?.confirm?.text.text).toMatch(/irreversibly deletes 2 streams/);
    expect(approve?.confirm?.confirm?.text).toBe('Delete 2 streams');
    expect(reject).toMatchObject({ action_id: ACTION_REJECT, style: 'danger', value: 'dr-7f3k9q2m' });
    expect(reject?.confirm).toBeUndefined();
  });

  it('warns prominently when no playable stream would remain, and says nothing remains', () => {
    const all = approvalMessage(
      request({ jobIds: someJobIds(HD.jobId, SD.jobId, LD.jobId), preview: preview([HD, SD, LD], []) }),
      production,
    );
    const warning = allBlocks(all).findIndex(
      (b) => b.type === 'section' && /:warning:/.test(b.text?.text ?? ''),
    );
    const streams = allBlocks(all).findIndex(
      (b) => b.type === 'section' && /Streams to delete/.test(b.text?.text ?? ''),
    );
    expect(warning).toBeGreaterThan(0);
    expect(warning).toBeLessThan(streams);
    expect(joined(all)).toContain('no playable stream would remain');
    expect(joined(all)).toContain('No stream would remain: the video can no longer be played');
    expect(joined(all)).toContain('*What remains:* nothing');
    expect(joined(all)).toContain('Delete 3 streams of a video?');
  });

  it('shows no warning when a playable stream remains', () => {
    expect(text).not.toContain(':warning:');
  });

  it('names the AI assistant and the person it acts for', () => {
    const fromAi = approvalMessage(request({ requester: CAROL_VIA_AI }), production);
    expect(joined(fromAi)).toContain('AI assistant *claude-code* for Carol &lt;ops&gt; &amp; co');
  });

  it('names a command-line requester by display name', () => {
    const fromCli = approvalMessage(
      request({ requester: { source: 'cli', id: 'ops', displayName: 'ops on bastion' } }),
      production,
    );
    expect(joined(fromCli)).toContain('ops on bastion (command line)');
  });

  it('says when no reason was given', () => {
    const message = approvalMessage(request({ reason: '' }), production);
    expect(joined(message)).toContain('Reason given by <@U0RITA>: _(none given)_');
    expect(quoted(message)).toEqual([]);
  });

  it('counts streams of unknown size separately from the storage freed', () => {
    const unsized = approvalMessage(
      request({ jobIds: someJobIds(HD.jobId, LD.jobId), preview: preview([HD, LD], [SD]) }),
      production,
    );
    expect(joined(unsized)).toContain('*Frees*\n700.0 MiB + 1 stream of unknown size');
  });
});

describe('decidedMessage', () => {
  const lines: Record<Exclude<RequestStatus, 'pending'>, string> = {
    approved: 'Approved by <@U0ALICE> — deleting…',
    executing: 'Approved by <@U0ALICE> — deleting…',
    succeeded: 'Deleted by approval of <@U0ALICE>. Alibaba RequestId: `RID-DELETE-2`',
    failed:
      'Approved by <@U0ALICE>, but deletion failed: Alibaba refused: the RAM user may not call DeleteStream. ' +
      '(code `Forbidden.RAMPermission`, RequestId `RID-FAILED`)',
    rejected: 'Rejected by <@U0BOB>. Nothing was deleted.',
    expired: `Expired at <!date^${EXPIRES / 1000}^{date_short_pretty} {time}|2025-03-02T09:00:00Z> without a decision`,
    cancelled: 'Cancelled by <@U0RITA>. Nothing was deleted.',
  };

  for (const [status, line] of Object.entries(lines)) {
    it(`replaces the buttons by the status line when ${status}`, () => {
      const message = decidedMessage(inStatus(status as RequestStatus), production);
      expect(buttons(message)).toEqual([]);
      expect(allBlocks(message).some((b) => b.type === 'actions')).toBe(false);
      expect(joined(message)).toContain(line);
      expect(message.text).toContain(line);
      expect(joined(message)).toContain(HD.jobId);
      expect(joined(message)).toContain('`dr-7f3k9q2m`');
    });
  }

  it('says what was deleted, and is shorter than the approval message', () => {
    const done = decidedMessage(inStatus('succeeded'), production);
    expect(joined(done)).toContain('*Deleted (2):*');
    expect(joined(done)).toContain('*Launch keynote*');
    expect(joined(done)).not.toContain('What remains');
    expect(allBlocks(done).length).toBeLessThan(allBlocks(approvalMessage(request(), production)).length);
  });

  it('mentions a deletion an earlier attempt already made', () => {
    const base = inStatus('succeeded');
    const again = { ...base, execution: { ...base.execution!, alreadyDeleted: true } };
    expect(joined(decidedMessage(again, production))).toContain('(already deleted by an earlier attempt)');
  });

  it('names every approver when several were needed', () => {
    const twoOfTwo = inStatus(
      'succeeded',
      request({ requiredApprovals: 2, votes: [{ approver: BOB, decision: 'approve', at: DECIDED - 1 }] }),
    );
    expect(joined(decidedMessage(twoOfTwo, production))).toContain(
      'Deleted by approval of <@U0BOB> and <@U0ALICE>',
    );
  });

  it('keeps the buttons of a request still pending and shows the votes so far', () => {
    const oneOfTwo = request({ requiredApprovals: 2, votes: [approvedByAlice] });
    const message = decidedMessage(oneOfTwo, production);
    expect(message).toEqual(approvalMessage(oneOfTwo, production));
    expect(joined(message)).toContain('1 of 2 approvals (<@U0ALICE>)');
    expect(buttons(message).map((b) => b.value)).toEqual(['dr-7f3k9q2m', 'dr-7f3k9q2m']);
  });

  it('says "(no reason given)" for a rejection without a reason', () => {
    const base = inStatus('rejected');
    const bare = { ...base, decision: { outcome: 'rejected' as const, by: BOB, at: DECIDED } };
    expect(joined(decidedMessage(bare, production))).toContain(
      'Reason given by <@U0BOB> for rejecting: _(none given)_',
    );
  });

  it.each([
    ['rejected', 'Reason given by <@U0BOB> for rejecting:', 'still used by the <mobile> app'],
    ['cancelled', 'Reason given by <@U0RITA> for cancelling:', 'wrong video'],
  ] as const)('quotes who %s it and why, apart from the status line', (status, label, words) => {
    const message = decidedMessage(inStatus(status), production);
    expect(joined(message)).toContain(label);
    expect(quoted(message)).toContain(words);
    expect(message.text).not.toContain(words);
  });
});

describe('outcomeThreadReply', () => {
  it('lists every Alibaba RequestId with its attempt, the job IDs deleted and the attempts', () => {
    const text = joined(outcomeThreadReply(inStatus('succeeded')));
    expect(text).toContain('`RID-DELETE-1` (attempt 1)');
    expect(text).toContain('`RID-DELETE-2` (attempt 2)');
    expect(text).toContain('*Job IDs deleted (2):*');
    expect(text).toContain(`• \`${HD.jobId}\``);
    expect(text).toContain('DeleteStream calls: 2');
  });

  it('gives the error code, Alibaba code, HTTP status, message and RequestId of a failure', () => {
    const text = joined(outcomeThreadReply(inStatus('failed')));
    expect(text).toContain('*Error:* Alibaba refused: the RAM user may not call DeleteStream.');
    expect(text).toContain('code `UPSTREAM_REJECTED` · Alibaba code `Forbidden.RAMPermission` · HTTP 403');
    expect(text).toContain('`RID-FAILED`');
    expect(text).toContain('*Job IDs (not deleted) (2):*');
  });

  it('says a resumed execution was resumed', () => {
    const base = inStatus('succeeded');
    const resumed = { ...base, execution: { ...base.execution!, claims: 2 } };
    expect(joined(outcomeThreadReply(resumed))).toContain('claims: 2 · resumed after an interruption');
  });

  it('says nothing was sent to Alibaba for a request that never ran', () => {
    expect(joined(outcomeThreadReply(inStatus('rejected')))).toContain('Nothing was sent to Alibaba');
  });
});

describe('rejectReasonModal', () => {
  it('asks for a required reason of at most 500 characters and carries the request id', () => {
    const view = rejectReasonModal('dr-7f3k9q2m');
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: VIEW_REJECT,
      private_metadata: 'dr-7f3k9q2m',
      title: { text: 'Reject deletion' },
      submit: { text: 'Reject' },
      close: { text: 'Cancel' },
    });
    const input = view.blocks.find((b) => b.type === 'input');
    expect(input).toMatchObject({
      block_id: REJECT_REASON_BLOCK,
      element: { type: 'plain_text_input', action_id: REJECT_REASON_INPUT, multiline: true, max_length: 500 },
    });
    expect(input).not.toHaveProperty('optional', true);
    assertWithinBlockKitLimits(view);
  });

  it('stays within the limits for an absurd request id', () => {
    assertWithinBlockKitLimits(rejectReasonModal(`dr-${'<&>'.repeat(2000)}`));
  });
});

describe('streamsMessage', () => {
  it('lists every stream with job ID, definition, format, size and bitrate', () => {
    const message = streamsMessage(VIDEO, [HD, SD, LD], production);
    const text = joined(message);
    expect(text).toContain('*Launch keynote*');
    expect(text).toContain('source 2.00 GiB');
    expect(text).toContain(`• \`${HD.jobId}\` HD · mp4 · 700.0 MiB · 2.40 Mbps · 1920×1080 · video · Normal`);
    expect(text).toContain(`• \`${SD.jobId}\` SD · m3u8 · 100.0 MiB · 800 kbps`);
    expect(text).toContain(`• \`${LD.jobId}\` LD · mp4 · unknown size`);
    expect(message.text).toContain('has 3 transcoded streams');
    assertWithinBlockKitLimits(message);
  });

  it('says when a video has no transcoded streams', () => {
    expect(joined(streamsMessage(VIDEO, [], production))).toContain('This video has no transcoded streams.');
  });

  it('stays within the limits for a video with hundreds of streams, saying how many are not shown', () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      stream(String(i).padStart(32, '0'), { definition: '<&>'.repeat(10), encrypted: true }),
    );
    const message = streamsMessage({ ...VIDEO, title: '<&>'.repeat(200) }, many, sandbox);
    assertWithinBlockKitLimits(message);
    expect(allBlocks(message).length).toBeLessThanOrEqual(45);
    expect(joined(message)).toContain('…and 400 more streams not shown.');
    expectEscaped(message);
  });
});

describe('requestStatusMessage', () => {
  it('shows status, requester, votes, decision and the execution outcome with its RequestId', () => {
    const text = joined(requestStatusMessage(inStatus('succeeded')));
    expect(text).toContain('*Status:* succeeded');
    expect(text).toContain('*Requested by*\n<@U0RITA>');
    expect(text).toContain('• approved by <@U0ALICE>');
    expect(text).toContain('*Execution:* succeeded, Alibaba RequestId `RID-DELETE-2`');
  });

  it('shows a rejection with its reason and a failure with its code', () => {
    expect(joined(requestStatusMessage(inStatus('rejected')))).toContain('• rejected by <@U0BOB> <!date^');
    expect(joined(requestStatusMessage(inStatus('failed')))).toContain(
      '*Execution:* failed: Alibaba refused: the RAM user may not call DeleteStream. (code `Forbidden.RAMPermission`',
    );
  });

  it('shows a pending request waiting for approval', () => {
    expect(joined(requestStatusMessage(request()))).toContain('Waiting for approval: 0 of 1 approval');
  });
});

describe('pendingListMessage', () => {
  it('says when there are no open requests', () => {
    const message = pendingListMessage([]);
    expect(message.text).toBe('No open deletion requests.');
    expect(joined(message)).toContain('No open deletion requests.');
  });

  it('lists id, video, number of streams, requester and expiry of each open request', () => {
    const text = joined(
      pendingListMessage([request(), request({ id: 'dr-second', requester: CAROL_VIA_AI })]),
    );
    expect(text).toContain('Open deletion requests (2)');
    expect(text).toContain('`dr-7f3k9q2m` — 2 streams of *Launch keynote*');
    expect(text).toContain('asked by <@U0RITA>');
    expect(text).toContain('asked by AI assistant *claude-code* for Carol');
    expect(text).toContain(`expires <!date^${EXPIRES / 1000}^`);
  });

  it('stays within the limits for hundreds of open requests', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ ...worstCase(), id: `dr-${i}` }));
    const message = pendingListMessage(many);
    assertWithinBlockKitLimits(message);
    expect(joined(message)).toContain('…and 250 more requests not shown.');
  });
});

describe('helpMessage', () => {
  it('explains every subcommand and how approval works, escaping the placeholders', () => {
    const message = helpMessage();
    const text = joined(message);
    for (const command of ['delete-stream', 'streams', 'status', 'pending', 'cancel', 'help']) {
      expect(text).toContain(`/vod ${command}`);
    }
    expect(text).toContain('/vod delete-stream &lt;VideoId&gt; &lt;JobId&gt;[,&lt;JobId&gt;...] [reason...]');
    expect(text).toContain('*How approval works:*');
    expectEscaped(message);
    assertWithinBlockKitLimits(message);
  });
});

describe('Block Kit limits', () => {
  for (const status of STATUSES) {
    it(`holds for every message of a ${status} worst-case request (20 job IDs, long reason and title, AI requester)`, () => {
      const worst = inStatus(status, worstCase());
      for (const ctx of [production, sandbox]) {
        for (const [name, message] of everyMessage(worst, ctx)) {
          expect(() => assertWithinBlockKitLimits(message), `${name} (${status})`).not.toThrow();
        }
      }
    });
  }

  it('lists all 20 job IDs of the worst case in the approval message', () => {
    const worst = worstCase();
    const text = joined(approvalMessage(worst, production));
    for (const id of worst.jobIds) expect(text).toContain(`\`${id}\``);
    expect(text).toContain('*What remains (30):*');
    expect(text).toContain('…and 20 more');
  });

  it('keeps messages within the limits for a request whose preview lacks details', () => {
    const sparse = request({
      preview: { toDelete: [], remaining: [], warnings: [] } as unknown as DeletionPreview,
    });
    for (const status of STATUSES) {
      for (const [name, message] of everyMessage(inStatus(status, sparse), production)) {
        expect(() => assertWithinBlockKitLimits(message), name).not.toThrow();
        if (name !== 'pendingListMessage') expect(joined(message), name).toContain(HD.jobId);
      }
    }
  });
});

describe('buttons', () => {
  it('carry only the request id, in every status and in the worst case', () => {
    for (const base of [request(), worstCase()]) {
      for (const status of STATUSES) {
        for (const [, message] of everyMessage(inStatus(status, base), production)) {
          for (const button of buttons(message)) expect(button.value).toBe(base.id);
        }
      }
    }
  });

  it('appear only while the request is pending', () => {
    for (const status of STATUSES) {
      const count = buttons(decidedMessage(inStatus(status), production)).length;
      expect(count, status).toBe(status === 'pending' ? 2 : 0);
    }
  });

  it('always ask for confirmation before approving', () => {
    const approve = buttons(approvalMessage(worstCase(), production)).find(
      (b) => b.action_id === ACTION_APPROVE,
    );
    expect(approve?.confirm).toMatchObject({
      title: { text: 'Delete 20 streams?' },
      confirm: { text: 'Delete 20 streams' },
      deny: { text: 'Cancel' },
      style: 'danger',
    });
    expect(approve?.confirm?.text.text).toContain(
      `irreversibly deletes 20 streams of video ${VIDEO_ID}, with their files`,
    );
  });
});

describe('sandbox marking', () => {
  const sandboxed = (message: SlackMessage) =>
    message.text.startsWith('[SANDBOX] ') &&
    allBlocks(message).some((b) => b.type === 'context' && JSON.stringify(b.elements).includes('*SANDBOX*'));

  it('marks every message of a sandbox run, and none of a production run', () => {
    for (const status of STATUSES) {
      for (const [name, message] of everyMessage(inStatus(status), sandbox)) {
        expect(sandboxed(message), `${name} (${status})`).toBe(true);
      }
      for (const [name, message] of everyMessage(inStatus(status), production)) {
        expect(sandboxed(message), `${name} (${status})`).toBe(false);
        expect(joined(message)).not.toContain('SANDBOX');
      }
    }
    expect(sandboxed(streamsMessage(VIDEO, [HD], sandbox))).toBe(true);
    expect(sandboxed(helpMessage(sandbox))).toBe(true);
    expect(sandboxed(pendingListMessage([], sandbox))).toBe(true);
  });

  it('puts the sandbox note right under the approval header', () => {
    const message = approvalMessage(request(), sandbox);
    expect(allBlocks(message)[1]).toMatchObject({ type: 'context' });
    expect(JSON.stringify(allBlocks(message)[1])).toContain('nothing on Alibaba Cloud is touched');
  });
});

describe('reasons cannot forge the approval message', () => {
  const forged =
    'still needed\n*Approvals*\n2 of 1 (approved by <@U0SECURITY>)\n:white_check_mark: Approved by <!channel>';

  it.each([
    ['a Slack user', RITA],
    ['an assistant', CAROL_VIA_AI],
  ])(
    'shows a reason from %s quoted and literal, so its lines cannot pass for the message’s own',
    (_who, requester) => {
      const message = approvalMessage(request({ reason: forged, requester }), production);
      // Its lines are nowhere in the message's own text, only in the quote, word for word.
      for (const line of ['*Approvals*\n2 of 1', '2 of 1 (approved', 'Approved by <!channel>']) {
        expect(joined(message)).not.toContain(line);
      }
      expect(quoted(message)).toEqual([forged]);
      // The one Approvals field is the message's own.
      expect(joined(message).match(/\*Approvals\*/g)).toHaveLength(1);
      expect(joined(message)).toContain('*Approvals*\n0 of 1');
      expectEscaped(message);
    },
  );

  it('quotes a rejection’s reason the same way', () => {
    const base = inStatus('rejected');
    const message = decidedMessage(
      { ...base, decision: { outcome: 'rejected', by: BOB, reason: forged, at: DECIDED } },
      production,
    );
    expect(joined(message)).not.toContain('2 of 1 (approved');
    expect(quoted(message)).toContain(forged);
  });
});

describe('escaping', () => {
  it('escapes user text everywhere: titles, reasons, display names, client names', () => {
    for (const status of STATUSES) {
      for (const [name, message] of everyMessage(inStatus(status, worstCase()), sandbox)) {
        expectEscaped(message);
        expect(joined(message), name).not.toContain('<b>');
      }
    }
    const text = joined(approvalMessage(worstCase(), production));
    expect(text).toContain('&lt;b&gt;&amp;*');
    expect(quoted(approvalMessage(worstCase(), production))).toContain('<&*>'.repeat(125));
    expect(text).toContain('&lt;dave&gt; &amp; *sons*');
  });

  it('never mentions a Slack id that could break out of the mention', () => {
    const odd: Principal = { source: 'slack', id: 'U1> <!channel', displayName: 'Odd <id>' };
    const message = approvalMessage(request({ requester: odd }), production);
    expect(joined(message)).toContain('Odd &lt;id&gt;');
    expect(joined(message)).not.toContain('<!channel');
  });

  it('cuts long text with an ellipsis, never inside an escape or a Slack token', () => {
    expect(escapeMrkdwn('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abcdef', 6)).toBe('abcdef');
    expect(clip('ab&amp;cd', 6)).toBe('ab…');
    expect(clip('ab <!date^1^{time}|x> cd', 10)).toBe('ab …');
    expect(clip('ab😀cd', 4)).toBe('ab…');
  });
});

describe('refusalText', () => {
  const cases: [string, WorkflowRefusal, DeletionRequest | undefined, string][] = [
    [
      'approved',
      { kind: 'already_decided', status: 'approved', decidedBy: ALICE },
      undefined,
      'This request was already approved by <@U0ALICE>.',
    ],
    [
      'executing',
      { kind: 'already_decided', status: 'executing', decidedBy: ALICE },
      undefined,
      'This request was already approved by <@U0ALICE>.',
    ],
    [
      'rejected',
      { kind: 'already_decided', status: 'rejected', decidedBy: BOB },
      undefined,
      'This request was already rejected by <@U0BOB>.',
    ],
    [
      'succeeded',
      { kind: 'already_decided', status: 'succeeded', decidedBy: ALICE },
      undefined,
      'This request was already deleted (approved by <@U0ALICE>).',
    ],
    [
      'failed',
      { kind: 'already_decided', status: 'failed', decidedBy: ALICE },
      undefined,
      'This request failed after approval by <@U0ALICE>',
    ],
    [
      'expired',
      { kind: 'expired', expiresAt: EXPIRES },
      undefined,
      `This request expired at <!date^${EXPIRES / 1000}^{date_short_pretty} {time}|2025-03-02T09:00:00Z> without a decision; ask for a new one.`,
    ],
    ['cancelled', { kind: 'cancelled', by: RITA }, undefined, 'This request was cancelled by <@U0RITA>.'],
    [
      'cancelled by an AI',
      { kind: 'cancelled', by: CAROL_VIA_AI },
      undefined,
      'This request was cancelled by Carol &lt;ops&gt; &amp; co (via claude-code).',
    ],
    [
      'self_approval',
      { kind: 'self_approval' },
      request(),
      'You asked for this deletion, so someone else has to approve it. (To withdraw it, use /vod cancel dr-7f3k9q2m.)',
    ],
    [
      'not_approver',
      { kind: 'not_approver' },
      request(),
      'You are not an approver for stream deletions. Approvers are set by VOD_OPS_APPROVERS',
    ],
    [
      'already_voted',
      { kind: 'already_voted', vote: approvedByAlice },
      request({ requiredApprovals: 2, votes: [approvedByAlice] }),
      'You already approved this request; it needs 2 approvals from different approvers (1 so far).',
    ],
    [
      'not_allowed_to_cancel',
      { kind: 'not_allowed_to_cancel' },
      request(),
      'Only the requester or an approver can cancel this request.',
    ],
    ['not_found', { kind: 'not_found' }, undefined, 'No such deletion request exists.'],
  ];

  for (const [name, refusal, req, expected] of cases) {
    it(`explains ${name}`, () => {
      expect(refusalText(refusal, req)).toContain(expected);
    });
  }

  it('names the missing request id, escaped', () => {
    expect(refusalText({ kind: 'not_found' }, undefined, 'dr-nope')).toBe(
      'No deletion request dr-nope exists.',
    );
    expect(refusalText({ kind: 'not_found' }, undefined, 'dr-<x>')).toBe(
      'No deletion request dr-&lt;x&gt; exists.',
    );
  });

  it('explains a decision by someone unknown without naming anyone', () => {
    expect(refusalText({ kind: 'already_decided', status: 'succeeded' })).toBe(
      'This request was already deleted.',
    );
    expect(refusalText({ kind: 'already_decided', status: 'expired' })).toMatch(/already expired/);
    expect(refusalText({ kind: 'already_decided', status: 'cancelled', decidedBy: SYSTEM })).toBe(
      'This request was already cancelled by vod-ops.',
    );
  });
});

describe('assertWithinBlockKitLimits', () => {
  const ok: SlackMessage = {
    text: 'hi',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
  };

  it('accepts a valid message', () => {
    expect(() => assertWithinBlockKitLimits(ok)).not.toThrow();
  });

  it('names the path of a section text over 3000 characters', () => {
    const long: SlackMessage = {
      text: 'x',
      blocks: [ok.blocks[0]!, { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
    };
    expect(() => assertWithinBlockKitLimits(long)).toThrow(
      'blocks[1].text.text: 3001 characters, at most 3000',
    );
  });

  it('rejects more than 50 blocks, an empty fallback, and empty section text', () => {
    expect(() => assertWithinBlockKitLimits({ text: 'x', blocks: Array(51).fill(ok.blocks[0]) })).toThrow(
      'blocks: 51 items',
    );
    expect(() => assertWithinBlockKitLimits({ ...ok, text: ' ' })).toThrow('at text');
    expect(() =>
      assertWithinBlockKitLimits({
        text: 'x',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '' } }],
      }),
    ).toThrow('blocks[0].text.text: 0 characters');
  });

  it('checks buttons, their confirm dialogs, fields and headers', () => {
    const message = approvalMessage(request(), production);
    const actions = message.blocks.findIndex((b) => b.type === 'actions');
    const tooLong = structuredClone(message);
    const approve = (tooLong.blocks[actions] as { elements: Button[] }).elements[0]!;
    approve.confirm!.text.text = 'x'.repeat(301);
    expect(() => assertWithinBlockKitLimits(tooLong)).toThrow(
      `blocks[${actions}].elements[0].confirm.text.text: 301 characters`,
    );
    approve.confirm!.text.text = 'ok';
    approve.value = 'v'.repeat(2001);
    expect(() => assertWithinBlockKitLimits(tooLong)).toThrow(
      `blocks[${actions}].elements[0].value: 2001 characters`,
    );
    const header: SlackMessage = {
      text: 'x',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
    };
    expect(() => assertWithinBlockKitLimits(header)).toThrow(
      'blocks[0].text.text: 151 characters, at most 150',
    );
    const fields: SlackMessage = {
      text: 'x',
      blocks: [{ type: 'section', fields: Array(11).fill({ type: 'mrkdwn', text: 'f' }) }],
    };
    expect(() => assertWithinBlockKitLimits(fields)).toThrow('blocks[0].fields: 11 items, at most 10');
  });

  it('checks modal titles and the input length', () => {
    const view = rejectReasonModal('dr-1');
    const longTitle = { ...view, title: { type: 'plain_text', text: 't'.repeat(25) } } as View;
    expect(() => assertWithinBlockKitLimits(longTitle)).toThrow('title.text: 25 characters, at most 24');
    const input = structuredClone(view);
    (input.blocks[1] as { element: { max_length: number } }).element.max_length = 3001;
    expect(() => assertWithinBlockKitLimits(input)).toThrow('blocks[1].element.max_length');
  });

  it('refuses block types it does not know', () => {
    expect(() =>
      assertWithinBlockKitLimits({ text: 'x', blocks: [{ type: 'video' } as unknown as KnownBlock] }),
    ).toThrow('blocks[0].type: block type video is not checked');
  });
});
