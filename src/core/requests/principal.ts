/** Someone (or some assistant acting for someone) known to a front end. */
export interface Principal {
  /**
   * Who vouches for the id: the front end that authenticated it (its own name, which core does not interpret),
   * or {@link SYSTEM_SOURCE} for vod-ops itself.
   */
  source: string;
  /** Stable id within the source: a chat user id, an assistant's token name, an OS user. */
  id: string;
  displayName: string;
  /** For an AI assistant: its client's name (e.g. "claude-code"). */
  clientName?: string;
}

/** The source of vod-ops' own actions (expiry, execution). */
export const SYSTEM_SOURCE = 'system';

export function samePrincipal(a: Principal, b: Principal): boolean {
  return a.source === b.source && a.id === b.id;
}
