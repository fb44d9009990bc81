import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import type { WorkflowEvent } from '../core/workflow/events.js';
import type { Announcer } from './announcer.js';
import { decidedMessage, outcomeThreadReply } from './blocks.js';
import { approvalMessageOf } from './message-ref.js';
import { slackErrorCode } from './slack-error.js';

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
  options: { logger: Logger; sandbox: boolean; approvalChannel?: string },
  announcer: Announcer,
): { detach: () => void; idle: () => Promise<void> } {
  const queues = new Map<string, Promise<void>>();
  const ctx = { sandbox: options.sandbox };

  const handle = async (event: WorkflowEvent): Promise<void> => {
    if (event.type === 'created') {
      // The /vod command posts its own requests where they were asked; others go to the approval channel.
      if (event.request.requester.source !== 'slack') await announcer.announce(event.request);
      return;
    }
    const latest = (await workflow.get(event.request.id)) ?? event.request;
    const where = approvalMessageOf(latest);
    if (!where) return;
    await client.chat.update({ channel: where.channel, ts: where.ts, ...decidedMessage(latest, ctx) });
    if (event.type === 'succeeded' || event.type === 'failed') {
      await client.chat.postMessage({
        channel: where.channel,
        thread_ts: where.ts,
        ...outcomeThreadReply(latest, ctx),
      });
    }
  };

  const detach = workflow.subscribe((event) => {
    const id = event.request.id;
    const next = (queues.get(id) ?? Promise.resolve())
      .then(() => handle(event))
      .catch((error: unknown) => {
        const code = slackErrorCode(error) ?? errorSummary(error);
        options.logger.error(
          { request: id, event: event.type, error: code },
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
    /** Resolves when every update under way has been sent: for shutdown. */
    async idle() {
      while (queues.size > 0) await Promise.allSettled([...queues.values()]);
    },
  };
}
