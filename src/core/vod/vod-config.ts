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
/** A region id as Alibaba spells them (`cn-shanghai`, `ap-southeast-1`): what every front end accepts as one. */
export const REGION_ID_PATTERN = /^[a-z]{2,}(-[a-z0-9]+){1,4}$/;
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
  checkRegionId('VOD_REGION', region);
  return regionConfig(env, region, (env.VOD_ENDPOINT ?? '').trim(), 'VOD_ENDPOINT');
}

/**
 * The regions a deployment serves, each with its own endpoint (and so its own account-wide budgets), the first
 * being the home region. `VOD_REGIONS` lists them, comma- or space-separated, each optionally with its endpoint
 * (`cn-shanghai,ap-southeast-1=vod-vpc.ap-southeast-1.aliyuncs.com`); unset, the one region is `VOD_REGION` with
 * `VOD_ENDPOINT`. `only` (the CLI's `--region`) narrows it to that one region, which must be listed when
 * `VOD_REGIONS` is set. Timeouts, attempts and `VOD_MAX_QPS` apply to each region alike.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-endpoint
 */
export function loadVodRegions(env: Env, only?: string): VodConfig[] {
  const listed = (env.VOD_REGIONS ?? '').trim();
  if (listed === '') {
    if (only === undefined) return [loadVodConfig(env)];
    checkRegionId('--region', only);
    if ((env.VOD_ENDPOINT ?? '').trim() !== '' && only !== legacyRegion(env)) {
      // VOD_ENDPOINT is VOD_REGION's endpoint: calls would reach that region while everything said another.
      throw configError(
        `VOD_ENDPOINT is the endpoint of ${legacyRegion(env)} (VOD_REGION), not of ${only}: for --region ${only}, ` +
          `unset VOD_ENDPOINT, or name its endpoint in VOD_REGIONS (${only}=<endpoint>).`,
      );
    }
    return [loadVodConfig({ ...env, VOD_REGION: only })];
  }
  if ((env.VOD_ENDPOINT ?? '').trim() !== '') {
    throw configError(
      'VOD_ENDPOINT names one endpoint and VOD_REGIONS several regions: give each region its endpoint in ' +
        'VOD_REGIONS (region=endpoint) and unset VOD_ENDPOINT.',
    );
  }
  const configs: VodConfig[] = [];
  for (const entry of listed.split(/[\s,]+/).filter((s) => s !== '')) {
    const [region = '', endpoint = ''] = splitOnce(entry, '=');
    checkRegionId('VOD_REGIONS', region);
    if (configs.some((c) => c.region === region)) {
      throw configError(`VOD_REGIONS lists ${region} twice: list each region once.`);
    }
    configs.push(regionConfig(env, region, endpoint, `VOD_REGIONS (${region})`));
  }
  if (only === undefined) return configs;
  const chosen = configs.find((c) => c.region === only);
  if (!chosen) {
    throw new AppError(
      'INVALID_INPUT',
      `--region ${only} is not one of the regions this deployment serves (VOD_REGIONS: ${configs
        .map((c) => c.region)
        .join(', ')}).`,
    );
  }
  return [chosen];
}

/**
 * The region a deployment served before vod-ops recorded regions (`VOD_REGION`, default cn-shanghai): what a
 * request or campaign recorded without one belongs to, whatever `VOD_REGIONS` or `--region` say now.
 */
export function legacyRegion(env: Env): string {
  const region = (env.VOD_REGION ?? '').trim() || DEFAULT_REGION;
  checkRegionId('VOD_REGION', region);
  return region;
}

function regionConfig(env: Env, region: string, rawEndpoint: string, endpointName: string): VodConfig {
  const { endpoint, protocol } = parseEndpoint(rawEndpoint, region, endpointName);
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

function checkRegionId(name: string, region: string): void {
  if (!REGION_ID_PATTERN.test(region)) {
    const shown = region.length > 40 ? `${region.slice(0, 40)}…` : region;
    throw configError(`${name}="${shown}" is not a region id; use one like cn-shanghai or ap-southeast-1.`);
  }
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function parseEndpoint(raw: string, region: string, name: string): Pick<VodConfig, 'endpoint' | 'protocol'> {
  if (raw === '') return { endpoint: `vod.${region}.aliyuncs.com`, protocol: 'https' };
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw configError(
      `${name}="${raw}" is not a host; use vod.<region>.aliyuncs.com or http://127.0.0.1:PORT.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`${name} must use https:// or http://, not ${url.protocol}`);
  }
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search) {
    throw configError(`${name} takes a scheme, host and port only (no path, query or user info).`);
  }
  return { endpoint: url.host, protocol: url.protocol === 'http:' ? 'http' : 'https' };
}

function configError(message: string): AppError {
  return new AppError('CONFIG', message);
}
