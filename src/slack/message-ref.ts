import type { AnnouncementRef, DeletionRequest } from '../core/requests/deletion-request.js';

/** A Slack message: its channel and timestamp, all `chat.update` needs to change it. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * The approval message of a request, from the announcement core keeps for the Slack front end: undefined while
 * the request is not (or only claimed to be) posted.
 */
export function approvalMessageOf(request: DeletionRequest): MessageRef | undefined {
  const ref = request.announcement?.ref;
  return ref?.channel && ref.ts ? { channel: ref.channel, ts: ref.ts } : undefined;
}

/** What core keeps of a posted approval message. */
export function announcementRef(message: MessageRef): AnnouncementRef {
  return { channel: message.channel, ts: message.ts };
}
