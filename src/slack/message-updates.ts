import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { MessageRef } from './message-ref.js';
import type { SlackMessage } from './mrkdwn.js';
import { logSlackFailure, type SlackFailureSink } from './slack-failure-log.js';

/**
 * How approval messages (of requests and campaigns) are changed in place, in this process: the updates of one
 * subject run one after another, each rendering the subject as stored when it runs, so a late update never
 * overwrites a newer state; an update that would send what this process last sent for it sends nothing.
 */
export interface MessageUpdates {
  /** Runs `work` after every earlier work for `id`; what it throws is logged with `fields`, never rethrown. */
  run(id: string, fields: Record<string, unknown>, work: () => Promise<void>): Promise<void>;
  /**
   * `chat.update` of `where` with `message`, unless this process last sent `id` the same; a failure is logged with
   * `fields`. Returns whether Slack took it.
   */
  send(
    id: string,
    where: MessageRef,
    message: SlackMessage,
    fields: Record<string, unknown>,
  ): Promise<boolean>;
  /** Forgets what was last sent for `id`: its next update is sent whatever it shows. */
  forget(id: string): void;
  /**
   * Resolves when every update under way has been sent, or after `timeoutMs` (Slack unreachable, say): for
   * shutdown, which must not wait for Slack. Returns how many were left unsent.
   */
  idle(timeoutMs: number): Promise<number>;
}

export function createMessageUpdates(
  client: WebClient,
  options: { logger: Logger; health?: SlackFailureSink },
): MessageUpdates {
  const queues = new Map<string, Promise<void>>();
  const shown = new Map<string, string>();
  return {
    run(id, fields, work) {
      const next = (queues.get(id) ?? Promise.resolve()).then(work).catch((error: unknown) => {
        // Not Slack's (the store, say): the edge policy's summary.
        options.logger.error({ ...fields, err: errorSummary(error) }, 'could not update the Slack message');
      });
      queues.set(id, next);
      void next.finally(() => {
        if (queues.get(id) === next) queues.delete(id);
      });
      return next;
    },
    async send(id, where, message, fields) {
      const rendered = JSON.stringify(message);
      if (shown.get(id) === rendered) return false;
      try {
        await client.chat.update({ channel: where.channel, ts: where.ts, ...message });
        shown.set(id, rendered);
        return true;
      } catch (error) {
        logSlackFailure(
          options.logger,
          options.health,
          'chat.update',
          error,
          fields,
          'could not update the Slack message',
        );
        return false;
      }
    },
    forget(id) {
      shown.delete(id);
    },
    async idle(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), timeoutMs);
      });
      try {
        while (queues.size > 0) {
          if ((await Promise.race([Promise.allSettled([...queues.values()]), deadline])) === 'late') break;
        }
      } finally {
        clearTimeout(timer);
      }
      return queues.size;
    },
  };
}
