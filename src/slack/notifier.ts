import type { WebClient } from '@slack/web-api';
import type { Logger } from '../core/logger.js';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import type { WorkflowEvent } from '../core/workflow/events.js';
import type { Announcer } from './announcer.js';
import { decidedMessage, outcomeThreadReply } from './blocks.js';
import { approvalMessageOf } from './message-ref.js';
import type { MessageUpdates } from './message-updates.js';
import { logSlackFailure, type SlackFailureSink } from './slack-failure-log.js';

/**
 * Keeps requests' approval messages true to the store: every workflow event this process emits updates the
 * request's message (votes, "Approved by @x — deleting…", the outcome, rejection, expiry, cancellation), and an
 * execution's details go in a thread reply. Updates run through `updates` (one after another per request, the
 * request as stored at that moment, an unchanged message sent once). Requests made outside Slack (MCP) are posted
 * to the approval channel when created.
 */
export function attachSlackNotifier(
  workflow: DeletionWorkflow,
  client: WebClient,
  options: { logger: Logger; sandbox: boolean; health?: SlackFailureSink },
  /** Absent when approvers are reached by direct message only: the trail's follower sends those. */
  announcer: Announcer<DeletionRequest> | undefined,
  updates: MessageUpdates,
): { detach: () => void } {
  const ctx = { sandbox: options.sandbox };

  const handle = async (event: WorkflowEvent): Promise<void> => {
    if (event.type === 'created') {
      // The /vod command posts its own requests where they were asked; others go to the approval channel.
      if (event.request.requester.source !== 'slack') await announcer?.announce(event.request);
      return;
    }
    const latest = (await workflow.get(event.request.id)) ?? event.request;
    const where = approvalMessageOf(latest);
    if (!where) return;
    const id = latest.id;
    const fields = { request: id, event: event.type };
    // Events that arrive after a newer state was stored would send the same message again: sent once.
    await updates.send(id, where, decidedMessage(latest, ctx), fields);
    if (event.type === 'succeeded' || event.type === 'failed') {
      updates.forget(id);
      try {
        await client.chat.postMessage({
          channel: where.channel,
          thread_ts: where.ts,
          ...outcomeThreadReply(latest, ctx),
        });
      } catch (error) {
        logSlackFailure(
          options.logger,
          options.health,
          'chat.postMessage',
          error,
          fields,
          'could not update the Slack message',
        );
      }
    }
  };

  const detach = workflow.subscribe((event) =>
    updates.run(event.request.id, { request: event.request.id, event: event.type }, () => handle(event)),
  );
  return { detach };
}
