import { formatBitrate, formatBytes, formatDuration, plural } from '../core/format.js';
import type { DeletionPreview } from '../core/requests/deletion-preview.js';
import type { StreamInfo, VideoDetails } from '../core/vod/vod-api.js';

/** Plain-text rendering for a terminal. Pure: returns strings, prints nothing. */

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderStreamTable(streams: readonly StreamInfo[]): string {
  if (streams.length === 0) return '(no transcoded streams)';
  return renderTable(
    ['JOB ID', 'DEFINITION', 'FORMAT', 'TYPE', 'STATUS', 'SIZE', 'BITRATE', 'RESOLUTION', 'CREATED'],
    streams.map((s) => [
      s.jobId,
      s.definition,
      s.format,
      s.streamType,
      s.status,
      formatBytes(s.sizeBytes),
      formatBitrate(s.bitrateKbps),
      s.width && s.height ? `${s.width}x${s.height}` : '-',
      s.creationTime ?? '-',
    ]),
  );
}

export function renderVideoHeader(video: Omit<VideoDetails, 'requestId'>, region?: string): string {
  return [
    `Video   ${video.videoId}  "${video.title}"`,
    `Status  ${video.status}   Media ${video.mediaType ?? '-'}   Duration ${formatDuration(video.durationSeconds)}   Storage ${video.storageClass ?? '-'}` +
      (region ? `   Region ${region}` : ''),
  ].join('\n');
}

export function renderPreview(preview: DeletionPreview, region?: string): string {
  const n = preview.toDelete.length;
  const freed =
    formatBytes(preview.freedBytes) +
    (preview.unsizedCount > 0 ? ` (+${preview.unsizedCount} of unknown size)` : '');
  return [
    renderVideoHeader(preview.video, region),
    '',
    `Would DELETE ${plural(n, 'stream')} (irreversible), freeing ${freed}:`,
    renderStreamTable(preview.toDelete),
    '',
    `Would remain (${preview.remaining.length}):`,
    renderStreamTable(preview.remaining),
    ...preview.warnings.map((w) => `\nWARNING: ${w}`),
  ].join('\n');
}
