/**
 * The slots of rate budgets shared by every process that uses one store: replicas on one PostgreSQL database,
 * processes on one SQLite file. Alibaba's limits (DeleteStream's 50 calls/s, GetPlayInfo's 360, GetVideoInfo's 100)
 * are per account, so pacing each process by itself lets two replicas send twice the limit. Each call reserves the
 * next slot of its budget in the database (calls waiting together reserve consecutive slots in one round trip), and
 * starts when its slot comes.
 */
export interface RateLedger {
  /**
   * Reserves the next `spanMs` of budget `key`: from the end of the span reserved before it, or from now when the
   * budget has been idle that long (an idle budget never lets a backlog out as a burst). One slot is a span of one
   * spacing (`1000 / qps`); n slots at once are a span of n spacings, the caller's slots one spacing apart from its
   * start. Returns when the span starts, on this process's monotonic clock (`performance.now()`): the database's
   * clock is translated when the answer arrives, so however late the caller gets to read it, the span stays where
   * the database put it.
   */
  reserve(key: string, spanMs: number): Promise<number>;
}
