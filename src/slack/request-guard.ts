import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseForm } from 'node:querystring';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** Where signed requests already seen are remembered, for every replica: the store's keys seen once. */
export interface SeenOnce {
  /** True the first time `key` is remembered (until `expiresAt`), false when it was seen before. */
  rememberOnce(key: string, expiresAt: number, now: number): Promise<boolean>;
}

/** Slack's window for a request's timestamp, both ways: older or newer than this is refused. */
const MAX_SKEW_SECONDS = 5 * 60;
/** Slack retries an event three times, the last about five minutes after the first. */
const EVENT_RETRY_WINDOW_SECONDS = 60 * 60;
/** As Bolt's receiver. */
const BODY_LIMIT = '4mb';

const SlashCommand = z.looseObject({
  command: z.string(),
  text: z.string(),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
});
const BlockActions = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: z.string().min(1) }),
  actions: z.array(z.looseObject({ action_id: z.string(), type: z.string().optional() })).min(1),
});
const ViewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  user: z.looseObject({ id: z.string().min(1) }),
  view: z.looseObject({
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }),
  }),
});
const AnyPayload = z.looseObject({ type: z.string() });
/** An Events API delivery: the id Slack keeps across its retries of the same event, and the event's type. */
const EventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event_id: z.string().min(1).max(255),
  event: z.looseObject({ type: z.string() }),
});

/**
 * What stands in front of Bolt's receiver at `POST /slack/events` (HTTP mode): it reads the body once and checks,
 * in order, before anything is acted on:
 * - Slack's signature, and a timestamp within five minutes either way: Bolt refuses only the stale ones, so a
 *   request signed for the future (a captured-and-held replay) would pass (401);
 * - that the same signed request was not seen before, by any replica sharing the store: a replayed `/vod` would
 *   otherwise create a second request once the first was decided (answered 200, empty, and logged);
 * - the shape of what vod-ops acts on: a command with its text, clicks with a list of actions, a modal with its
 *   values, an event with its id; a signed body that is not is answered 400 rather than failing inside a listener
 *   (500);
 * - that an event (JSON, `event_callback`) was not taken before: Slack retries an event it got no timely 200 for
 *   (`X-Slack-Retry-Num`), signed anew, with the same `event_id`; a retry is answered 200, empty, so Slack stops.
 * The body is then handed to Bolt as `rawBody`, which it verifies and parses again.
 * @see https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export function createSlackRequestGuard(options: {
  signingSecret: string;
  replays: SeenOnce;
  logger: Logger;
  /** Epoch ms, the real time Slack signs with. */
  now: () => number;
}): RequestHandler[] {
  /**
   * Slack retries an event it got no timely 200 for (`X-Slack-Retry-Num`), signed anew but with the same
   * `event_id`: the event is taken once, by whichever replica saw it first.
   */
  const firstDelivery = async (raw: Buffer, contentType: string, timestamp: number): Promise<boolean> => {
    if (contentType !== 'application/json') return true;
    const event = EventCallback.safeParse(parseJson(raw.toString('utf8')));
    if (!event.success) return true;
    return options.replays.rememberOnce(
      `slack-event:${event.data.event_id}`,
      (timestamp + EVENT_RETRY_WINDOW_SECONDS) * 1000,
      options.now(),
    );
  };
  const check = async (req: Request, res: Response, next: NextFunction) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const signature = String(req.headers['x-slack-signature'] ?? '');
    const nowSeconds = Math.floor(options.now() / 1000);
    if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS) {
      res.status(401).send();
      return;
    }
    if (!signedBySlack(options.signingSecret, timestamp, raw, signature)) {
      res.status(401).send();
      return;
    }
    // JSON may carry parameters (`; charset=utf-8`); a form must be exactly Bolt's type, which it reads no other way.
    const header = String(req.headers['content-type'] ?? '');
    const contentType = mediaType(header) === 'application/json' ? 'application/json' : header;
    const shape = shapeProblem(raw, contentType);
    if (shape) {
      options.logger.warn(
        { problem: shape },
        'a signed Slack request had a shape vod-ops does not act on: 400',
      );
      res.status(400).send();
      return;
    }
    let first: boolean;
    try {
      first = await options.replays.rememberOnce(
        `slack:${signature}`,
        (timestamp + MAX_SKEW_SECONDS + 60) * 1000,
        options.now(),
      );
      if (first) first = await firstDelivery(raw, contentType, timestamp);
    } catch (error) {
      options.logger.error({ err: errorSummary(error) }, 'could not check a Slack request for replay: 503');
      res.status(503).send();
      return;
    }
    if (!first) {
      options.logger.warn(
        { timestamp, retry: req.headers['x-slack-retry-num'] },
        'a replayed Slack request, or a retry of an event already taken, was ignored',
      );
      res.status(200).send();
      return;
    }
    (req as Request & { rawBody?: Buffer }).rawBody = raw;
    next();
  };
  return [
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    (req, res, next) => {
      check(req, res, next).catch(next);
    },
  ];
}

function signedBySlack(secret: string, timestamp: number, raw: Buffer, signature: string): boolean {
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`;
  const given = Buffer.from(signature);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The media type of a Content-Type header, without its parameters (`application/json; charset=utf-8`). */
function mediaType(header: string | string[] | undefined): string {
  return String(header ?? '')
    .replace(/;.*$/s, '')
    .trim()
    .toLowerCase();
}

/** Why a signed body is not something vod-ops can act on, or undefined when it is. */
function shapeProblem(raw: Buffer, contentType: string): string | undefined {
  const text = raw.toString('utf8');
  if (contentType === 'application/json') {
    // Events API deliveries (`event_callback`, the `url_verification` challenge) come as JSON.
    const payload = parseJson(text);
    const kind = AnyPayload.safeParse(payload);
    if (!kind.success) return 'JSON body without a type';
    if (kind.data.type === 'event_callback' && !EventCallback.safeParse(payload).success) {
      return 'an event without its id or type';
    }
    return undefined;
  }
  if (contentType !== 'application/x-www-form-urlencoded') return `content type ${contentType.slice(0, 60)}`;
  const form = parseForm(text);
  if (form.ssl_check !== undefined) return undefined;
  if (form.payload === undefined) {
    return SlashCommand.safeParse(form).success ? undefined : 'a command without its fields';
  }
  if (typeof form.payload !== 'string') return 'more than one payload';
  const payload = parseJson(form.payload);
  const kind = AnyPayload.safeParse(payload);
  if (!kind.success) return 'a payload that is not an object with a type';
  if (kind.data.type === 'block_actions' && !BlockActions.safeParse(payload).success) {
    return 'block_actions without a list of actions';
  }
  if (kind.data.type === 'view_submission' && !ViewSubmission.safeParse(payload).success) {
    return 'view_submission without its values';
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
