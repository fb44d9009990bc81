import { type Env, readNumber } from '../env.js';
import { AppError } from '../errors.js';

/** Where and how to reach ApsaraVideo VOD. Built from the environment by {@link loadVodConfig}. */
export interface VodConfig {
  region: string;
  /** `host[:port]`, without scheme. */
  endpoint: string;
  protocol: 'https' | 'http';
  /** Applied to both the connect and the read timeout of every attempt. */
  timeoutMs: number;
  /** DeleteStream calls per second this process sends at most. */
  maxQps: number;
  /** Attempts per call in all, retries included (1 disables retries). */
  maxAttempts: number;
}

const DEFAULT_REGION = 'cn-shanghai';
const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Two under the account's documented 50 DeleteStream calls/s: calls leave evenly spaced, and the margin
 * absorbs network jitter that would otherwise land 51 calls in one of Alibaba's one-second windows.
 */
const DEFAULT_MAX_QPS = 48;
const DEFAULT_MAX_ATTEMPTS = 4;

/**
 * Reads `VOD_REGION` (default cn-shanghai), `VOD_ENDPOINT` (overrides the region's endpoint; accepts
 * `http://127.0.0.1:PORT` for a local server), `VOD_TIMEOUT_MS` (default 10000), `VOD_MAX_QPS` (default 48) and `VOD_MAX_ATTEMPTS` (default 4).
 * A bad value is a CONFIG error that names the variable and what it accepts.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-endpoint
 */
export function loadVodConfig(env: Env): VodConfig {
  const region = (env.VOD_REGION ?? '').trim() || DEFAULT_REGION;
  if (!/^[a-z]{2,}(-[a-z0-9]+)+$/.test(region)) {
    throw configError(
      `VOD_REGION "${region}" is not a region id; use one like cn-shanghai or ap-southeast-1.`,
    );
  }
  const { endpoint, protocol } = parseEndpoint((env.VOD_ENDPOINT ?? '').trim(), region);
  return {
    region,
    endpoint,
    protocol,
    timeoutMs: readNumber(env, 'VOD_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, {
      min: 100,
      max: 600_000,
      integer: true,
    }),
    maxQps: readNumber(env, 'VOD_MAX_QPS', DEFAULT_MAX_QPS, { min: 0.1, max: 10_000, integer: false }),
    maxAttempts: readNumber(env, 'VOD_MAX_ATTEMPTS', DEFAULT_MAX_ATTEMPTS, {
      min: 1,
      max: 10,
      integer: true,
    }),
  };
}

function parseEndpoint(raw: string, region: string): Pick<VodConfig, 'endpoint' | 'protocol'> {
  if (raw === '') return { endpoint: `vod.${region}.aliyuncs.com`, protocol: 'https' };
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw configError(
      `VOD_ENDPOINT "${raw}" is not a host; use vod.<region>.aliyuncs.com or http://127.0.0.1:PORT.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`VOD_ENDPOINT must use https:// or http://, not ${url.protocol}`);
  }
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search) {
    throw configError('VOD_ENDPOINT takes a scheme, host and port only (no path, query or user info).');
  }
  return { endpoint: url.host, protocol: url.protocol === 'http:' ? 'http' : 'https' };
}

function configError(message: string): AppError {
  return new AppError('CONFIG', message);
}
