import type { Announcement, AnnouncementRef } from '../requests/deletion-request.js';
import type { DeletionWorkflow, WorkflowContext } from './deletion-workflow.js';

/**
 * How long a claim without a `ref` holds before another process may claim the request again: its claimer died
 * before showing it, or could not record where. Longer than a front end may take to show a request (Slack's Web
 * API client retries a failed post for up to about 30 minutes), so a slow post is not shown twice, and far
 * shorter than a request's time to live, so a request whose showing was lost is shown after all.
 */
export const ANNOUNCEMENT_CLAIM_MS = 60 * 60_000;

/** The announcement's copies, as fields to spread: kept through claims and releases. */
function copiesOf(announcement: Announcement | undefined): { copies?: AnnouncementRef } {
  return announcement?.copies ? { copies: announcement.copies } : {};
}

/** True when a front end may claim showing the request now. */
function claimable(announcement: Announcement | undefined, now: number): boolean {
  return !announcement || (!announcement.ref && announcement.claimedAt <= now - ANNOUNCEMENT_CLAIM_MS);
}

/**
 * Where front ends show requests for approval, kept as front-end metadata on the request (core never reads its
 * `ref`). A request made in a front end that shows it itself is claimed at creation; any other (an assistant's,
 * say) waits, unclaimed, for whichever process of a front end claims it first. A claim that never got its `ref`
 * may be claimed again after {@link ANNOUNCEMENT_CLAIM_MS}. Claims and refs are written with a compare-and-set,
 * only while the request is pending: an executing request's version belongs to its executor.
 */
export function createAnnouncements(
  ctx: WorkflowContext,
): Pick<
  DeletionWorkflow,
  'claimAnnouncement' | 'recordAnnouncement' | 'recordAnnouncementCopies' | 'awaitingAnnouncement'
> {
  return {
    async claimAnnouncement(id) {
      const result = await ctx.transact(id, (current) =>
        current.status === 'pending' && claimable(current.announcement, ctx.clock.now())
          ? {
              next: {
                ...current,
                announcement: { ...copiesOf(current.announcement), claimedAt: ctx.clock.now() },
                version: current.version + 1,
              },
              audit: [],
            }
          : undefined,
      );
      return result.ok && result.changed;
    },

    async recordAnnouncement(id, ref) {
      const result = await ctx.transact(id, (current) => {
        if (current.status !== 'pending') return undefined;
        // A release keeps the copies, unclaimed.
        const copies = copiesOf(current.announcement);
        const announcement = ref
          ? { ...copies, claimedAt: current.announcement?.claimedAt || ctx.clock.now(), ref }
          : copies.copies
            ? { ...copies, claimedAt: 0 }
            : undefined;
        return { next: { ...current, announcement, version: current.version + 1 }, audit: [] };
      });
      return result.request;
    },

    async recordAnnouncementCopies(id, copies) {
      const result = await ctx.transact(id, (current) => {
        if (current.status !== 'pending') return undefined;
        const announcement = {
          ...(current.announcement ?? { claimedAt: 0 }),
          copies: { ...current.announcement?.copies, ...copies },
        };
        return { next: { ...current, announcement, version: current.version + 1 }, audit: [] };
      });
      return result.ok && result.changed;
    },

    awaitingAnnouncement: (limit) =>
      ctx.store.list({
        statuses: ['pending'],
        awaitingAnnouncement: { claimedBefore: ctx.clock.now() - ANNOUNCEMENT_CLAIM_MS },
        limit,
      }),
  };
}
