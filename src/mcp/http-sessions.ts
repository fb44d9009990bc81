import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

interface Session {
  transport: StreamableHTTPServerTransport;
  principal: string;
  lastUsed: number;
}

/** What a new session may do: open, open after closing the principal's least recently used, or not at all. */
export type Admission = { ok: true; evict?: string } | { ok: false };

/**
 * The open MCP sessions over HTTP, each one MCP server and transport in memory. Bounded, so a token cannot use
 * up the server's memory: at most `perPrincipal` per token (a new one closes that token's least recently used; a
 * client that restarts without closing its session is not locked out) and `max` in all (beyond it, new sessions
 * are refused: one principal cannot close another's). A session unused for `idleMs` is closed.
 */
export function createSessionTable(options: {
  max: number;
  perPrincipal: number;
  idleMs: number;
  /** Milliseconds on a monotonic clock. */
  now: () => number;
}) {
  const sessions = new Map<string, Session>();

  const close = async (id: string) => {
    const session = sessions.get(id);
    sessions.delete(id);
    // Closing the transport closes the MCP server connected to it: both are freed.
    await session?.transport.close();
  };

  return {
    get(id: string): Session | undefined {
      const session = sessions.get(id);
      if (session) session.lastUsed = options.now();
      return session;
    },
    add(id: string, transport: StreamableHTTPServerTransport, principal: string): void {
      sessions.set(id, { transport, principal, lastUsed: options.now() });
    },
    /** Forgets a session its transport closed (a client's DELETE, say). */
    forget(id: string): void {
      sessions.delete(id);
    },
    /** Closes every session idle for longer than `idleMs`. Returns how many. */
    async expireIdle(): Promise<number> {
      const cutoff = options.now() - options.idleMs;
      const idle = [...sessions].filter(([, s]) => s.lastUsed <= cutoff).map(([id]) => id);
      await Promise.all(idle.map(close));
      return idle.length;
    },
    admit(principal: string): Admission {
      const own = [...sessions].filter(([, s]) => s.principal === principal);
      if (own.length >= options.perPrincipal) {
        const [oldest] = own.sort(([, a], [, b]) => a.lastUsed - b.lastUsed)[0] ?? [];
        return oldest === undefined ? { ok: false } : { ok: true, evict: oldest };
      }
      return sessions.size >= options.max ? { ok: false } : { ok: true };
    },
    close,
    size: () => sessions.size,
    countOf: (principal: string) => [...sessions.values()].filter((s) => s.principal === principal).length,
    async closeAll(): Promise<void> {
      await Promise.all([...sessions.keys()].map(close));
    },
  };
}

export type SessionTable = ReturnType<typeof createSessionTable>;
