import { describe, expect, it } from 'vitest';
import { createBulkCatalogue, createDemoCatalogue, DEMO_VIDEO_IDS } from '../../src/sandbox/index.js';

const HEX32 = /^[0-9a-f]{32}$/;

describe('createDemoCatalogue', () => {
  it('uses 32-character lowercase hex IDs, all distinct', () => {
    const videos = createDemoCatalogue();
    const ids = videos.flatMap((v) => [v.videoId, ...v.streams.map((s) => s.jobId)]);
    for (const id of ids) expect(id).toMatch(HEX32);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is the same on every call, and each call returns fresh objects', () => {
    const first = createDemoCatalogue();
    const second = createDemoCatalogue();
    expect(second).toEqual(first);
    expect(second[0]).not.toBe(first[0]);
  });

  it('holds one video per situation the product must handle', () => {
    const byId = new Map(createDemoCatalogue().map((v) => [v.videoId, v]));
    const keynote = byId.get(DEMO_VIDEO_IDS.keynote);
    expect(keynote?.streams.filter((s) => s.status === 'Invisible')).toHaveLength(1);
    expect(byId.get(DEMO_VIDEO_IDS.podcast)?.streams.every((s) => s.streamType === 'audio')).toBe(true);
    expect(byId.get(DEMO_VIDEO_IDS.teaser)?.streams).toHaveLength(1);
    expect(byId.get(DEMO_VIDEO_IDS.rawUpload)?.streams).toHaveLength(0);
    expect(byId.get(DEMO_VIDEO_IDS.blocked)?.status).toBe('Blocked');
  });
});

describe('createBulkCatalogue', () => {
  it('generates the requested number of videos and streams with unique hex IDs', () => {
    const videos = createBulkCatalogue({ videos: 500, streamsPerVideo: 10 });
    const ids = videos.flatMap((v) => [v.videoId, ...v.streams.map((s) => s.jobId)]);
    expect(videos).toHaveLength(500);
    expect(ids).toHaveLength(5500);
    expect(new Set(ids).size).toBe(5500);
    for (const id of ids) expect(id).toMatch(HEX32);
  });

  it('is deterministic for a seed and distinct across seeds', () => {
    const options = { videos: 3, streamsPerVideo: 2 };
    expect(createBulkCatalogue(options)).toEqual(createBulkCatalogue(options));
    expect(createBulkCatalogue({ ...options, seed: 'other' })[0]?.videoId).not.toBe(
      createBulkCatalogue(options)[0]?.videoId,
    );
  });

  it('marks streams beyond the distinct definition and format pairs as older, invisible re-transcodes', () => {
    const [video] = createBulkCatalogue({ videos: 1, streamsPerVideo: 10 });
    expect(video?.streams.map((s) => s.status)).toEqual([
      'Invisible',
      'Invisible',
      ...Array.from({ length: 8 }, () => 'Normal'),
    ]);
  });
});
