import { afterEach, describe, expect, it } from 'vitest';
import { createLibraryCatalogue, type EmulatorVideo, type VodEmulator } from '../../src/sandbox/index.js';
import { listedJobIds, startEmulatorWithEngine } from './fixture.js';

const HEX32 = /^[0-9a-f]{32}$/;
const LIBRARY = createLibraryCatalogue({ videos: 4_000 });
const VIDEOS: EmulatorVideo[] = LIBRARY.heads.map((_, index) => LIBRARY.videoAt(index));
const share = (predicate: (video: EmulatorVideo) => boolean) =>
  VIDEOS.filter(predicate).length / VIDEOS.length;
const LADDER = ['FD', 'LD', 'SD', 'HD', 'OD', '2K', '4K'];

const running: VodEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

describe('createLibraryCatalogue', () => {
  it('uses 32-character lowercase hex IDs for videos and streams, all distinct', () => {
    const ids = VIDEOS.flatMap((v) => [v.videoId, ...v.streams.map((s) => s.jobId)]);
    for (const id of ids) expect(id).toMatch(HEX32);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is the same for the same options, different for another seed, and the same video on every read', () => {
    const again = createLibraryCatalogue({ videos: 4_000 });
    expect(again.heads).toEqual(LIBRARY.heads);
    expect(again.videoAt(7)).toEqual(VIDEOS[7]);
    expect(LIBRARY.videoAt(7)).not.toBe(LIBRARY.videoAt(7));
    expect(createLibraryCatalogue({ videos: 1, seed: 'other' }).heads[0]?.videoId).not.toBe(
      VIDEOS[0]?.videoId,
    );
    expect(LIBRARY.indexOf(VIDEOS[123]?.videoId ?? '')).toBe(123);
  });

  it('spreads uploads over four years, some more than a year before December 2026, a few in the same second', () => {
    const times = VIDEOS.map((v) => Date.parse(v.creationTime));
    expect(Math.min(...times)).toBeLessThan(Date.UTC(2023, 0, 1));
    expect(Math.max(...times)).toBeGreaterThan(Date.UTC(2026, 9, 1));
    expect(share((v) => Date.parse(v.creationTime) < Date.UTC(2025, 11, 1))).toBeGreaterThan(0.5);
    expect(new Set(times).size).toBeLessThan(times.length);
  });

  it('files videos under a handful of categories, tags most, and titles them', () => {
    const categories = new Set(VIDEOS.map((v) => v.cateId));
    expect(categories.size).toBeGreaterThanOrEqual(5);
    expect(categories.size).toBeLessThanOrEqual(7);
    expect(share((v) => (v.tags?.length ?? 0) > 0)).toBeGreaterThan(0.5);
    expect(new Set(VIDEOS.map((v) => v.title)).size).toBeGreaterThan(100);
  });

  it('holds about 5% audio-only media, 2% videos not Normal and 1% never transcoded', () => {
    const audio = VIDEOS.filter((v) => v.mediaType === 'audio');
    expect(audio.length / VIDEOS.length).toBeGreaterThan(0.03);
    expect(audio.length / VIDEOS.length).toBeLessThan(0.07);
    for (const video of audio) {
      for (const s of video.streams) {
        expect(s).toMatchObject({ streamType: 'audio', width: 0, height: 0 });
        expect(['SQ', 'HQ']).toContain(s.definition);
        expect(['mp3', 'm4a']).toContain(s.format);
      }
    }
    const notNormal = share((v) => v.status !== 'Normal');
    expect(notNormal).toBeGreaterThan(0.01);
    expect(notNormal).toBeLessThan(0.035);
    expect(new Set(VIDEOS.map((v) => v.status))).toEqual(new Set(['Normal', 'Blocked', 'Transcoding']));
    const empty = share((v) => v.streams.length === 0);
    expect(empty).toBeGreaterThan(0.003);
    expect(empty).toBeLessThan(0.02);
  });

  it('gives videos part of the FD-4K ladder in mp4 and/or m3u8, bigger for higher definitions', () => {
    const video = VIDEOS.filter((v) => v.mediaType === 'video');
    const formats = new Set(video.flatMap((v) => v.streams.map((s) => s.format)));
    const definitions = new Set(video.flatMap((v) => v.streams.map((s) => s.definition)));
    expect(formats).toEqual(new Set(['mp4', 'm3u8']));
    expect(definitions).toEqual(new Set(LADDER));
    for (const v of video) {
      for (const format of ['mp4', 'm3u8']) {
        const sizes = v.streams
          .filter((s) => s.format === format && s.status === 'Normal')
          .sort((a, b) => LADDER.indexOf(a.definition) - LADDER.indexOf(b.definition))
          .map((s) => s.size);
        expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
      }
    }
  });

  it('sizes streams by bitrate and duration', () => {
    for (const v of VIDEOS.slice(0, 500)) {
      for (const s of v.streams) {
        const expected = Number(s.bitrate) * 125 * v.duration;
        expect(s.size / expected).toBeGreaterThan(0.99);
        expect(s.size / expected).toBeLessThan(1.04);
      }
    }
  });

  it('keeps Invisible older transcodes beside the newer Normal stream of the same definition and format', () => {
    const retranscoded = VIDEOS.filter((v) => v.streams.some((s) => s.status === 'Invisible'));
    expect(retranscoded.length / VIDEOS.length).toBeGreaterThan(0.08);
    for (const video of retranscoded) {
      for (const stale of video.streams.filter((s) => s.status === 'Invisible')) {
        const current = video.streams.find(
          (s) => s.status === 'Normal' && s.definition === stale.definition && s.format === stale.format,
        );
        expect(Date.parse(current?.creationTime ?? '')).toBeGreaterThan(Date.parse(stale.creationTime));
      }
    }
  });

  it('is served in place by an emulator, which keeps the videos its actions change', async () => {
    const { emulator, vod } = await startEmulatorWithEngine({ catalogue: LIBRARY });
    running.push(emulator);
    const video = VIDEOS.find((v) => v.status === 'Normal' && v.streams.length > 1) as EmulatorVideo;
    const [doomed, ...kept] = video.streams.map((s) => s.jobId);

    expect(await listedJobIds(vod, video.videoId)).toEqual([doomed, ...kept]);
    await vod.call('DeleteStream', { VideoId: video.videoId, JobIds: doomed ?? '' });
    expect(await listedJobIds(vod, video.videoId)).toEqual(kept);
    expect(emulator.video(video.videoId)?.streams.map((s) => s.jobId)).toEqual(kept);
    expect(LIBRARY.videoAt(LIBRARY.indexOf(video.videoId) ?? -1).streams).toHaveLength(kept.length + 1);
  });
});
