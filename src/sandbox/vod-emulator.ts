import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyAcs3Request } from './acs3-signature.js';
import { createDemoCatalogue, type EmulatorVideo } from './catalogue.js';
import { createFaultQueue, type EmulatorFault } from './fault-queue.js';
import { createFlowControl } from './flow-control.js';
import { firstHeader, holdResponse, isConnected, readBody } from './http-connection.js';
import { createNonceLedger } from './nonce-ledger.js';
import { createScrollTokens } from './scroll-tokens.js';
import { createVodState, type EmulatorCatalogue } from './video-state.js';
import {
  isVodAction,
  runVodAction,
  VOD_API_VERSION,
  type VodActionName,
  type VodActionOutcome,
} from './vod-actions.js';
import {
  API_NOT_FOUND,
  type EmulatorReply,
  errorReply,
  FLOW_CONTROLLED,
  faultReply,
  jsonReply,
} from './vod-response.js';
import { decodeQuery, requestPath } from './wire-query.js';

export interface EmulatorCredential {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface VodEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The AccessKey pairs the emulator accepts. */
  credentials: ReadonlyArray<EmulatorCredential>;
  /**
   * The initial videos: a list (copied), or a generated library (`createLibraryCatalogue`), served in place so that
   * 100,000 videos stay light. Default `createDemoCatalogue()`.
   */
  catalogue?: EmulatorCatalogue;
  /** Added before every answer; default 0. */
  latencyMs?: number;
  /** Flow control per action: at most this many requests accepted in any 1000 ms window. */
  qpsLimits?: Partial<Record<VodActionName, number>>;
  /** Clock in ms for signature date checks, flow control and call times; default `Date.now`. */
  now?: () => number;
  /** Region of the emulated endpoint, for HostId and play URLs; default `cn-shanghai`. */
  region?: string;
  /** Request ID generator; default an uppercase random UUID, like Alibaba's. */
  newRequestId?: () => string;
  /**
   * How long a SearchMedia ScrollToken stays valid, on the emulator's clock; older ones answer
   * `InvalidScrollToken.Expired`. Alibaba documents no figure. Default 30 minutes.
   */
  scrollTokenTtlMs?: number;
}

/** One request as the emulator received and answered it. */
export interface EmulatorCall {
  /** The `x-acs-action` header ('' when absent). */
  readonly action: string;
  /** The decoded query parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** HTTP status sent; 0 while unanswered, and for good when the connection was reset or the client gave up. */
  readonly status: number;
  /** The Alibaba error code of the answer, if it was an error. */
  readonly code?: string;
  readonly requestId: string;
  /** Emulator clock time of arrival. */
  readonly receivedAt: number;
  /** The signer's AccessKeyId, once the signature was verified. */
  readonly accessKeyId?: string;
  /** The injected fault this request consumed, if any. */
  readonly fault?: EmulatorFault['kind'];
}

/** A running emulator. State lives here; nothing is shared between emulators. */
export interface VodEmulator {
  /** Base URL, `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  readonly port: number;
  /**
   * Every request received, in order of arrival: a live read-only view (free to read in a hot loop) whose entries
   * are frozen records, replaced by updated ones as a request progresses.
   */
  readonly calls: ReadonlyArray<EmulatorCall>;
  callsTo(action: string): EmulatorCall[];
  /** Queues a fault; matching requests that pass signature and flow control consume it. */
  injectFault(fault: EmulatorFault): void;
  setLatency(ms: number): void;
  setQpsLimit(action: string, qps: number | undefined): void;
  /** The current state of one video (a copy). */
  video(videoId: string): EmulatorVideo | undefined;
  /** Adds videos (copied), replacing any with the same VideoId. */
  addVideos(videos: ReadonlyArray<EmulatorVideo>): void;
  /** Stops listening and destroys every connection, including requests held by a stall. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a local ApsaraVideo VOD (2017-03-21) emulator on 127.0.0.1 that answers DeleteStream, GetPlayInfo,
 * GetVideoInfo and SearchMedia as Alibaba does for `@alicloud/openapi-core`'s RPC calls signed with
 * ACS3-HMAC-SHA256, so the real engine can be exercised end to end without an Alibaba account. Each request is
 * handled in this order: recorded, routed (only GET/POST on `/`), signature verified, version and action checked,
 * flow control, injected fault, action, latency, answer.
 */
export async function startVodEmulator(options: VodEmulatorOptions): Promise<VodEmulator> {
  const now = options.now ?? Date.now;
  const region = options.region ?? 'cn-shanghai';
  const newRequestId = options.newRequestId ?? (() => randomUUID().toUpperCase());
  const secrets = new Map(options.credentials.map((c) => [c.accessKeyId, c.accessKeySecret]));
  const state = createVodState(options.catalogue ?? createDemoCatalogue());
  const scrollTokens = createScrollTokens(options.scrollTokenTtlMs);
  const nonces = createNonceLedger();
  const flow = createFlowControl(options.qpsLimits);
  const faults = createFaultQueue();
  const calls: EmulatorCall[] = [];
  const shutdown = new AbortController();
  // Every held (stalled or slow) response listens for shutdown, and a load test holds hundreds at once.
  setMaxListeners(0, shutdown.signal);
  let latencyMs = checkedLatency(options.latencyMs ?? 0);

  const hold = (res: ServerResponse, ms: number | undefined) => holdResponse(res, ms, shutdown.signal);

  const answer = async (res: ServerResponse, call: CallLog, reply: EmulatorReply): Promise<void> => {
    if (latencyMs > 0 && !(await hold(res, latencyMs))) return;
    if (!isConnected(res)) return;
    call.update(
      reply.code === undefined ? { status: reply.status } : { status: reply.status, code: reply.code },
    );
    res.writeHead(reply.status, {
      ...reply.headers,
      'content-length': String(Buffer.byteLength(reply.body)),
    });
    res.end(reply.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const url = req.url ?? '/';
    const headers = req.headersDistinct;
    const action = firstHeader(headers, 'x-acs-action') ?? '';
    const requestId = newRequestId();
    const params = decodeQuery(url);
    const call = logCall(calls, { action, params, status: 0, requestId, receivedAt: now() });
    const fail = (httpStatus: number, code: string, message: string) =>
      answer(res, call, errorReply({ requestId, region, httpStatus, code, message }));

    if ((req.method !== 'POST' && req.method !== 'GET') || requestPath(url) !== '/') {
      return fail(404, 'InvalidAction.NotFound', API_NOT_FOUND);
    }
    const method = req.method;
    const verdict = verifyAcs3Request({ method, url, headers, body }, (id) => secrets.get(id), {
      nowMs: now(),
      nonces,
    });
    if (!verdict.ok) return fail(verdict.httpStatus, verdict.code, verdict.message);
    call.update({ accessKeyId: verdict.accessKeyId });

    const version = firstHeader(headers, 'x-acs-version');
    if (version !== VOD_API_VERSION) {
      return fail(
        400,
        'InvalidVersion',
        `Specified parameter Version is not valid. VOD supports ${VOD_API_VERSION}.`,
      );
    }
    if (action === '') {
      return fail(400, 'MissingParameter', 'The input parameter "Action" that is mandatory is not supplied.');
    }
    if (!isVodAction(action)) {
      return fail(404, 'InvalidAction.NotFound', API_NOT_FOUND);
    }
    if (!flow.admit(action, now())) return fail(400, 'Throttling.User', FLOW_CONTROLLED);

    const fault = faults.take(action);
    const act = (): VodActionOutcome =>
      runVodAction(action, state, params, { requestId, region, nowMs: now(), scrollTokens });
    const settle = (outcome: VodActionOutcome): Promise<void> =>
      outcome.ok
        ? answer(res, call, jsonReply(requestId, outcome.body))
        : fail(outcome.error.httpStatus, outcome.error.code, outcome.error.message);
    if (fault === undefined) return settle(act());
    call.update({ fault: fault.kind });
    switch (fault.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'stall':
        if (await hold(res, fault.delayMs)) await settle(act());
        return;
      case 'applyThenStall': {
        const outcome = act();
        if (await hold(res, fault.delayMs)) await settle(outcome);
        return;
      }
      default:
        return answer(res, call, faultReply(fault.kind, fault.retryAfterMs, { requestId, region }));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || !isConnected(res)) {
        res.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      const reply = errorReply({
        requestId: newRequestId(),
        region,
        httpStatus: 500,
        code: 'InternalError',
        message,
      });
      res.writeHead(reply.status, reply.headers).end(reply.body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    calls,
    callsTo: (action) => calls.filter((call) => call.action === action),
    injectFault: (fault) => faults.push(fault),
    setLatency: (ms) => {
      latencyMs = checkedLatency(ms);
    },
    setQpsLimit: (action, qps) => flow.setLimit(action, qps),
    video: (videoId) => {
      const video = state.get(videoId);
      return video === undefined ? undefined : structuredClone(video);
    },
    addVideos: (videos) => {
      for (const video of videos) state.set(video.videoId, structuredClone(video));
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

interface CallLog {
  update(patch: Partial<EmulatorCall>): void;
}

function logCall(calls: EmulatorCall[], first: EmulatorCall): CallLog {
  const index = calls.push(Object.freeze(first)) - 1;
  let current = first;
  return {
    update(patch) {
      current = Object.freeze({ ...current, ...patch });
      calls[index] = current;
    },
  };
}

function checkedLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a finite number >= 0, got ${ms}`);
  return ms;
}
