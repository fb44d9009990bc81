import { describe, expect, it } from 'vitest';
import { loadVodConfig } from '../../../src/core/vod/vod-config.js';

describe('loadVodConfig', () => {
  it('defaults to cn-shanghai over HTTPS with a 10 s timeout and 48 DeleteStream calls per second', () => {
    expect(loadVodConfig({})).toEqual({
      region: 'cn-shanghai',
      endpoint: 'vod.cn-shanghai.aliyuncs.com',
      protocol: 'https',
      timeoutMs: 10_000,
      maxQps: 48,
      maxAttempts: 4,
    });
  });

  it('derives the endpoint from VOD_REGION', () => {
    expect(loadVodConfig({ VOD_REGION: 'ap-southeast-1' }).endpoint).toBe('vod.ap-southeast-1.aliyuncs.com');
  });

  it('lets VOD_ENDPOINT override the region, including plain HTTP to a local server', () => {
    expect(loadVodConfig({ VOD_ENDPOINT: 'http://127.0.0.1:9870' })).toMatchObject({
      endpoint: '127.0.0.1:9870',
      protocol: 'http',
    });
    expect(loadVodConfig({ VOD_ENDPOINT: 'vod-vpc.cn-beijing.aliyuncs.com' })).toMatchObject({
      endpoint: 'vod-vpc.cn-beijing.aliyuncs.com',
      protocol: 'https',
    });
  });

  it.each([
    [{ VOD_REGION: 'Shanghai' }, /VOD_REGION "Shanghai" is not a region id/],
    [{ VOD_ENDPOINT: 'ftp://x' }, /https:\/\/ or http:\/\//],
    [{ VOD_ENDPOINT: 'http://h/path' }, /no path/],
    [{ VOD_TIMEOUT_MS: '10s' }, /VOD_TIMEOUT_MS="10s" is not valid/],
    [{ VOD_TIMEOUT_MS: '5' }, /from 100/],
    [{ VOD_MAX_QPS: '0' }, /VOD_MAX_QPS="0"/],
    [{ VOD_MAX_ATTEMPTS: '2.5' }, /VOD_MAX_ATTEMPTS="2.5" is not valid: use a whole number from 1 to 10/],
  ])('refuses %j naming the variable and what it accepts', (env, message) => {
    expect(() => loadVodConfig(env)).toThrow(message);
  });
});
