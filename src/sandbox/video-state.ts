import type { EmulatorVideo, VideoHead } from './catalogue.js';
import type { LibraryCatalogue } from './library-catalogue.js';

/** What an emulator starts with: videos (copied), or a generated library (served in place, never changed). */
export type EmulatorCatalogue = ReadonlyArray<EmulatorVideo> | LibraryCatalogue;

/** A video's place in creation order: its CreationTime in ms, ties broken by VideoId. */
export interface CreationKey {
  readonly ms: number;
  readonly videoId: string;
}

/**
 * The emulator's videos, keyed by VideoId. A library stays as it was generated (streams made when a video is read);
 * videos added, and library videos an action changed, are kept whole beside it and win. Actions replace videos,
 * never mutate them, so a video handed out stays as it was.
 */
export interface VodState {
  get(videoId: string): EmulatorVideo | undefined;
  /** The video without its streams: cheap even for a library video. */
  head(videoId: string): VideoHead | undefined;
  /** Adds a video, or replaces the one with this VideoId. */
  set(videoId: string, video: EmulatorVideo): void;
  /** Every video's key, ascending; kept between calls until a video is added or its CreationTime changes. */
  byCreationTime(): ReadonlyArray<CreationKey>;
}

export function isLibraryCatalogue(catalogue: EmulatorCatalogue): catalogue is LibraryCatalogue {
  return 'videoAt' in catalogue;
}

export function compareCreation(a: CreationKey, b: CreationKey): number {
  return a.ms - b.ms || (a.videoId < b.videoId ? -1 : a.videoId > b.videoId ? 1 : 0);
}

export function createVodState(catalogue: EmulatorCatalogue): VodState {
  const whole = new Map<string, EmulatorVideo>();
  let library: LibraryCatalogue | undefined;
  if (isLibraryCatalogue(catalogue)) library = catalogue;
  else for (const video of catalogue) whole.set(video.videoId, structuredClone(video));
  let order: CreationKey[] | undefined;

  const libraryHead = (videoId: string): VideoHead | undefined => {
    const index = library?.indexOf(videoId);
    return index === undefined ? undefined : library?.heads[index];
  };
  const head = (videoId: string): VideoHead | undefined => whole.get(videoId) ?? libraryHead(videoId);

  return {
    get(videoId) {
      const video = whole.get(videoId);
      if (video !== undefined) return video;
      const index = library?.indexOf(videoId);
      return index === undefined ? undefined : library?.videoAt(index);
    },
    head,
    set(videoId, video) {
      const before = head(videoId);
      whole.set(videoId, video);
      if (before === undefined || before.creationTime !== video.creationTime) order = undefined;
    },
    byCreationTime() {
      if (order === undefined) {
        const keys: CreationKey[] = [];
        for (const h of library?.heads ?? []) {
          if (!whole.has(h.videoId)) keys.push({ ms: Date.parse(h.creationTime), videoId: h.videoId });
        }
        for (const v of whole.values()) keys.push({ ms: Date.parse(v.creationTime), videoId: v.videoId });
        order = keys.sort(compareCreation);
      }
      return order;
    },
  };
}
