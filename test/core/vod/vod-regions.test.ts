import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { createVodRegions, singleRegion } from '../../../src/core/vod/vod-regions.js';
import { createDemoCatalogue } from '../../../src/sandbox/index.js';
import { DEMO } from '../../helpers/demo.js';
import { FAST_RETRY, startVodFixture, type VodFixture } from '../../helpers/vod-fixture.js';

// Two regions, each a real adapter on its own emulator: Shanghai holds the keynote, Singapore the teaser, both
// hold the podcast.
let fixtures: VodFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.map((f) => f.close()));
  fixtures = [];
});

async function twoRegions() {
  const demo = createDemoCatalogue();
  const only = (...ids: string[]) => demo.filter((v) => ids.includes(v.videoId));
  const retry = { ...FAST_RETRY, maxAttempts: 1 };
  const shanghai = await startVodFixture({
    emulator: { catalogue: only(DEMO.keynote, DEMO.podcast) },
    retry,
  });
  const singapore = await startVodFixture({
    emulator: { catalogue: only(DEMO.teaser, DEMO.podcast) },
    retry,
  });
  fixtures = [shanghai, singapore];
  const regions = createVodRegions([
    ['cn-shanghai', shanghai.vod],
    ['ap-southeast-1', singapore.vod],
  ]);
  return { shanghai, singapore, regions };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('VodRegions', () => {
  it('locates a video in the one region that holds it', async () => {
    const { regions, shanghai, singapore } = await twoRegions();
    await expect(regions.locate(DEMO.keynote)).resolves.toBe('cn-shanghai');
    await expect(regions.locate(DEMO.teaser)).resolves.toBe('ap-southeast-1');
    // One GetVideoInfo per region per lookup, nothing else.
    expect(shanghai.emulator.calls.map((c) => c.action)).toEqual(['GetVideoInfo', 'GetVideoInfo']);
    expect(singapore.emulator.calls.map((c) => c.action)).toEqual(['GetVideoInfo', 'GetVideoInfo']);
  });

  it('refuses a video no region holds, naming the regions served', async () => {
    const { regions } = await twoRegions();
    const error = await refusal(regions.locate(DEMO.missing));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(
      `Video ${DEMO.missing} was not found in any region vod-ops serves (cn-shanghai, ap-southeast-1): check the ` +
        'VideoId, or add its region to VOD_REGIONS.',
    );
  });

  it('refuses a video two regions hold unless the region is named', async () => {
    const { regions } = await twoRegions();
    const error = await refusal(regions.locate(DEMO.podcast));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/exists in cn-shanghai and ap-southeast-1: say which region/);
    await expect(regions.resolve(DEMO.podcast, 'ap-southeast-1')).resolves.toBe('ap-southeast-1');
  });

  it('refuses to guess when a region cannot be checked', async () => {
    const { regions, singapore } = await twoRegions();
    await singapore.close();
    const error = await refusal(regions.locate(DEMO.keynote));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/could not check whether region ap-southeast-1 holds video/);
  });

  it('refuses a region it does not serve, naming those it does', async () => {
    const { regions } = await twoRegions();
    expect(() => regions.in('eu-central-1')).toThrow(
      'vod-ops does not serve region "eu-central-1": use one of cn-shanghai, ap-southeast-1 (VOD_REGIONS).',
    );
    const error = await refusal(regions.resolve(DEMO.keynote, 'eu-central-1'));
    expect(error.code).toBe('INVALID_INPUT');
  });

  it('with one region, answers that region without a call', async () => {
    const shanghai = await startVodFixture();
    fixtures = [shanghai];
    const regions = singleRegion('cn-shanghai', shanghai.vod);
    await expect(regions.locate(DEMO.missing)).resolves.toBe('cn-shanghai');
    expect(regions.home).toBe('cn-shanghai');
    expect(shanghai.emulator.calls).toHaveLength(0);
  });
});
