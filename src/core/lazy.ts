/** A resource opened on first use and shared after. */
export interface Lazy<T> {
  /** The resource: opened by the first call, shared by the next. A failed open is forgotten, so a later call tries again. */
  get(): Promise<T>;
  /** The open in progress or done, if any has started: what to close at shutdown. */
  started(): Promise<T> | undefined;
}

export function lazy<T>(open: () => Promise<T>): Lazy<T> {
  let opening: Promise<T> | undefined;
  return {
    get() {
      opening ??= open().catch((error: unknown) => {
        opening = undefined;
        throw error;
      });
      return opening;
    },
    started: () => opening,
  };
}
