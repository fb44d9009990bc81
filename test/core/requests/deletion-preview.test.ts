import { describe, expect, it } from 'vitest';
import { buildDeletionPreview } from '../../../src/core/requests/deletion-preview.js';
import type { StreamInfo } from '../../../src/core/vod/vod-api.js';
import { aStream, aVideoRead, hexId as id, someJobIds } from '../../helpers/builders.js';

const VIDEO_ID = 'ffffffffffffffffffffffffffffffff';
const read = (streams: StreamInfo[], video = {}) => aVideoRead(VIDEO_ID, streams, video);
const stream = (jobId: string, over: Partial<StreamInfo> = {}) =>
  aStream(jobId, { sizeBytes: 1000, ...over });

describe('buildDeletionPreview', () => {
  const streams = [stream(id('1'), { sizeBytes: 100 }), stream(id('2'), { sizeBytes: 250 }), stream(id('3'))];

  it('lists the streams to delete in the order given, what remains and the storage freed', () => {
    const preview = buildDeletionPreview(read(streams), someJobIds(id('2'), id('1')));
    expect(preview.toDelete.map((s) => s.jobId)).toEqual([id('2'), id('1')]);
    expect(preview.remaining.map((s) => s.jobId)).toEqual([id('3')]);
    expect(preview.freedBytes).toBe(350);
    expect(preview.leavesNoPlayableStream).toBe(false);
    expect(preview.warnings).toEqual([]);
    expect(preview.video.title).toBe('Launch keynote');
    expect(preview.requestIds).toEqual({ getVideoInfo: 'RID-VIDEO', getPlayInfo: 'RID-PLAY' });
  });

  it('refuses job IDs that are not streams of the video, naming them', () => {
    expect(() => buildDeletionPreview(read(streams), someJobIds(id('1'), id('9')))).toThrow(
      new RegExp(`Job ID ${id('9')} is not a stream of video ${VIDEO_ID} \\(it has 3\\)`),
    );
  });

  it('warns when no stream would remain', () => {
    const preview = buildDeletionPreview(read(streams), someJobIds(id('1'), id('2'), id('3')));
    expect(preview.leavesNoPlayableStream).toBe(true);
    expect(preview.warnings[0]).toMatch(/No stream would remain/);
  });

  it('warns when only unplayable streams would remain', () => {
    const mixed = [
      stream(id('1')),
      stream(id('2'), { streamType: 'audio' }),
      stream(id('3'), { status: 'Blocked' }),
    ];
    const preview = buildDeletionPreview(read(mixed), someJobIds(id('1')));
    expect(preview.leavesNoPlayableStream).toBe(true);
    expect(preview.warnings[0]).toMatch(/No playable video stream would remain/);
  });

  it('counts audio streams as playable for an audio-only media file', () => {
    const preview = buildDeletionPreview(
      read([stream(id('1'), { streamType: 'audio' }), stream(id('2'), { streamType: 'audio' })], {
        mediaType: 'audio',
      }),
      someJobIds(id('1')),
    );
    expect(preview.leavesNoPlayableStream).toBe(false);
  });

  it('reports streams with no size instead of counting them as zero silently', () => {
    const preview = buildDeletionPreview(
      read([stream(id('1'), { sizeBytes: undefined }), stream(id('2'))]),
      someJobIds(id('1')),
    );
    expect(preview.freedBytes).toBe(0);
    expect(preview.unsizedCount).toBe(1);
  });

  it('lists the streams as Alibaba reported them', () => {
    const preview = buildDeletionPreview(read([stream(id('a')), stream(id('b'))]), someJobIds(id('a')));
    expect(preview.toDelete[0]?.jobId).toBe(id('a'));
  });
});
