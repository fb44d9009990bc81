import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local fake of the Slack Web API on 127.0.0.1, for Bolt's `clientOptions.slackApiUrl`: it answers like Slack
 * (always HTTP 200 with JSON, `ok: false` plus `error` for refusals) and records every call, so tests assert on
 * what the app really sent over HTTP. It also serves interaction `response_url`s and records their POSTs.
 * @see https://docs.slack.dev/reference/methods
 */
export interface FakeSlackCall {
  method: string;
  /** The form fields (JSON-encoded ones such as `blocks` or `view` parsed back) or the JSON body. */
  body: Record<string, unknown>;
  /** The bearer token the call was made with, if any. */
  token?: string;
  /** What the fake answered (a posted message's `channel` and `ts`, say). */
  answer?: Record<string, unknown>;
  /** When the call arrived (`Date.now()`): for benchmarks that count calls per minute. */
  at: number;
}

export interface FakeSlackResponse {
  id: string;
  body: Record<string, unknown>;
}

export interface FakeSlackOptions {
  /** Members of each user group id, or the answer of a workspace on a plan without user groups. */
  userGroups?: Record<string, string[]> | 'plan_upgrade_required';
  botUserId?: string;
  /** Socket Mode: the WebSocket URL `apps.connections.open` hands out (see fake-socket-mode.ts). */
  socketModeUrl?: string;
  /** Methods Slack refuses, with its error code: `{ 'chat.postMessage': 'not_in_channel' }`. */
  errors?: Record<string, string>;
}

export interface FakeSlack {
  /** Base URL of the Web API, ending in `/api/`. */
  url: string;
  /** A response URL on this server for an interaction; POSTs to it are recorded in `responses`. */
  responseUrl(id: string): string;
  readonly calls: readonly FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  readonly responses: readonly FakeSlackResponse[];
  /** Resolves with the first call (already made or still to come) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (call: FakeSlackCall) => boolean, timeoutMs?: number): Promise<FakeSlackCall>;
  /** Like `waitFor`, for POSTs to response URLs. */
  waitForResponse(
    predicate: (response: FakeSlackResponse) => boolean,
    timeoutMs?: number,
  ): Promise<FakeSlackResponse>;
  close(): Promise<void>;
}

export const FAKE_TEAM_ID = 'T0TEST';
const FAKE_BOT_ID = 'B0FAKEBOT';

/** Form fields the WebClient JSON-encodes because their values are objects or arrays. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'user_auth_blocks']);

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botUserId = options.botUserId ?? 'U0FAKEBOT';
  const calls: FakeSlackCall[] = [];
  const responses: FakeSlackResponse[] = [];
  const waiters = new Set<() => void>();
  let seq = 0;
  const nextTs = () => {
    const micros = ++seq * 100;
    return `${1_700_000_000 + Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  };

  function answer(call: FakeSlackCall): Record<string, unknown> {
    const b = call.body;
    const refused = options.errors?.[call.method];
    if (refused) return { ok: false, error: refused };
    switch (call.method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake-workspace.slack.com/',
          team: 'Fake Workspace',
          user: 'vod-ops',
          team_id: FAKE_TEAM_ID,
          user_id: botUserId,
          bot_id: FAKE_BOT_ID,
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        return {
          ok: true,
          channel: b.channel,
          ts,
          message: {
            type: 'message',
            text: b.text,
            blocks: b.blocks,
            user: botUserId,
            bot_id: FAKE_BOT_ID,
            ts,
          },
        };
      }
      case 'chat.update':
        return {
          ok: true,
          channel: b.channel,
          ts: b.ts,
          text: b.text,
          message: { text: b.text, blocks: b.blocks },
        };
      case 'conversations.open': {
        // A direct message's conversation: one per user, named after them so tests can tell whose it is.
        const users = String(b.users ?? '');
        return users.includes(',') || users === ''
          ? { ok: false, error: 'not_implemented' }
          : { ok: true, channel: { id: `D${users}` } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'views.open':
      case 'views.update':
      case 'views.push':
      case 'views.publish': {
        const view = typeof b.view === 'object' && b.view !== null ? b.view : {};
        return {
          ok: true,
          view: { id: `V${String(++seq).padStart(8, '0')}`, team_id: FAKE_TEAM_ID, ...view },
        };
      }
      case 'users.info': {
        const id = String(b.user ?? '');
        const name = `user-${id.toLowerCase()}`;
        return {
          ok: true,
          user: {
            id,
            team_id: FAKE_TEAM_ID,
            name,
            real_name: name,
            is_bot: false,
            profile: { display_name: name, real_name: name },
          },
        };
      }
      case 'usergroups.users.list': {
        if (options.userGroups === 'plan_upgrade_required')
          return { ok: false, error: 'plan_upgrade_required' };
        const users = options.userGroups?.[String(b.usergroup ?? '')];
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'apps.connections.open':
        return options.socketModeUrl
          ? { ok: true, url: options.socketModeUrl }
          : { ok: false, error: 'not_allowed_token_type' };
      default:
        return { ok: true };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = parseBody(await readBody(req), req.headers['content-type']);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(payload));
    };
    if (url.pathname.startsWith('/api/')) {
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
      const call: FakeSlackCall = {
        method: decodeURIComponent(url.pathname.slice('/api/'.length)),
        body,
        at: Date.now(),
        ...(token ? { token } : {}),
      };
      call.answer = answer(call);
      calls.push(call);
      send(200, call.answer);
    } else if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      responses.push({ id: decodeURIComponent(url.pathname.slice('/response/'.length)), body });
      send(200, { ok: true });
    } else {
      send(404, { ok: false, error: 'not_found' });
    }
    for (const wake of waiters) wake();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'fake_slack_error', detail: String(error) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  function waitUntil<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`fake Slack: no matching ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  return {
    url: `${base}/api/`,
    responseUrl: (id) => `${base}/response/${encodeURIComponent(id)}`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responses,
    waitFor: (predicate, timeoutMs = 5000) =>
      waitUntil(() => calls.find(predicate), `Web API call (seen: ${describe(calls)})`, timeoutMs),
    waitForResponse: (predicate, timeoutMs = 5000) =>
      waitUntil(() => responses.find(predicate), 'response_url POST', timeoutMs),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function describe(calls: readonly FakeSlackCall[]): string {
  return calls.map((c) => c.method).join(', ') || 'none';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : { value: parsed };
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = JSON_FIELDS.has(key) || key === 'payload' ? parseJson(value) : value;
  }
  return body;
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The `ts` of the message the app posted for approval of `requestId` (its buttons carry the id). */
export function approvalMessageTs(slack: FakeSlack, requestId: string): string {
  const posted = slack
    .callsTo('chat.postMessage')
    .find((c) => !c.body.thread_ts && JSON.stringify(c.body.blocks ?? []).includes(`"value":"${requestId}"`));
  const ts = posted?.answer?.ts;
  if (typeof ts !== 'string') throw new Error(`no approval message was posted for ${requestId}`);
  return ts;
}
