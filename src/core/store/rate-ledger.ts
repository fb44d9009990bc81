/**
 * The slots of rate budgets shared by every process that uses one store: replicas on one PostgreSQL database,
 * processes on one SQLite file. Alibaba's limits (DeleteStream's 50 calls/s, GetPlayInfo's 360, GetVideoInfo's 100)
 * are per account, so pacing each process by itself lets two replicas send twice the limit. Each call reserves the
 * next slot of its budget in the database, one round trip, and starts when the slot comes.
 */
export interface RateLedger {
  /**
   * Reserves the next slot of budget `key`: `spacingMs` after the slot reserved before it, or now when the budget
   * has been idle that long (an idle budget never lets a backlog out as a burst). Returns when the slot comes, on
   * this process's monotonic clock (`performance.now()`): the database's clock is translated when the answer
   * arrives, so however late the caller gets to read it, the slot stays where the database put it.
   */
  reserve(key: string, spacingMs: number): Promise<number>;
}
