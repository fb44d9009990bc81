import { createHash, timingSafeEqual } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import express, { type Application, type Request, type Response } from 'express';
import { errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { guardToolArguments } from './argument-guard.js';
import { createSessionTable } from './http-sessions.js';
import type { McpHttpSettings } from './http-settings.js';

/** How often idle sessions are looked for, besides at every request. */
const EXPIRE_EVERY_MS = 60_000;

/**
 * Streamable HTTP at `/mcp` on the server's Express app: stateful sessions, one MCP server per session, each
 * bound to the principal whose bearer token opened it, and bounded in number and idle time (http-sessions.ts).
 * Tokens are compared in constant time; the Host header must name this machine (or an allowed host) and an Origin,
 * when present, must be allowed (403 otherwise), against DNS rebinding.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 */
export function mountMcpHttp(
  app: Application,
  settings: McpHttpSettings,
  options: {
    makeServer: (principal: string) => McpServer;
    logger: Logger;
    /** Unguessable session ids (the composition root passes randomUUID). */
    newSessionId: () => string;
    /** Milliseconds on a monotonic clock, for idle sessions. */
    now: () => number;
  },
): { close(): Promise<void>; sessions(): number } {
  const sessions = createSessionTable({
    max: settings.maxSessions,
    perPrincipal: settings.sessionsPerPrincipal,
    idleMs: settings.sessionIdleMs,
    now: options.now,
  });
  const expiring = setInterval(() => void sessions.expireIdle(), EXPIRE_EVERY_MS);
  expiring.unref();
  const hosts = new Set([
    '127.0.0.1',
    'localhost',
    '[::1]',
    ...settings.allowedHosts.map((h) => h.toLowerCase()),
  ]);
  const digests = [...settings.tokens].map(([name, token]) => ({ name, digest: sha256(token) }));

  const principalOf = (req: Request): string | undefined => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) return undefined;
    const presented = sha256(match[1].trim());
    let found: string | undefined;
    for (const { name, digest } of digests) if (timingSafeEqual(presented, digest)) found = name;
    return found;
  };

  const guard = (req: Request, res: Response): string | undefined => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const origin = req.headers.origin;
    if (!hosts.has(host) || (origin !== undefined && !settings.allowedOrigins.includes(origin))) {
      res.status(403).json(rpcError(-32000, 'Forbidden: Host or Origin not allowed'));
      return undefined;
    }
    const principal = principalOf(req);
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json(rpcError(-32001, 'Unauthorized: send Authorization: Bearer <token>'));
      return undefined;
    }
    return principal;
  };

  const handle = async (req: Request, res: Response) => {
    const principal = guard(req, res);
    if (!principal) return;
    await sessions.expireIdle();
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing) {
      if (existing.principal !== principal) {
        res.status(403).json(rpcError(-32000, 'Forbidden: this session belongs to another token'));
        return;
      }
      await existing.transport.handleRequest(req, res, req.body);
      return;
    }
    if (req.method !== 'POST' || sessionId !== undefined || !isInitializeRequest(req.body)) {
      res
        .status(sessionId === undefined ? 400 : 404)
        .json(rpcError(-32000, 'No valid session: initialize first'));
      return;
    }
    const admission = sessions.admit(principal);
    if (!admission.ok) {
      res.setHeader('Retry-After', '60');
      res.status(503).json(rpcError(-32000, 'Too many open MCP sessions on this server: try again later'));
      return;
    }
    if (admission.evict) await sessions.close(admission.evict);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: options.newSessionId,
      onsessioninitialized: (id) => sessions.add(id, transport, principal),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.forget(transport.sessionId);
    };
    await options.makeServer(principal).connect(transport);
    guardToolArguments(transport);
    await transport.handleRequest(req, res, req.body);
  };

  const route = (req: Request, res: Response) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ edge: 'mcp-http', err: errorSummary(error) }, 'MCP request failed');
      if (!res.headersSent) res.status(500).json(rpcError(-32603, 'Internal error'));
    });
  };
  app.post('/mcp', express.json({ limit: '256kb' }), route);
  app.get('/mcp', route);
  app.delete('/mcp', route);
  return {
    async close() {
      clearInterval(expiring);
      await sessions.closeAll();
    },
    sessions: () => sessions.size(),
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
