import { openSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { pino } from 'pino';
import { assembleCore } from '../src/app/runtime.js';
import { systemClock } from '../src/core/clock.js';
import { createLogger } from '../src/core/logger.js';
import { createAllowlistApprovers } from '../src/core/requests/approvers.js';
import { createSqliteStore } from '../src/core/store/sqlite-store.js';
import { parseVideoId } from '../src/core/vod/input-rules.js';
import { readVideoStreams } from '../src/core/vod/video-streams.js';
import type { VodApi } from '../src/core/vod/vod-api.js';
import { singleRegion } from '../src/core/vod/vod-regions.js';
import { createRequestRateLimit } from '../src/mcp/rate-limit.js';
import { createMcpServer } from '../src/mcp/server.js';
import { createBulkCatalogue } from '../src/sandbox/index.js';
import { startEmulatorChild } from './emulator-child.js';
import { fmt, median, percentile, spread } from './stats.js';
import { BENCH_KEY, createBenchVod } from './vod-setup.js';

export interface McpOverheadResult {
  iterations: number;
  streams: number;
  coreMedianMs: number;
  mcpMedianMs: number;
  coreP99Ms: number;
  mcpP99Ms: number;
  /** MCP median − core median. */
  overheadMs: number;
  /** MCP median / core median. */
  ratio: number;
  /** Calls that waited (unmeasured) for their lane's GetVideoInfo slot: 0 when the lanes are enough. */
  laneWaits: number;
}

/** Adapters per side, used in turn: GetVideoInfo is limited to 95 calls/s per adapter (one every 10.5 ms). */
const LANES = 16;
const LANE_SPACING_MS = 11;

interface Lane {
  lastStart: number;
  /** One timed call; returns its duration in ms. */
  run(): Promise<number>;
}

/**
 * `list_video_streams` over MCP against the core call it wraps (the VideoId rule, then GetVideoInfo and
 * GetPlayInfo side by side), in one process, both to the same VOD emulator running in its own process.
 * The MCP side is a real SDK `Client` over `InMemoryTransport` to `createMcpServer`, so it adds the JSON-RPC
 * round trip, input validation, the result's shaping, `structuredContent` checked against the output schema on
 * both sides (the client lists the tools first, as clients do), and the text echo. Calls are interleaved in pairs,
 * back to back, alternating which goes first. GetVideoInfo's limiter (95 calls/s per adapter) would hold calls
 * made back to back, so each side uses 16 adapters built the same way in turn (the MCP side 16 servers, one per
 * adapter, each with its client): every limiter checks every call but none has to hold one. Back to back on
 * purpose: with a pause between pairs, the first call after it was about 0.9 ms slower whichever it was (both
 * processes waking up), which the alternation cancels in the medians but which made every pair's difference noise.
 */
export async function benchMcpOverhead(iterations: number): Promise<McpOverheadResult> {
  const warmup = 500;
  const streams = 6;
  const bulk = { videos: 1, streamsPerVideo: streams, seed: 'mcp-overhead' };
  const videoId = createBulkCatalogue(bulk)[0]!.videoId;
  const emulator = await startEmulatorChild({ credentials: [BENCH_KEY], bulk });
  const store = createSqliteStore({ path: ':memory:' });
  const clients: Client[] = [];
  try {
    await store.migrate();
    const logger = createLogger(pino.destination({ dest: openSync('/dev/null', 'w'), sync: true }));
    const mcpVods = Array.from({ length: LANES }, () => createBenchVod(emulator.endpoint));
    let ids = 0;
    const { workflow, directDeletion, campaigns } = assembleCore({
      store,
      vod: singleRegion('cn-shanghai', mcpVods[0]!),
      approvers: createAllowlistApprovers([], []),
      settings: { requiredApprovals: 1, ttlMs: 86_400_000, leaseMs: 60_000 },
      clock: systemClock,
      newId: () => `dr-bench${String(++ids).padStart(8, '0')}`,
      logger,
      instanceId: 'bench-mcp-overhead',
    });
    const coreLanes = Array.from({ length: LANES }, () =>
      coreLane(createBenchVod(emulator.endpoint), videoId, streams),
    );
    const mcpLanes: Lane[] = [];
    for (const vod of mcpVods) {
      const server = createMcpServer({
        backend: async () => ({ workflow, directDeletion, campaigns, vod: singleRegion('cn-shanghai', vod) }),
        logger,
        clock: systemClock,
        principal: { source: 'mcp', id: 'bench', displayName: 'bench' },
        approval: 'slack',
        rateLimit: createRequestRateLimit(30, systemClock.now),
        readOnly: false,
        sandbox: false,
        version: '0.0.0-bench',
      });
      const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
      const client = new Client({ name: 'vod-ops-bench', version: '0.1.0' });
      clients.push(client);
      await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
      // As every client does first; the SDK client then checks each result against the tool's output schema.
      await client.listTools();
      mcpLanes.push(mcpLane(client, videoId, streams));
    }

    let laneWaits = 0;
    const timed = async (lane: Lane) => {
      const wait = lane.lastStart + LANE_SPACING_MS - performance.now();
      if (wait > 0) {
        laneWaits++;
        await sleep(wait);
      }
      lane.lastStart = performance.now();
      return lane.run();
    };
    const coreTimes: number[] = [];
    const mcpTimes: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const core = coreLanes[i % LANES]!;
      const mcp = mcpLanes[i % LANES]!;
      if (i === warmup) laneWaits = 0;
      let tc: number;
      let tm: number;
      if (i % 2 === 0) {
        tc = await timed(core);
        tm = await timed(mcp);
      } else {
        tm = await timed(mcp);
        tc = await timed(core);
      }
      if (i >= warmup) {
        coreTimes.push(tc);
        mcpTimes.push(tm);
      }
    }
    const coreMedianMs = median(coreTimes);
    const mcpMedianMs = median(mcpTimes);
    return {
      iterations,
      streams,
      coreMedianMs,
      mcpMedianMs,
      coreP99Ms: percentile(coreTimes, 99),
      mcpP99Ms: percentile(mcpTimes, 99),
      overheadMs: mcpMedianMs - coreMedianMs,
      ratio: mcpMedianMs / coreMedianMs,
      laneWaits,
    };
  } finally {
    for (const client of clients) await client.close();
    await store.close();
    await emulator.stop();
  }
}

function coreLane(vod: VodApi, videoId: string, streams: number): Lane {
  return {
    lastStart: Number.NEGATIVE_INFINITY,
    async run() {
      const t0 = performance.now();
      const id = parseVideoId(videoId);
      const read = await readVideoStreams(vod, id);
      const ms = performance.now() - t0;
      if (read.streams.length !== streams) throw new Error(`core call saw ${read.streams.length} streams`);
      return ms;
    },
  };
}

function mcpLane(client: Client, videoId: string, streams: number): Lane {
  return {
    lastStart: Number.NEGATIVE_INFINITY,
    async run() {
      const t0 = performance.now();
      const result = (await client.callTool({
        name: 'list_video_streams',
        arguments: { videoId },
      })) as CallToolResult;
      const ms = performance.now() - t0;
      const seen = (result.structuredContent as { streams?: unknown[] } | undefined)?.streams?.length;
      if (result.isError || seen !== streams) {
        throw new Error(`list_video_streams did not list the ${streams} streams: ${JSON.stringify(result)}`);
      }
      return ms;
    },
  };
}

export function mcpOverheadMarkdown(runs: readonly McpOverheadResult[]): string {
  const first = runs[0];
  if (!first) return '';
  return [
    '| run | core median (ms) | MCP median (ms) | core p99 (ms) | MCP p99 (ms) | overhead, MCP − core median (ms) | ratio MCP / core | lane waits |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(
      (r, i) =>
        `| ${i + 1} | ${fmt(r.coreMedianMs)} | ${fmt(r.mcpMedianMs)} | ${fmt(r.coreP99Ms)} | ${fmt(r.mcpP99Ms)} | ` +
        `${fmt(r.overheadMs)} | ${fmt(r.ratio)} | ${r.laneWaits} |`,
    ),
    '',
    `Core: \`getVideoInfo\` + \`getPlayInfo\`; MCP: \`tools/call\` \`list_video_streams\`; ${first.iterations} pairs per run, ` +
      `a video with ${first.streams} streams. Overhead of MCP, min / median / max over ${runs.length} runs: ` +
      `**${spread(runs.map((r) => r.overheadMs))} ms**; ratio of the medians: ${spread(runs.map((r) => r.ratio))}.`,
  ].join('\n');
}
