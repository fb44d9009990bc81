import type { Principal } from './principal.js';

/**
 * Who may approve or reject deletion requests. The allowlist is `VOD_OPS_APPROVERS`; a front end may add a
 * directory of its own (a chat front end may resolve a user group) and combine them with {@link anyApprover}.
 */
export interface ApproverDirectory {
  isApprover(principal: Principal): Promise<boolean>;
  /** False when no one at all could approve: then requests are refused up front (fail closed). */
  readonly configured: boolean;
}

/**
 * Entries are principal ids (`U024BE7LH`), matching that id from any source, or qualified by one of `sources`
 * (`<source>:<id>`), matching only that source. The sources are the front ends' names, given by the composition
 * root; an entry whose prefix is none of them is an id like any other.
 */
export function createAllowlistApprovers(
  entries: readonly string[],
  sources: readonly string[],
): ApproverDirectory {
  const anySource = new Set<string>();
  const qualified = new Set<string>();
  for (const raw of entries) {
    const value = raw.trim();
    if (value === '') continue;
    const colon = value.indexOf(':');
    if (colon > 0 && sources.includes(value.slice(0, colon))) qualified.add(value);
    else anySource.add(value);
  }
  return {
    configured: anySource.size + qualified.size > 0,
    isApprover: async (p) => anySource.has(p.id) || qualified.has(`${p.source}:${p.id}`),
  };
}

export function anyApprover(...directories: ApproverDirectory[]): ApproverDirectory {
  return {
    configured: directories.some((d) => d.configured),
    async isApprover(principal) {
      for (const directory of directories) {
        if (directory.configured && (await directory.isApprover(principal))) return true;
      }
      return false;
    },
  };
}
