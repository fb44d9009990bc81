import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DeletionRequest } from '../core/requests/deletion-request.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import { approvalMessage } from './blocks.js';
import { announcementRef } from './message-ref.js';
import { logSlackFailure, type SlackFailureSink } from './slack-failure-log.js';

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
  options: { logger: Logger; sandbox: boolean; approvalChannel?: string; health?: SlackFailureSink },
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
    let posted: { channel?: string; ts?: string };
    try {
      const latest = (await workflow.get(request.id)) ?? request;
      posted = await client.chat.postMessage({
        channel,
        ...approvalMessage(latest, { sandbox: options.sandbox }),
      });
    } catch (error) {
      // Not posted: released, for the next pass to try again.
      await workflow.recordAnnouncement(request.id, undefined);
      logSlackFailure(
        options.logger,
        options.health,
        'chat.postMessage',
        error,
        { request: request.id, channel },
        'could not post a request for approval; retrying on the next pass',
      );
      return;
    }
    // Posted: the claim stays even if where cannot be recorded, so the request is not posted twice.
    await recordPosted(workflow, request.id, posted, options.logger);
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

/**
 * Records where a request was posted. If that fails, the message stands but will not follow the request's
 * decisions; the claim is kept, so no process posts it again before the claim grows old.
 */
export async function recordPosted(
  workflow: Pick<DeletionWorkflow, 'recordAnnouncement'>,
  requestId: string,
  posted: { channel?: string; ts?: string },
  logger: Logger,
): Promise<boolean> {
  try {
    if (!posted.channel || !posted.ts)
      throw new Error('Slack answered chat.postMessage without channel and ts');
    await workflow.recordAnnouncement(requestId, announcementRef({ channel: posted.channel, ts: posted.ts }));
    return true;
  } catch (error) {
    logger.error(
      { request: requestId, err: errorSummary(error) },
      'a request was posted for approval, but where could not be recorded: its message will not follow decisions',
    );
    return false;
  }
}
