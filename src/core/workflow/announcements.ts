import type { DeletionWorkflow, WorkflowContext } from './deletion-workflow.js';

/**
 * Where front ends show requests for approval, kept as front-end metadata on the request (core never reads its
 * `ref`). A request made in a front end that shows it itself is claimed at creation; any other (an assistant's,
 * say) waits, unclaimed, for whichever process of a front end claims it first. Claims and refs are written with
 * a compare-and-set, only while the request is pending: an executing request's version belongs to its executor.
 */
export function createAnnouncements(
  ctx: WorkflowContext,
): Pick<DeletionWorkflow, 'claimAnnouncement' | 'recordAnnouncement' | 'awaitingAnnouncement'> {
  return {
    async claimAnnouncement(id) {
      const result = await ctx.transact(id, (current) =>
        current.status === 'pending' && !current.announcement
          ? {
              next: {
                ...current,
                announcement: { claimedAt: ctx.clock.now() },
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
        const announcement = ref
          ? { claimedAt: current.announcement?.claimedAt ?? ctx.clock.now(), ref }
          : undefined;
        return { next: { ...current, announcement, version: current.version + 1 }, audit: [] };
      });
      return result.request;
    },

    awaitingAnnouncement: (limit) =>
      ctx.store.list({ statuses: ['pending'], awaitingAnnouncement: true, limit }),
  };
}
