import { describe, expect, it } from 'vitest';
import type { Guards, SelectionRule, StreamCriteria } from '../../../src/core/campaigns/selection-rule.js';
import {
  checkItemStillSafe,
  itemsFor,
  type StreamSelection,
  selectStreams,
} from '../../../src/core/campaigns/stream-selection.js';
import type { StreamInfo } from '../../../src/core/vod/vod-api.js';
import { aStream, aVideoId, hexId } from '../../helpers/builders.js';

const OLD = '2024-06-01T00:00:00Z';
const NEW = '2025-01-10T00:00:00Z';

/** A video with re-transcodes: each Normal stream has an older Invisible one of its definition and format. */
const hd = aStream(hexId('1'), { definition: 'HD', format: 'mp4', creationTime: NEW });
const hdOld = aStream(hexId('2'), {
  definition: 'HD',
  format: 'mp4',
  status: 'Invisible',
  creationTime: OLD,
});
const sd = aStream(hexId('3'), { definition: 'SD', format: 'm3u8', creationTime: NEW });
const sdOld = aStream(hexId('4'), {
  definition: 'SD',
  format: 'm3u8',
  status: 'Invisible',
  creationTime: OLD,
});
const uhd = aStream(hexId('5'), { definition: '4K', format: 'mp4', creationTime: NEW });
const qhdOld = aStream(hexId('6'), {
  definition: '2K',
  format: 'mp4',
  status: 'Invisible',
  creationTime: OLD,
});
const VIDEO = [hd, hdOld, sd, sdOld, uhd, qhdOld];

/** An audio-only video: mp3 at both qualities, and an older m4a. */
const sq = aStream(hexId('a'), { definition: 'SQ', format: 'mp3', streamType: 'audio', creationTime: NEW });
const hq = aStream(hexId('b'), { definition: 'HQ', format: 'mp3', streamType: 'audio', creationTime: NEW });
const hqOld = aStream(hexId('c'), {
  definition: 'HQ',
  format: 'm4a',
  streamType: 'audio',
  status: 'Invisible',
  creationTime: OLD,
});
const AUDIO = [sq, hq, hqOld];

/** A video none of whose streams plays. */
const INVISIBLE_ONLY = [
  aStream(hexId('d'), { definition: 'HD', status: 'Invisible' }),
  aStream(hexId('e'), { definition: 'SD', status: 'Invisible' }),
];

const rule = (
  streams: StreamCriteria,
  guards: Partial<Guards> = {},
): Pick<SelectionRule, 'streams' | 'guards'> => ({
  streams,
  guards: { keepLastPlayable: true, ...guards },
});

const ids = (selection: StreamSelection) => ({
  selected: selection.selected.map((s) => s.jobId),
  held: selection.held.map((h) => [h.stream.jobId, h.guard]),
});

describe('selectStreams', () => {
  it.each<[string, Pick<SelectionRule, 'streams' | 'guards'>, StreamInfo[], string[], [string, string][]]>([
    [
      'Invisible streams, which no guard protects',
      rule({ status: ['Invisible'] }),
      VIDEO,
      [hdOld, sdOld, qhdOld].map((s) => s.jobId),
      [],
    ],
    [
      'two definitions, while others still play',
      rule({ definitions: ['2K', '4K'] }),
      VIDEO,
      [uhd, qhdOld].map((s) => s.jobId),
      [],
    ],
    [
      'a format, while another format still plays',
      rule({ formats: ['mp4'] }),
      VIDEO,
      [hd, hdOld, uhd, qhdOld].map((s) => s.jobId),
      [],
    ],
    [
      'streams created before a date',
      rule({ createdBefore: '2025-01-01T00:00:00Z' }),
      VIDEO,
      [hdOld, sdOld, qhdOld].map((s) => s.jobId),
      [],
    ],
    [
      'criteria that must all hold',
      rule({ status: ['Invisible'], formats: ['mp4'] }),
      VIDEO,
      [hdOld, qhdOld].map((s) => s.jobId),
      [],
    ],
    [
      'every stream, holding back the highest playable definition',
      rule({ streamType: 'video' }),
      VIDEO,
      [hd, hdOld, sd, sdOld, qhdOld].map((s) => s.jobId),
      [[uhd.jobId, 'last_playable']],
    ],
    [
      'every stream with the last-playable guard off',
      rule({ streamType: 'video' }, { keepLastPlayable: false }),
      VIDEO,
      VIDEO.map((s) => s.jobId),
      [],
    ],
    [
      'every stream, keeping one of SD or HD: SD, listed first',
      rule({ streamType: 'video' }, { keepDefinitions: ['SD', 'HD'] }),
      VIDEO,
      [hd, hdOld, sdOld, uhd, qhdOld].map((s) => s.jobId),
      [[sd.jobId, 'keep_definition']],
    ],
    [
      'every stream, keeping one of HD or SD: HD, listed first',
      rule({ streamType: 'video' }, { keepDefinitions: ['HD', 'SD'] }),
      VIDEO,
      [hdOld, sd, sdOld, uhd, qhdOld].map((s) => s.jobId),
      [[hd.jobId, 'keep_definition']],
    ],
    [
      'the playable HD and SD only, keeping one of them while 4K still plays',
      rule({ status: ['Normal'], definitions: ['SD', 'HD'] }, { keepDefinitions: ['HD'] }),
      VIDEO,
      [sd.jobId],
      [[hd.jobId, 'keep_definition']],
    ],
    [
      'a definition to keep that the video has only Invisible: nothing to keep',
      rule({ streamType: 'video' }, { keepLastPlayable: false, keepDefinitions: ['2K'] }),
      VIDEO,
      VIDEO.map((s) => s.jobId),
      [],
    ],
    [
      'the mp3 streams of an audio-only video, holding back HQ',
      rule({ formats: ['mp3'] }),
      AUDIO,
      [sq.jobId],
      [[hq.jobId, 'last_playable']],
    ],
    ['video streams of an audio-only video: none', rule({ streamType: 'video' }), AUDIO, [], []],
    [
      'the Invisible streams of a video that has no playable one',
      rule({ status: ['Invisible'] }),
      INVISIBLE_ONLY,
      INVISIBLE_ONLY.map((s) => s.jobId),
      [],
    ],
    [
      'every stream of a video that has no playable one: no guard applies',
      rule({ streamType: 'video' }, { keepDefinitions: ['HD'] }),
      INVISIBLE_ONLY,
      INVISIBLE_ONLY.map((s) => s.jobId),
      [],
    ],
  ])('selects %s', (_name, theRule, streams, selected, held) => {
    expect(ids(selectStreams(theRule, streams))).toEqual({ selected, held });
  });

  it('applies both guards: keeping one of the definitions also keeps the video playable', () => {
    const selection = selectStreams(
      rule({ definitions: ['SD', 'HD', '4K'] }, { keepDefinitions: ['SD'] }),
      VIDEO,
    );
    expect(ids(selection)).toEqual({
      selected: [hd.jobId, hdOld.jobId, sdOld.jobId, uhd.jobId],
      held: [[sd.jobId, 'keep_definition']],
    });
  });

  it('keeps the definition asked for, not the highest one, and then needs nothing more', () => {
    const od = aStream(hexId('7'), { definition: 'OD', creationTime: OLD });
    const ld = aStream(hexId('8'), { definition: 'LD', creationTime: NEW });
    const selection = selectStreams(rule({ streamType: 'video' }, { keepDefinitions: ['LD'] }), [od, ld]);
    expect(ids(selection)).toEqual({ selected: [od.jobId], held: [[ld.jobId, 'keep_definition']] });
  });

  it('ranks OD above 4K, and a definition Alibaba does not document below all', () => {
    const od = aStream(hexId('7'), { definition: 'OD' });
    const other = aStream(hexId('9'), { definition: 'XYZ' });
    const fd = aStream(hexId('8'), { definition: 'FD' });
    expect(ids(selectStreams(rule({ streamType: 'video' }), [uhd, od])).held).toEqual([
      [od.jobId, 'last_playable'],
    ]);
    expect(ids(selectStreams(rule({ streamType: 'video' }), [other, fd])).held).toEqual([
      [fd.jobId, 'last_playable'],
    ]);
  });

  it('keeps the newest of equal definitions, then the smallest job ID, and a stream of unknown age last', () => {
    const older = aStream(hexId('f'), { creationTime: '2024-01-01T00:00:00Z' });
    const newerF = aStream(hexId('e'), { creationTime: '2025-01-01T00:00:00Z' });
    const newerD = aStream(hexId('d'), { format: 'm3u8', creationTime: '2025-01-01T00:00:00Z' });
    const unknown = aStream(hexId('0'));
    const all = rule({ streamType: 'video' });
    expect(ids(selectStreams(all, [older, newerF, newerD, unknown])).held).toEqual([
      [newerD.jobId, 'last_playable'],
    ]);
    expect(ids(selectStreams(all, [unknown, older])).held).toEqual([[older.jobId, 'last_playable']]);
  });

  it('compares values in Alibaba’s spelling whatever case the answer used', () => {
    const lower = aStream(hexId('1'), {
      definition: 'hd',
      format: 'MP4',
      status: 'invisible',
      streamType: 'Video',
    });
    const chosen = rule({
      status: ['Invisible'],
      definitions: ['HD'],
      formats: ['mp4'],
      streamType: 'video',
    });
    expect(selectStreams(chosen, [lower]).selected).toEqual([lower]);
  });

  it('keeps a video stream when the rest would be audio alone: an audio rendition does not make it watchable', () => {
    const video = aStream(hexId('1'), { definition: 'HD', format: 'mp4', creationTime: NEW });
    const audio = aStream(hexId('2'), {
      definition: 'HQ',
      format: 'm4a',
      streamType: 'audio',
      creationTime: NEW,
    });
    const chosen = rule({ status: ['Normal'], streamType: 'video' });
    expect(selectStreams(chosen, [video, audio])).toEqual({
      selected: [],
      held: [{ stream: video, guard: 'last_playable' }],
    });
    expect(checkItemStillSafe(chosen.guards, [video.jobId], [video, audio])).toMatchObject({ safe: false });
  });

  it('does not take a stream of unknown age as older than a date', () => {
    const undated = aStream(hexId('1'), { status: 'Invisible' });
    expect(selectStreams(rule({ createdBefore: '2030-01-01T00:00:00Z' }), [undated]).selected).toEqual([]);
  });
});

describe('checkItemStillSafe', () => {
  const both: Guards = { keepLastPlayable: true, keepDefinitions: ['SD', 'HD'] };
  it.each<[string, Guards, string[], StreamInfo[], ReturnType<typeof checkItemStillSafe>]>([
    ['streams that no guard protects', both, [hdOld.jobId, sdOld.jobId], VIDEO, { safe: true }],
    ['job IDs in another case', both, [hdOld.jobId.toUpperCase()], VIDEO, { safe: true }],
    [
      'the whole of a video that has no playable stream',
      both,
      INVISIBLE_ONLY.map((s) => s.jobId),
      INVISIBLE_ONLY,
      { safe: true },
    ],
    [
      'everything, with no guard on',
      { keepLastPlayable: false },
      VIDEO.map((s) => s.jobId),
      VIDEO,
      { safe: true },
    ],
    [
      'a stream deleted since the plan',
      both,
      [hdOld.jobId, sdOld.jobId],
      [hd, sd, sdOld],
      {
        safe: false,
        reason: `Stream ${hdOld.jobId} no longer exists: the video changed since the plan, so this item was skipped.`,
      },
    ],
    [
      'two streams deleted since the plan',
      both,
      [hdOld.jobId, sdOld.jobId],
      [hd, sd],
      {
        safe: false,
        reason: `Streams ${hdOld.jobId} and ${sdOld.jobId} no longer exist: the video changed since the plan, so this item was skipped.`,
      },
    ],
    [
      'the last playable SD or HD, now that another item took the others',
      both,
      [hd.jobId],
      [hd, hdOld, uhd],
      {
        safe: false,
        reason:
          "Deleting these streams now would leave the video no playable SD or HD stream, which the rule's guard " +
          'forbids: the video changed since the plan, so this item was skipped.',
      },
    ],
    [
      'the last playable stream',
      { keepLastPlayable: true },
      [uhd.jobId],
      [uhd, qhdOld],
      {
        safe: false,
        reason:
          "Deleting these streams now would leave the video no playable stream, which the rule's guard forbids: " +
          'the video changed since the plan, so this item was skipped.',
      },
    ],
  ])('judges deleting %s', (_name, guards, jobIds, current, expected) => {
    expect(checkItemStillSafe(guards, jobIds, current)).toEqual(expected);
  });
});

describe('itemsFor', () => {
  const videoId = aVideoId(hexId('f'));
  const many = Array.from({ length: 45 }, (_, i) =>
    aStream(i.toString(16).padStart(32, '0'), { sizeBytes: i === 44 ? undefined : 100 }),
  );

  it('splits a video’s streams into items of at most 20 job IDs, in job ID order', () => {
    const items = itemsFor(videoId, [...many].reverse());
    expect(items.map((item) => item.jobIds.length)).toEqual([20, 20, 5]);
    expect(items.flatMap((item) => item.jobIds)).toEqual(many.map((s) => s.jobId));
    expect(items.map((item) => item.bytes)).toEqual([2000, 2000, 400]);
    expect(items[2]?.streams.at(-1)).toStrictEqual({
      jobId: many[44]?.jobId,
      definition: 'HD',
      format: 'mp4',
    });
    expect(items[0]?.streams[0]).toStrictEqual({
      jobId: many[0]?.jobId,
      definition: 'HD',
      format: 'mp4',
      sizeBytes: 100,
    });
    expect(items.every((item) => item.videoId === videoId)).toBe(true);
  });

  it('gives the same items whatever order the streams came in, each stream once', () => {
    expect(itemsFor(videoId, [sd, hd, sd], 1)).toEqual(itemsFor(videoId, [hd, sd], 1));
    expect(itemsFor(videoId, [sd, hd], 1).map((item) => item.jobIds)).toEqual([[hd.jobId], [sd.jobId]]);
  });

  it('makes no item of an empty selection', () => {
    expect(itemsFor(videoId, [])).toEqual([]);
  });

  it.each([0, 21, 2.5])('refuses %s job IDs an item, which DeleteStream cannot take', (max) => {
    expect(() => itemsFor(videoId, [hd], max)).toThrow(RangeError);
  });
});
