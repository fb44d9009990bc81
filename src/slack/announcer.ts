import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import { approvalMessage } from './blocks.js';
import { announcementRef } from './message-ref.js';
import { slackErrorCode } from './slack-error.js';

export interface Announcer {
  /** Posts one request made outside Slack for approval, unless another process already does. */
  announce(request: DeletionRequest): Promise<void>;
  /** Posts every pending request made outside Slack that has no approval message yet. */
  announcePending(): Promise<number>;
}

/**
 * Requests made outside Slack (by AI assistants over MCP, possibly in another process) are posted to the
 * approval channel by whichever serving process sees them first: it claims the posting in the store
 * (compare-and-set), posts, and records the message. A post that fails is released, to be retried by the next
 * pass, and logged with Slack's error so an operator can fix the channel.
 */
export function createAnnouncer(
  workflow: DeletionWorkflow,
  client: WebClient,
  options: { logger: Logger; sandbox: boolean; approvalChannel?: string },
): Announcer {
  let warned = false;
  const announce = async (request: DeletionRequest): Promise<void> => {
    const channel = options.approvalChannel;
    if (!channel) {
      if (!warned) {
        options.logger.error(
          { request: request.id },
          'requests from outside Slack cannot be posted for approval: set VOD_OPS_APPROVAL_CHANNEL',
        );
        warned = true;
      }
      return;
    }
    if (!(await workflow.claimAnnouncement(request.id))) return;
    try {
      const latest = (await workflow.get(request.id)) ?? request;
      const posted = await client.chat.postMessage({
        channel,
        ...approvalMessage(latest, { sandbox: options.sandbox }),
      });
      if (posted.channel && posted.ts) {
        await workflow.recordAnnouncement(
          request.id,
          announcementRef({ channel: posted.channel, ts: posted.ts }),
        );
      }
    } catch (error) {
      await workflow.recordAnnouncement(request.id, undefined);
      const code = slackErrorCode(error) ?? errorSummary(error);
      options.logger.error(
        { request: request.id, channel, error: code },
        'could not post a request for approval',
      );
    }
  };
  return {
    announce,
    async announcePending() {
      const unannounced = await workflow.awaitingAnnouncement(200);
      for (const request of unannounced) await announce(request);
      return unannounced.length;
    },
  };
}
