import { AppError } from '../errors.js';
import type { VideoId } from './input-rules.js';
import type { VodReader } from './vod-api.js';

/**
 * The VOD regions a deployment serves, each through its own adapter: its own endpoint and its own account-wide
 * rate budgets. A VideoId lives in exactly one region and no VOD call crosses regions, so every action on a video
 * first knows its region: given, or found by {@link VodRegions.locate}.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/api-vod-2017-03-21-endpoint
 */
export interface VodRegions<T extends VodReader = VodReader> {
  /** Every region served, in the configured order; never empty. */
  readonly names: readonly string[];
  /**
   * The first configured region: where a new campaign walks when none is named.
   */
  readonly home: string;
  /**
   * The region of a record (a request, a campaign): the one it recorded, or, for one made before vod-ops recorded
   * regions, the region the deployment served then (`VOD_REGION`, whatever `VOD_REGIONS` or `--region` say now).
   */
  of(record: { region?: string | undefined }): string;
  /** The adapter of `region`; a region this deployment does not serve is refused, naming the ones it does. */
  in(region: string): T;
  /**
   * The region that holds `videoId`. With one region, that region, without a call. With several, GetVideoInfo in
   * each: the one region that knows the video. A video found in none, found in several, or not checkable in some
   * region (an outage) is refused with a sentence saying what to do, since acting in a guessed region could act on
   * the wrong video or miss the right one.
   */
  locate(videoId: VideoId): Promise<string>;
  /** `region` when given (and served), else {@link locate}. */
  resolve(videoId: VideoId, region?: string): Promise<string>;
}

/** The regions of `adapters`, in order; the first is the home region. */
export function createVodRegions<T extends VodReader>(
  adapters: ReadonlyArray<readonly [region: string, adapter: T]>,
  options: { legacyRegion?: string } = {},
): VodRegions<T> {
  const byName = new Map(adapters);
  const names = adapters.map(([name]) => name);
  const home = names[0];
  if (home === undefined || byName.size !== names.length) {
    throw new Error('createVodRegions needs one adapter per region, at least one');
  }
  const served = names.join(', ');

  const adapterIn = (region: string): T => {
    const adapter = byName.get(region);
    if (!adapter) {
      throw new AppError(
        'INVALID_INPUT',
        `vod-ops does not serve region "${clip(region)}": use one of ${served} (VOD_REGIONS).`,
      );
    }
    return adapter;
  };

  const locate = async (videoId: VideoId): Promise<string> => {
    if (names.length === 1) return home;
    const answers = await Promise.allSettled(names.map((name) => adapterIn(name).getVideoInfo(videoId)));
    const found: string[] = [];
    const unchecked: Array<{ region: string; error: unknown }> = [];
    answers.forEach((answer, index) => {
      const region = names[index] as string;
      if (answer.status === 'fulfilled') found.push(region);
      else if (!(answer.reason instanceof AppError && answer.reason.code === 'NOT_FOUND')) {
        unchecked.push({ region, error: answer.reason });
      }
    });
    if (found.length > 1) {
      throw new AppError(
        'INVALID_INPUT',
        `Video ${videoId} exists in ${found.join(' and ')}: say which region to act in (--region, or the ` +
          'region argument).',
      );
    }
    const [first] = unchecked;
    if (first) {
      throw new AppError(
        'UPSTREAM_UNAVAILABLE',
        `vod-ops could not check whether region ${unchecked.map((u) => u.region).join(', ')} holds video ` +
          `${videoId}, so it cannot tell which region to act in: try again, or name the region (--region, or the ` +
          'region argument).',
        { cause: first.error, detail: { regions: unchecked.map((u) => u.region) } },
      );
    }
    const [region] = found;
    if (region === undefined) {
      throw new AppError(
        'NOT_FOUND',
        `Video ${videoId} was not found in any region vod-ops serves (${served}): check the VideoId, or add its ` +
          'region to VOD_REGIONS.',
      );
    }
    return region;
  };

  const legacy = options.legacyRegion ?? home;
  return {
    names,
    home,
    of: (record) => record.region ?? legacy,
    in: adapterIn,
    locate,
    async resolve(videoId, region) {
      if (region === undefined) return locate(videoId);
      adapterIn(region);
      return region;
    },
  };
}

/** One region: what a deployment without VOD_REGIONS serves, and what tests build around one adapter. */
export function singleRegion<T extends VodReader>(region: string, adapter: T): VodRegions<T> {
  return createVodRegions([[region, adapter]]);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
