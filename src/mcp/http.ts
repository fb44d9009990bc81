import { createHash, timingSafeEqual } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import express, { type Application, type Request, type Response } from 'express';
import type { Env } from '../core/env.js';
import { AppError, errorSummary } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

export interface McpHttpSettings {
  /** Token name (the principal) to token. */
  tokens: ReadonlyMap<string, string>;
  /** Host names accepted in the Host header besides 127.0.0.1 and localhost (DNS-rebinding protection). */
  allowedHosts: readonly string[];
  /** Origins accepted when a request carries one (browsers); none by default. */
  allowedOrigins: readonly string[];
}

const MIN_TOKEN_LENGTH = 24;

/**
 * `VOD_OPS_MCP_TOKENS` (`name=token` pairs, comma-separated; the name is the principal),
 * `VOD_OPS_MCP_ALLOWED_HOSTS` and `VOD_OPS_MCP_ALLOWED_ORIGINS`. Without tokens, /mcp is not served: there is no
 * anonymous access.
 */
export function loadMcpHttpSettings(env: Env): McpHttpSettings | undefined {
  const raw = env.VOD_OPS_MCP_TOKENS?.trim();
  if (!raw) return undefined;
  const tokens = new Map<string, string>();
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const token = pair.slice(at + 1).trim();
    if (at <= 0 || !/^[A-Za-z0-9._-]{1,64}$/.test(name) || token.length < MIN_TOKEN_LENGTH) {
      throw new AppError(
        'CONFIG',
        `VOD_OPS_MCP_TOKENS takes name=token pairs separated by commas, names of letters, digits, ".", "_" or "-", ` +
          `and tokens of at least ${MIN_TOKEN_LENGTH} characters (e.g. from \`openssl rand -hex 24\`).`,
      );
    }
    tokens.set(name, token);
  }
  const list = (name: string) =>
    (env[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  return {
    tokens,
    allowedHosts: list('VOD_OPS_MCP_ALLOWED_HOSTS'),
    allowedOrigins: list('VOD_OPS_MCP_ALLOWED_ORIGINS'),
  };
}

/**
 * Streamable HTTP at `/mcp` on the server's Express app: stateful sessions, one MCP server per session, each
 * bound to the principal whose bearer token opened it. Tokens are compared in constant time; the Host header
 * must name this machine (or an allowed host) and an Origin, when present, must be allowed (403 otherwise),
 * against DNS rebinding.
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
  },
): { close(): Promise<void> } {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; principal: string }>();
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
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: options.newSessionId,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, principal });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await options.makeServer(principal).connect(transport);
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
      await Promise.all([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
    },
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}
