/** What a tool call's `extra` offers for progress: the client's token, a way to notify it, and its cancellation. */
export interface ProgressExtra {
  _meta?: { progressToken?: string | number };
  sendNotification: (notification: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; total?: number; message: string };
  }) => Promise<void>;
  signal: AbortSignal;
}

/**
 * Reports progress to a client that asked for it (a progress token), and to no other. `progress` must grow from
 * one notification to the next (the protocol says so); a value that does not is not sent. A notification that
 * cannot be sent (the client left) is dropped: the work goes on.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/progress
 */
export function createProgressNotifier(
  extra: ProgressExtra,
): (progress: number, message: string, total?: number) => Promise<void> {
  let last = Number.NEGATIVE_INFINITY;
  return async (progress, message, total) => {
    const progressToken = extra._meta?.progressToken;
    if (progressToken === undefined || !(progress > last)) return;
    last = progress;
    await extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress, ...(total === undefined ? {} : { total }), message },
      })
      .catch(() => undefined);
  };
}
