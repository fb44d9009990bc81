import { describe, expect, it } from 'vitest';
import { loadVodConfig, loadVodRegions } from '../../../src/core/vod/vod-config.js';

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
    [{ VOD_REGION: 'Shanghai' }, /VOD_REGION="Shanghai" is not a region id/],
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

describe('loadVodRegions', () => {
  it('serves the one region of VOD_REGION and VOD_ENDPOINT when VOD_REGIONS is unset', () => {
    expect(loadVodRegions({ VOD_REGION: 'eu-central-1' })).toMatchObject([
      { region: 'eu-central-1', endpoint: 'vod.eu-central-1.aliyuncs.com' },
    ]);
    expect(loadVodRegions({ VOD_REGION: 'ap-southeast-1' }, 'ap-southeast-1')).toMatchObject([
      { region: 'ap-southeast-1', endpoint: 'vod.ap-southeast-1.aliyuncs.com' },
    ]);
    expect(loadVodRegions({ VOD_ENDPOINT: 'http://127.0.0.1:9870' }, 'cn-shanghai')).toMatchObject([
      { region: 'cn-shanghai', endpoint: '127.0.0.1:9870', protocol: 'http' },
    ]);
  });

  it('refuses a --region whose calls VOD_ENDPOINT would send to VOD_REGION instead', () => {
    expect(() =>
      loadVodRegions({ VOD_ENDPOINT: 'vod-vpc.cn-shanghai.aliyuncs.com' }, 'ap-southeast-1'),
    ).toThrow(
      'VOD_ENDPOINT is the endpoint of cn-shanghai (VOD_REGION), not of ap-southeast-1: for --region ap-southeast-1, ' +
        'unset VOD_ENDPOINT, or name its endpoint in VOD_REGIONS (ap-southeast-1=<endpoint>).',
    );
  });

  it('lists every region of VOD_REGIONS in order, each with its own endpoint', () => {
    const regions = loadVodRegions({
      VOD_REGIONS:
        'cn-shanghai, ap-southeast-1=http://127.0.0.1:9871 eu-central-1=vod-vpc.eu-central-1.aliyuncs.com',
      VOD_MAX_QPS: '20',
    });
    expect(regions.map((r) => [r.region, r.endpoint, r.protocol, r.maxQps])).toEqual([
      ['cn-shanghai', 'vod.cn-shanghai.aliyuncs.com', 'https', 20],
      ['ap-southeast-1', '127.0.0.1:9871', 'http', 20],
      ['eu-central-1', 'vod-vpc.eu-central-1.aliyuncs.com', 'https', 20],
    ]);
  });

  it('narrows to the region a command names, which must be one the deployment serves', () => {
    const env = { VOD_REGIONS: 'cn-shanghai,ap-southeast-1=http://127.0.0.1:9871' };
    expect(loadVodRegions(env, 'ap-southeast-1')).toMatchObject([
      { region: 'ap-southeast-1', endpoint: '127.0.0.1:9871' },
    ]);
    expect(() => loadVodRegions(env, 'eu-central-1')).toThrow(
      '--region eu-central-1 is not one of the regions this deployment serves (VOD_REGIONS: cn-shanghai, ap-southeast-1).',
    );
  });

  it.each([
    [{ VOD_REGIONS: 'cn-shanghai,Singapore' }, /VOD_REGIONS="Singapore" is not a region id/],
    [{ VOD_REGIONS: 'cn-shanghai,cn-shanghai' }, /lists cn-shanghai twice/],
    [{ VOD_REGIONS: 'cn-shanghai,ap-southeast-1=ftp://x' }, /VOD_REGIONS \(ap-southeast-1\) must use https/],
    [{ VOD_REGIONS: 'cn-shanghai,ap-southeast-1', VOD_ENDPOINT: 'http://127.0.0.1:1' }, /unset VOD_ENDPOINT/],
  ])('refuses %j with a sentence naming what to fix', (env, message) => {
    expect(() => loadVodRegions(env)).toThrow(message);
  });

  it('refuses a --region that is not a region id', () => {
    expect(() => loadVodRegions({}, 'shanghai')).toThrow('--region="shanghai" is not a region id');
  });
});
