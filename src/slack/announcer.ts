import type { WebClient } from '@slack/web-api';
import { errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AnnouncementRef, DeletionRequest } from '../core/requests/deletion-request.js';
import type { DeletionWorkflow } from '../core/workflow/deletion-workflow.js';
import { approvalMessage } from './blocks.js';
import { announcementRef } from './message-ref.js';
import type { SlackContext, SlackMessage } from './mrkdwn.js';
import { logSlackFailure, type SlackFailureSink } from './slack-failure-log.js';

/**
 * What people approve in the approval channel (deletion requests, clean-up campaigns), as the announcer reaches
 * it: the claim of its posting (of several processes exactly one wins), where it was posted, and its message.
 */
export interface AnnouncedSubjects<T extends { id: string }> {
  /** In log lines and their fields: `request`, `campaign`. */
  noun: 'request' | 'campaign';
  /** What cannot be posted without an approval channel, for the log line saying so. */
  unpostable: string;
  get(id: string): Promise<T | undefined>;
  claimAnnouncement(id: string): Promise<boolean>;
  recordAnnouncement(id: string, ref: AnnouncementRef | undefined): Promise<unknown>;
  awaitingAnnouncement(limit: number): Promise<T[]>;
  /** The approval message of the subject as stored now. */
  message(subject: T): Promise<SlackMessage>;
}

export interface Announcer<T> {
  /** Posts one subject for approval, unless another process already does. */
  announce(subject: T): Promise<void>;
  /** Posts every subject awaiting approval that has no approval message yet. */
  announcePending(): Promise<number>;
}

/** Deletion requests made outside Slack (by AI assistants over MCP, possibly in another process). */
export function requestSubjects(
  workflow: DeletionWorkflow,
  ctx: SlackContext,
): AnnouncedSubjects<DeletionRequest> {
  return {
    noun: 'request',
    unpostable: 'requests from outside Slack',
    get: (id) => workflow.get(id),
    claimAnnouncement: (id) => workflow.claimAnnouncement(id),
    recordAnnouncement: (id, ref) => workflow.recordAnnouncement(id, ref),
    awaitingAnnouncement: (limit) => workflow.awaitingAnnouncement(limit),
    message: async (request) => approvalMessage(request, ctx),
  };
}

/**
 * Requests made outside Slack and campaigns planned anywhere are posted to the approval channel by whichever
 * serving process sees them first: it claims the posting in the store (compare-and-set), posts, and records the
 * message. A post that fails is released, to be retried by the next pass, and logged with Slack's error so an
 * operator can fix the channel. Without a channel, that is said once.
 */
export function createAnnouncer<T extends { id: string }>(
  subjects: AnnouncedSubjects<T>,
  client: WebClient,
  options: { logger: Logger; approvalChannel?: string; health?: SlackFailureSink },
): Announcer<T> {
  let warned = false;
  const announce = async (subject: T): Promise<void> => {
    const channel = options.approvalChannel;
    const fields = { [subjects.noun]: subject.id };
    if (!channel) {
      if (!warned) {
        options.logger.error(
          fields,
          `${subjects.unpostable} cannot be posted for approval: set VOD_OPS_APPROVAL_CHANNEL`,
        );
        warned = true;
      }
      return;
    }
    if (!(await subjects.claimAnnouncement(subject.id))) return;
    let posted: { channel?: string; ts?: string };
    try {
      const latest = (await subjects.get(subject.id)) ?? subject;
      posted = await client.chat.postMessage({ channel, ...(await subjects.message(latest)) });
    } catch (error) {
      // Not posted: released, for the next pass to try again.
      await subjects.recordAnnouncement(subject.id, undefined);
      logSlackFailure(
        options.logger,
        options.health,
        'chat.postMessage',
        error,
        { ...fields, channel },
        `could not post a ${subjects.noun} for approval; retrying on the next pass`,
      );
      return;
    }
    // Posted: the claim stays even if where cannot be recorded, so it is not posted twice.
    await recordPosted(subjects, subject.id, posted, options.logger);
  };
  return {
    announce,
    async announcePending() {
      const unannounced = await subjects.awaitingAnnouncement(200);
      for (const subject of unannounced) await announce(subject);
      return unannounced.length;
    },
  };
}

/**
 * Records where a request or a campaign was posted. If that fails, the message stands but will not follow its
 * decisions; the claim is kept, so no process posts it again before the claim grows old.
 */
export async function recordPosted(
  subjects: Pick<AnnouncedSubjects<{ id: string }>, 'noun' | 'recordAnnouncement'>,
  id: string,
  posted: { channel?: string; ts?: string },
  logger: Logger,
): Promise<boolean> {
  try {
    if (!posted.channel || !posted.ts)
      throw new Error('Slack answered chat.postMessage without channel and ts');
    await subjects.recordAnnouncement(id, announcementRef({ channel: posted.channel, ts: posted.ts }));
    return true;
  } catch (error) {
    logger.error(
      { [subjects.noun]: id, err: errorSummary(error) },
      `a ${subjects.noun} was posted for approval, but where could not be recorded: its message will not follow decisions`,
    );
    return false;
  }
}
