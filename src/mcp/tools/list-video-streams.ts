import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { parseVideoId } from '../../core/vod/input-rules.js';
import { readVideoStreamsIn } from '../../core/vod/video-streams.js';
import type { McpDeps } from '../deps.js';
import { RegionArg } from '../region-arg.js';
import { failure, ok } from '../results.js';

export const ListVideoStreamsInput = z.strictObject({
  videoId: z.string().describe('The VOD VideoId: 32 hexadecimal characters'),
  region: RegionArg.describe(
    'The VOD region of the video (e.g. ap-southeast-1); leave it out and vod-ops finds it among the regions it serves',
  ),
});

const Stream = z.object({
  jobId: z.string(),
  definition: z.string(),
  format: z.string(),
  streamType: z.string(),
  status: z.string(),
  sizeBytes: z.number().optional(),
  bitrateKbps: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  creationTime: z.string().optional(),
});

export const ListVideoStreamsOutput = z.object({
  status: z.enum(['ok']),
  region: z.string().describe('The VOD region that holds the video'),
  video: z.object({
    videoId: z.string(),
    title: z.string(),
    status: z.string(),
    mediaType: z.string().optional(),
  }),
  streams: z.array(Stream),
});

/** `list_video_streams`: read-only; every transcoded stream of a video (GetPlayInfo with ResultType=Multiple). */
export function registerListVideoStreamsTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'list_video_streams',
    {
      title: 'List a video’s streams',
      description:
        'Lists an ApsaraVideo VOD video and every transcoded stream it has, including stale re-transcodes: job ID, ' +
        'definition, format, size, bitrate. Read-only. Use it to find the job IDs before request_stream_deletion.',
      inputSchema: ListVideoStreamsInput,
      outputSchema: ListVideoStreamsOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ videoId, region }) => {
      try {
        const id = parseVideoId(videoId);
        const { vod } = await deps.backend();
        const read = await readVideoStreamsIn(vod, id, region);
        const { video, streams } = read;
        return ok({
          status: 'ok' as const,
          region: read.region,
          video: {
            videoId: video.videoId,
            title: video.title,
            status: video.status,
            mediaType: video.mediaType,
          },
          streams: streams.map((s) => ({
            jobId: s.jobId,
            definition: s.definition,
            format: s.format,
            streamType: s.streamType,
            status: s.status,
            sizeBytes: s.sizeBytes,
            bitrateKbps: s.bitrateKbps,
            width: s.width,
            height: s.height,
            creationTime: s.creationTime,
          })),
        });
      } catch (error) {
        return failure(error, deps.logger);
      }
    },
  );
}
