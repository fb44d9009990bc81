import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import type { WorkflowEvent } from '../core/workflow/events.js';
import type { Announcer } from './announcer.js';
import { decidedMessage, outcomeThreadReply } from './blocks.js';
import { approvalMessageOf } from './message-ref.js';
import { logSlackFailure, type SlackFailureSink } from './slack-failure-log.js';

/**
 * Keeps approval messages true to the store: every workflow event this process emits updates the request's
 * message (votes, "Approved by @x — deleting…", the outcome, rejection, expiry, cancellation), and an
 * execution's details go in a thread reply. Updates for one request run one after another and render the
 * request as stored at that moment, so late events never overwrite a newer state. Requests made outside Slack
 * (MCP) are posted to the approval channel when created.
 */
export function attachSlackNotifier(
  workflow: DeletionWorkflow,
  client: WebClient,
  options: { logger: Logger; sandbox: boolean; approvalChannel?: string; health?: SlackFailureSink },
  announcer: Announcer,
): { detach: () => void; idle: (timeoutMs: number) => Promise<number> } {
  const queues = new Map<string, Promise<void>>();
  /** What each request's message last showed: an event that would not change it sends nothing. */
  const shown = new Map<string, string>();
  const ctx = { sandbox: options.sandbox };
  const failed = (method: string, id: string, event: string, error: unknown) =>
    logSlackFailure(
      options.logger,
      options.health,
      method,
      error,
      { request: id, event },
      'could not update the Slack message',
    );

  const handle = async (event: WorkflowEvent): Promise<void> => {
    if (event.type === 'created') {
      // The /vod command posts its own requests where they were asked; others go to the approval channel.
      if (event.request.requester.source !== 'slack') await announcer.announce(event.request);
      return;
    }
    const latest = (await workflow.get(event.request.id)) ?? event.request;
    const where = approvalMessageOf(latest);
    if (!where) return;
    const id = latest.id;
    const message = decidedMessage(latest, ctx);
    const rendered = JSON.stringify(message);
    // Events that arrive after a newer state was stored would send the same message again: sent once.
    if (shown.get(id) !== rendered) {
      try {
        await client.chat.update({ channel: where.channel, ts: where.ts, ...message });
        shown.set(id, rendered);
      } catch (error) {
        failed('chat.update', id, event.type, error);
      }
    }
    if (event.type === 'succeeded' || event.type === 'failed') {
      shown.delete(id);
      try {
        await client.chat.postMessage({
          channel: where.channel,
          thread_ts: where.ts,
          ...outcomeThreadReply(latest, ctx),
        });
      } catch (error) {
        failed('chat.postMessage', id, event.type, error);
      }
    }
  };

  const detach = workflow.subscribe((event) => {
    const id = event.request.id;
    const next = (queues.get(id) ?? Promise.resolve())
      .then(() => handle(event))
      .catch((error: unknown) => {
        // Not Slack's (the store, say): the edge policy's summary.
        options.logger.error(
          { request: id, event: event.type, err: errorSummary(error) },
          'could not update the Slack message',
        );
      });
    queues.set(id, next);
    void next.finally(() => {
      if (queues.get(id) === next) queues.delete(id);
    });
    return next;
  });
  return {
    detach,
    /**
     * Resolves when every update under way has been sent, or after `timeoutMs` (Slack unreachable, say): for
     * shutdown, which must not wait for Slack. Returns how many were left unsent.
     */
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
