import ms from 'ms';
import { type Env, readDuration, readList, readWholeNumber } from '../core/env.js';
import { AppError } from '../core/errors.js';

export interface McpHttpSettings {
  /** Token name (the principal) to token. */
  tokens: ReadonlyMap<string, string>;
  /** Host names accepted in the Host header besides 127.0.0.1 and localhost (DNS-rebinding protection). */
  allowedHosts: readonly string[];
  /** Origins accepted when a request carries one (browsers); none by default. */
  allowedOrigins: readonly string[];
  /** `VOD_OPS_MCP_MAX_SESSIONS`: open sessions in all, across principals (default 100). */
  maxSessions: number;
  /** `VOD_OPS_MCP_SESSIONS_PER_PRINCIPAL`: open sessions one token may hold (default 10). */
  sessionsPerPrincipal: number;
  /** `VOD_OPS_MCP_SESSION_IDLE`: a session unused this long is closed and its memory freed (default 30m). */
  sessionIdleMs: number;
}

const MIN_TOKEN_LENGTH = 24;

/**
 * `VOD_OPS_MCP_TOKENS` (`name=token` pairs, comma-separated; the name is the principal), the allowed hosts and
 * origins, and the session limits. Without tokens, /mcp is not served: there is no anonymous access. A token given
 * to two names is refused: a session could not say which principal it acts for.
 */
export function loadMcpHttpSettings(env: Env): McpHttpSettings | undefined {
  const raw = env.VOD_OPS_MCP_TOKENS?.trim();
  if (!raw) return undefined;
  const tokens = new Map<string, string>();
  const owners = new Map<string, string>();
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
    const owner = owners.get(token);
    if (owner !== undefined && owner !== name) {
      throw new AppError(
        'CONFIG',
        `VOD_OPS_MCP_TOKENS gives one token to both ${owner} and ${name}: give each principal a token of its own.`,
      );
    }
    if (tokens.has(name)) {
      throw new AppError('CONFIG', `VOD_OPS_MCP_TOKENS names ${name} twice: give each principal one token.`);
    }
    owners.set(token, name);
    tokens.set(name, token);
  }
  return {
    tokens,
    allowedHosts: readList(env, 'VOD_OPS_MCP_ALLOWED_HOSTS', /,/),
    allowedOrigins: readList(env, 'VOD_OPS_MCP_ALLOWED_ORIGINS', /,/),
    maxSessions: readWholeNumber(env, 'VOD_OPS_MCP_MAX_SESSIONS', 100, 1, 100_000),
    sessionsPerPrincipal: readWholeNumber(env, 'VOD_OPS_MCP_SESSIONS_PER_PRINCIPAL', 10, 1, 10_000),
    sessionIdleMs: readDuration(env, 'VOD_OPS_MCP_SESSION_IDLE', '30m', {
      min: ms('1m'),
      max: ms('1d'),
      described: 'from 1m to 1d',
    }),
  };
}
