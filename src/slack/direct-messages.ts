import type { WebClient } from '@slack/web-api';
import type { Logger } from '../core/logger.js';
import type { MessageRef } from './message-ref.js';
import type { SlackMessage } from './mrkdwn.js';
import { describeSlackFailure } from './slack-error.js';
import { logSlackFailure, type SlackFailureSink } from './slack-failure-log.js';

/**
 * What became of a direct message: where it was posted, or why not. `retry` is set when Slack could not be reached
 * or was failing (worth sending again later); a refusal (`messages_tab_disabled`, a deactivated user) is final.
 */
export type DirectMessageOutcome = { posted: MessageRef } | { posted: undefined; retry: boolean };

export interface DirectMessages {
  /** Posts `message` in the conversation of the app with `user`; a failure is logged with `fields`, never thrown. */
  send(user: string, message: SlackMessage, fields: Record<string, unknown>): Promise<DirectMessageOutcome>;
}

/**
 * Direct messages from the app: `conversations.open` (scope `im:write`) gives the `D…` conversation, in which
 * `chat.postMessage` posts; a copy's `D…` and `ts` are what `chat.update` needs later. The conversation of each user
 * is remembered for this process (it never changes), saving a call per message.
 * @see https://docs.slack.dev/reference/methods/conversations.open
 */
export function createDirectMessages(
  client: WebClient,
  options: { logger: Logger; health?: SlackFailureSink },
): DirectMessages {
  const conversations = new Map<string, string>();
  const failed = (method: string, error: unknown, fields: Record<string, unknown>): DirectMessageOutcome => {
    logSlackFailure(options.logger, options.health, method, error, fields, 'could not send a direct message');
    const failure = describeSlackFailure(error);
    return { posted: undefined, retry: failure.unreachable || failure.code === 'ratelimited' };
  };
  return {
    async send(user, message, fields) {
      let channel = conversations.get(user);
      if (!channel) {
        try {
          channel = (await client.conversations.open({ users: user })).channel?.id;
        } catch (error) {
          return failed('conversations.open', error, fields);
        }
        if (!channel) {
          options.logger.error(fields, 'Slack opened no conversation for a direct message');
          return { posted: undefined, retry: false };
        }
        conversations.set(user, channel);
      }
      try {
        const posted = await client.chat.postMessage({ channel, ...message });
        return { posted: { channel: posted.channel ?? channel, ts: posted.ts ?? '' } };
      } catch (error) {
        return failed('chat.postMessage', error, fields);
      }
    },
  };
}
