import type { WebClient } from '@slack/web-api';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { describeSlackFailure } from './slack-error.js';

/** Who the app is in Slack, as auth.test says: what Bolt would otherwise ask Slack for before every event. */
export interface SlackIdentity {
  botId: string;
  botUserId: string;
}

export type SlackReachability =
  | { state: 'unknown' }
  | { state: 'ok' }
  | { state: 'unreachable'; code: string }
  | { state: 'refused'; code: string };

/**
 * Whether Slack answers the app: checked with `auth.test` at start (a refused bot token stops the server with a
 * sentence saying so; an unreachable Slack is only reported) and then every `everyMs`, and told by the app's own
 * calls as they fail or succeed. `/readyz` reads it, so it does not say ready while Slack cannot be reached,
 * refuses the token, or has not answered yet.
 */
export function createSlackHealth(options: {
  client: WebClient;
  logger: Logger;
  everyMs: number;
  /** Told of every failed `auth.test`, so that it is counted like the app's other failed calls. */
  onFailure?: (error: unknown) => void;
}) {
  let current: SlackReachability = { state: 'unknown' };
  /** Slack has taken the bot token at least once since the start. */
  let accepted = false;
  let timer: NodeJS.Timeout | undefined;

  const note = (next: SlackReachability) => {
    if (next.state !== current.state) {
      if (next.state === 'ok') options.logger.info('Slack answers again');
      else if (next.state !== 'unknown') {
        const failure = { code: 'code' in next ? next.code : '' };
        options.logger.warn(
          { slack: next.state, ...failure },
          `Slack ${next.state === 'refused' ? 'refuses the bot token' : 'cannot be reached'}`,
        );
      }
    }
    current = next;
  };

  let identity: SlackIdentity | undefined;

  const check = async (): Promise<SlackReachability> => {
    try {
      const answer = await options.client.auth.test();
      if (answer.bot_id && answer.user_id) identity = { botId: answer.bot_id, botUserId: answer.user_id };
      // Only an answer that took the token says it was accepted; another failure (rate limited, a 4xx) does not.
      accepted = true;
      note({ state: 'ok' });
    } catch (error) {
      options.onFailure?.(error);
      const failure = describeSlackFailure(error);
      note(
        failure.tokenRefused
          ? { state: 'refused', code: failure.code }
          : failure.unreachable
            ? { state: 'unreachable', code: failure.code }
            : { state: 'ok' },
      );
    }
    return current;
  };

  return {
    current: () => current,
    /** Whether Slack has taken the bot token since the start (and so the app can work once Slack answers). */
    tokenAccepted: () => accepted && current.state !== 'refused',
    /** What a failed call of the app's says of Slack. */
    noteFailure(error: unknown): void {
      const failure = describeSlackFailure(error);
      if (failure.tokenRefused) note({ state: 'refused', code: failure.code });
      else if (failure.unreachable) note({ state: 'unreachable', code: failure.code });
    },
    /**
     * Checks at once: throws CONFIG when Slack refuses the token; an unreachable Slack is only reported. A Slack
     * that does not answer within `startWaitMs` does not hold the start: the check goes on, and so does the server.
     */
    async start(startWaitMs: number): Promise<SlackIdentity | undefined> {
      let waited: NodeJS.Timeout | undefined;
      const found = await Promise.race([
        check(),
        new Promise<SlackReachability>((resolve) => {
          waited = setTimeout(() => resolve(current), startWaitMs);
        }),
      ]);
      clearTimeout(waited);
      if (found.state === 'refused') {
        throw new AppError(
          'CONFIG',
          `Slack refused SLACK_BOT_TOKEN (${found.code}): set it to the app's bot token (xoxb-…, from OAuth & ` +
            'Permissions in the app settings), and reinstall the app if it was revoked.',
        );
      }
      timer = setInterval(() => void check(), options.everyMs);
      timer.unref();
      return identity;
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

export type SlackHealth = ReturnType<typeof createSlackHealth>;
