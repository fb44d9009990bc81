import type { Announcement, AnnouncementRef } from '../core/requests/deletion-request.js';

/** A Slack message: its channel and timestamp, all `chat.update` needs to change it. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * The approval message of a request or a campaign, from the announcement core keeps for the Slack front end:
 * undefined while it is not (or only claimed to be) posted, or when it went to approvers' direct messages only.
 */
export function approvalMessageOf(subject: { announcement?: Announcement }): MessageRef | undefined {
  const ref = subject.announcement?.ref;
  return ref?.channel && ref.ts ? { channel: ref.channel, ts: ref.ts } : undefined;
}

/**
 * Every copy of a subject's approval message: the channel's (if any), then those in approvers' direct messages,
 * which core keeps as the announcement's `copies`: each approver's user id to `D…:ts`.
 */
export function approvalMessagesOf(subject: { announcement?: Announcement }): MessageRef[] {
  const own = approvalMessageOf(subject);
  return [...(own ? [own] : []), ...Object.values(copiesOf(subject)).flatMap((m) => (m ? [m] : []))];
}

/** The copies in direct messages, by approver. */
export function copiesOf(subject: { announcement?: Announcement }): Record<string, MessageRef | undefined> {
  return Object.fromEntries(
    Object.entries(subject.announcement?.copies ?? {}).map(([user, pair]) => {
      const [channel, ts] = pair.split(':');
      return [user, channel && ts ? { channel, ts } : undefined];
    }),
  );
}

/** What core keeps of copies just posted (see `recordAnnouncementCopies`), by approver. */
export function copiesRef(posted: ReadonlyMap<string, MessageRef>): AnnouncementRef {
  return Object.fromEntries([...posted].map(([user, m]) => [user, `${m.channel}:${m.ts}`]));
}

/** What core keeps of a posted approval message. */
export function announcementRef(message: MessageRef): AnnouncementRef {
  return { channel: message.channel, ts: message.ts };
}

/** Where a button was clicked: the message's channel and timestamp, as the signed payload says. */
export function clickedMessage(body: {
  container?: unknown;
  channel?: { id?: string };
}): Partial<MessageRef> {
  const container = body.container as { message_ts?: string; channel_id?: string } | undefined;
  const channel = container?.channel_id ?? body.channel?.id;
  return { ...(channel ? { channel } : {}), ...(container?.message_ts ? { ts: container.message_ts } : {}) };
}

/**
 * Whether a click came from the app's own Home tab: the signed payload says the button was in a view
 * (`container.type: 'view'`) and that view is a Home (`view.type: 'home'`). Only the app publishes its users' Home
 * views, so a decision button there is one the app put there, like the approval message's; such a click has no
 * `response_url`, and is answered on the Home itself.
 */
export function clickedOnHome(body: { container?: unknown; view?: { type?: string } }): boolean {
  const container = body.container as { type?: string } | undefined;
  return container?.type === 'view' && body.view?.type === 'home';
}

/**
 * A button counts only on one of its subject's own approval messages (in the channel, or a copy in an approver's
 * direct messages): a button with the same value on any other message (an old copy, another app's message, a
 * crafted one) is refused, with where to go. Clicks on the app's Home are the exception, checked by the caller
 * first (see `clickedOnHome`). Returns the explanation, or undefined when the click counts.
 */
export function clickedElsewhere(
  subject: { id: string; announcement?: Announcement },
  noun: 'request' | 'campaign',
  clicked: Partial<MessageRef>,
): string | undefined {
  const copies = approvalMessagesOf(subject);
  if (copies.some((m) => m.ts === clicked.ts && m.channel === clicked.channel)) return undefined;
  const own = approvalMessageOf(subject);
  if (own)
    return `That button is not on ${noun} ${subject.id}'s approval message; decide on it there: <#${own.channel}>.`;
  return copies.length > 0
    ? `That button is not on ${noun} ${subject.id}'s approval message; decide on it in your direct messages with vod-ops.`
    : `${noun === 'request' ? 'Request' : 'Campaign'} ${subject.id} has no approval message to decide on yet.`;
}
