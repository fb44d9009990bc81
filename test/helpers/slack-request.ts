import { createHmac, randomUUID } from 'node:crypto';
import {
  ACTION_APPROVE,
  ACTION_REJECT,
  REJECT_REASON_BLOCK,
  REJECT_REASON_INPUT,
  VIEW_REJECT,
} from '../../src/slack/blocks.js';

/**
 * Signed requests into Bolt's HTTP receiver, built the way Slack builds them: form-encoded bodies (JSON for events) signed with
 * HMAC-SHA256 of `v0:<timestamp>:<raw body>` under the signing secret.
 * @see https://docs.slack.dev/authentication/verifying-requests-from-slack
 */

export interface SlackSignedHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
  'content-type': 'application/x-www-form-urlencoded' | 'application/json';
}

export interface SignedPostOptions {
  /** Unix seconds to sign with; defaults to now. */
  timestamp?: number;
  /** Sign with this secret instead of the app's, to forge a signature. */
  signatureSecret?: string;
  /** The body's content type; default form-encoded. Events API deliveries are JSON. */
  contentType?: SlackSignedHeaders['content-type'];
  /** Further headers, such as a retry's `x-slack-retry-num`. */
  headers?: Record<string, string>;
}

export interface SignedPostResult {
  status: number;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

export interface SlashCommandFields {
  text: string;
  user_id: string;
  channel_id: string;
  response_url: string;
  command?: string;
  team_id?: string;
  trigger_id?: string;
  [field: string]: string | undefined;
}

export const TEST_TEAM_ID = 'T0TEST';
const TEST_APP_ID = 'A0TESTAPP';

export function signSlackBody(secret: string, body: string, timestampSeconds: number): SlackSignedHeaders {
  const signature = createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return {
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': `v0=${signature}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
}

/** POSTs a `/vod` slash command to `${baseUrl}/slack/events`, signed. */
export function postSlashCommand(
  baseUrl: string,
  secret: string,
  fields: SlashCommandFields,
  options: SignedPostOptions = {},
): Promise<SignedPostResult> {
  const form: Record<string, string> = {
    command: '/vod',
    team_id: TEST_TEAM_ID,
    team_domain: 'fake-workspace',
    channel_name: 'video-ops',
    user_name: `user-${fields.user_id.toLowerCase()}`,
    api_app_id: TEST_APP_ID,
    trigger_id: randomTriggerId(),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) form[key] = value;
  return postSigned(baseUrl, secret, new URLSearchParams(form).toString(), options);
}

/** POSTs an interactive payload (`payload=<json>`) to `${baseUrl}/slack/events`, signed. */
export function postInteraction(
  baseUrl: string,
  secret: string,
  payload: object,
  options: SignedPostOptions = {},
): Promise<SignedPostResult> {
  return postSigned(
    baseUrl,
    secret,
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    options,
  );
}

/** POSTs `body` as it is, signed (form-encoded unless another content type is given). */
export async function postSigned(
  baseUrl: string,
  secret: string,
  body: string,
  options: SignedPostOptions,
): Promise<SignedPostResult> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/slack/events`, {
    method: 'POST',
    headers: {
      ...signSlackBody(options.signatureSecret ?? secret, body, timestamp),
      ...(options.contentType ? { 'content-type': options.contentType } : {}),
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: text, ...(json === undefined ? {} : { json }) };
}

/**
 * POSTs an Events API delivery (`event_callback`, JSON) of `event` to `${baseUrl}/slack/events`, signed. Slack keeps
 * `eventId` across its retries of the same event.
 * @see https://docs.slack.dev/apis/events-api/#callback-field
 */
export function postEvent(
  baseUrl: string,
  secret: string,
  event: { type: string; [field: string]: unknown },
  options: SignedPostOptions & { eventId?: string } = {},
): Promise<SignedPostResult> {
  const { eventId, ...post } = options;
  const body = JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEST_TEAM_ID,
    api_app_id: TEST_APP_ID,
    event,
    type: 'event_callback',
    event_id: eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { team_id: TEST_TEAM_ID, user_id: 'U0FAKEBOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
  return postSigned(baseUrl, secret, body, { contentType: 'application/json', ...post });
}

/** The `app_home_opened` event Slack sends when `userId` opens the app's Home tab (or its Messages tab). */
export function appHomeOpenedEvent(userId: string, tab: 'home' | 'messages' = 'home') {
  return {
    type: 'app_home_opened',
    user: userId,
    channel: `D0${userId.slice(1)}`,
    tab,
    event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
  };
}

/**
 * A `block_actions` payload for a click on Approve (default) or Reject on the clicker's App Home: the container is
 * the Home view, and there is no response_url, as Slack sends it.
 */
export function homeBlockActionPayload(input: {
  userId: string;
  requestId: string;
  actionId?: string;
  viewId?: string;
  triggerId?: string;
}) {
  const actionId = input.actionId ?? ACTION_APPROVE;
  const viewId = input.viewId ?? 'V0HOME0001';
  return {
    type: 'block_actions' as const,
    user: payloadUser(input.userId),
    api_app_id: TEST_APP_ID,
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: viewId },
    trigger_id: input.triggerId ?? randomTriggerId(),
    team: { id: TEST_TEAM_ID, domain: 'fake-workspace' },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: viewId,
      team_id: TEST_TEAM_ID,
      type: 'home',
      blocks: [],
      private_metadata: '',
      callback_id: 'vod_home',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.homehash`,
      title: { type: 'plain_text', text: 'View Title', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: TEST_APP_ID,
      external_id: '',
      app_installed_team_id: TEST_TEAM_ID,
      bot_id: 'B0FAKEBOT',
    },
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: `vod_home_decision:${input.requestId}`,
        text: { type: 'plain_text', text: actionId === ACTION_REJECT ? 'Reject' : 'Approve', emoji: true },
        value: input.requestId,
        style: actionId === ACTION_REJECT ? 'danger' : 'primary',
        action_ts: `${Math.floor(Date.now() / 1000)}.000001`,
      },
    ],
  };
}

/** The user an interaction payload names: as Slack sends it, with both `username` and `name`. */
function payloadUser(userId: string) {
  const username = `user-${userId.toLowerCase()}`;
  return { id: userId, username, team_id: TEST_TEAM_ID, name: username };
}

function randomTriggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e12)}.${randomUUID().replace(/-/g, '')}`;
}

/** A `block_actions` payload for a click on the approval message's Approve (default) or Reject button. */
export function blockActionPayload(input: {
  userId: string;
  requestId: string;
  actionId?: string;
  channel: string;
  messageTs: string;
  responseUrl: string;
  triggerId?: string;
}) {
  const actionId = input.actionId ?? ACTION_APPROVE;
  return {
    type: 'block_actions' as const,
    user: payloadUser(input.userId),
    api_app_id: TEST_APP_ID,
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channel,
      is_ephemeral: false,
    },
    trigger_id: input.triggerId ?? randomTriggerId(),
    team: { id: TEST_TEAM_ID, domain: 'fake-workspace' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: 'video-ops' },
    message: {
      type: 'message',
      subtype: 'bot_message',
      text: 'Approval needed',
      ts: input.messageTs,
      bot_id: 'B0FAKEBOT',
      blocks: [],
    },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'vod_decision',
        text: { type: 'plain_text', text: actionId === ACTION_REJECT ? 'Reject' : 'Approve', emoji: true },
        value: input.requestId,
        style: actionId === ACTION_REJECT ? 'danger' : 'primary',
        action_ts: `${Math.floor(Date.now() / 1000)}.000001`,
      },
    ],
  };
}

/** A `view_submission` payload for the reject-reason modal (a request's, or the one `callbackId` names). */
export function viewSubmissionPayload(input: {
  userId: string;
  requestId: string;
  reason: string;
  viewId?: string;
  callbackId?: string;
  /** The modal's `private_metadata`, when not just the request id (a rejection asked for from the Home). */
  privateMetadata?: string;
}) {
  return {
    type: 'view_submission' as const,
    team: { id: TEST_TEAM_ID, domain: 'fake-workspace' },
    user: payloadUser(input.userId),
    api_app_id: TEST_APP_ID,
    token: 'legacy-verification-token',
    trigger_id: randomTriggerId(),
    view: {
      id: input.viewId ?? 'V0REJECT01',
      team_id: TEST_TEAM_ID,
      type: 'modal',
      callback_id: input.callbackId ?? VIEW_REJECT,
      private_metadata: input.privateMetadata ?? input.requestId,
      title: { type: 'plain_text', text: 'Reject deletion', emoji: true },
      submit: { type: 'plain_text', text: 'Reject', emoji: true },
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      blocks: [],
      state: {
        values: {
          [REJECT_REASON_BLOCK]: { [REJECT_REASON_INPUT]: { type: 'plain_text_input', value: input.reason } },
        },
      },
      hash: `${Math.floor(Date.now() / 1000)}.fakehash`,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: input.viewId ?? 'V0REJECT01',
      previous_view_id: null,
      app_id: TEST_APP_ID,
      external_id: '',
      bot_id: 'B0FAKEBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
