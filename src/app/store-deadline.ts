/**
 * How long a probe or a scrape waits for the store: PostgreSQL has no query timeout, and a store that stopped
 * answering must neither hold `/readyz` past a Kubernetes probe's patience nor a scrape past Prometheus' timeout.
 */
export const STORE_ANSWER_MS = 2_000;

/** What `withinStoreDeadline` rejects with when the store did not answer in time. */
export class StoreTooSlow extends Error {
  constructor() {
    super(`the store did not answer within ${STORE_ANSWER_MS / 1000} s`);
  }
}

/** `work`, or a `StoreTooSlow` rejection after `STORE_ANSWER_MS`. */
export function withinStoreDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new StoreTooSlow()), STORE_ANSWER_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}
