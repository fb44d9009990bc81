import { performance } from 'node:perf_hooks';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { parseJobIds, parseVideoId } from '../src/core/vod/input-rules.js';
import { createBulkCatalogue } from '../src/sandbox/index.js';
import { startEmulatorChild } from './emulator-child.js';
import { fmt, median, percentile, spread, verdict } from './stats.js';
import { BENCH_KEY, createBenchVod } from './vod-setup.js';

export interface OverheadRound {
  bareMedianMs: number;
  coreMedianMs: number;
  ratio: number;
  /** The same calls, each timed until the end of the event-loop turn after it, where the core writes its log line. */
  chargedRatio: number;
}

export interface OverheadResult {
  pairsPerRound: number;
  rounds: OverheadRound[];
  bareP99Ms: number;
  coreP99Ms: number;
  /** Median of the per-round ratios. */
  ratio: number;
  /** Median of the per-round ratios with the log write charged to the core (and the same turn to the bare call). */
  chargedRatio: number;
}

/**
 * The core's DeleteStream (rate limiter, retry policy, zod parsing of the answer, one JSON log line written
 * synchronously once the caller has its answer; the ids arrive parsed by the input rules, as from a front end) against a bare `callApi` of the same engine, to the same emulator running in its
 * own process. Calls are interleaved in pairs, alternating which goes first, so both see the same machine state;
 * every call deletes a different stream. The limiter is set to 10,000/s: it checks every call but never has to
 * hold one (the loop sends about 1,200 DeleteStream/s); its deliberate pacing is the burst benchmark's subject.
 */
export async function benchOverhead(pairsPerRound: number, roundCount: number): Promise<OverheadResult> {
  const warmup = 1000;
  const pairs = warmup + pairsPerRound * roundCount;
  const bulk = { videos: pairs * 2, streamsPerVideo: 1, seed: 'overhead' };
  const emulator = await startEmulatorChild({ credentials: [BENCH_KEY], bulk });
  const catalogue = createBulkCatalogue(bulk);
  try {
    const vod = createBenchVod(emulator.endpoint, { VOD_MAX_QPS: '10000' });
    const bare = createBareClient(emulator.port);
    const bareTimes: number[] = [];
    const coreTimes: number[] = [];
    const bareCharged: number[] = [];
    const coreCharged: number[] = [];
    /** A call's time to its answer, and to the end of the next event-loop turn (its log line written). */
    const timed = async (call: () => Promise<unknown>): Promise<[number, number]> => {
      await nextTurn();
      const t0 = performance.now();
      await call();
      const answered = performance.now() - t0;
      await nextTurn();
      return [answered, performance.now() - t0];
    };
    for (let i = 0; i < pairs; i++) {
      const a = catalogue[2 * i]!;
      const b = catalogue[2 * i + 1]!;
      const runBare = () => timed(() => bare(a.videoId, a.streams[0]!.jobId));
      // A front end applies the input rules once, before it calls the core; the core checks nothing again.
      const coreVideoId = parseVideoId(b.videoId);
      const coreJobIds = parseJobIds([b.streams[0]!.jobId]);
      const runCore = () => timed(() => vod.deleteStream(coreVideoId, coreJobIds));
      let tb: [number, number];
      let tc: [number, number];
      if (i % 2 === 0) {
        tb = await runBare();
        tc = await runCore();
      } else {
        tc = await runCore();
        tb = await runBare();
      }
      if (i >= warmup) {
        bareTimes.push(tb[0]);
        coreTimes.push(tc[0]);
        bareCharged.push(tb[1]);
        coreCharged.push(tc[1]);
      }
    }
    const rounds = Array.from({ length: roundCount }, (_, r) => {
      const slice = (xs: number[]) => xs.slice(r * pairsPerRound, (r + 1) * pairsPerRound);
      const bareMedianMs = median(slice(bareTimes));
      const coreMedianMs = median(slice(coreTimes));
      const chargedRatio = median(slice(coreCharged)) / median(slice(bareCharged));
      return { bareMedianMs, coreMedianMs, ratio: coreMedianMs / bareMedianMs, chargedRatio };
    });
    return {
      pairsPerRound,
      rounds,
      bareP99Ms: percentile(bareTimes, 99),
      coreP99Ms: percentile(coreTimes, 99),
      ratio: median(rounds.map((r) => r.ratio)),
      chargedRatio: median(rounds.map((r) => r.chargedRatio)),
    };
  } finally {
    await emulator.stop();
  }
}

/**
 * Before each timed call, untimed: one turn of the event loop, in which the core's previous success line is
 * written. Without it, that write would land inside whichever call is timed next, half the time the bare one.
 * After each call, the same turn is timed into the "charged" figure, for both sides: the core's includes its log
 * write, the bare call's the empty turn.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function createBareClient(port: number) {
  const unwrap = <T>(m: T): T => ((m as { default?: T }).default ?? m) as T;
  const CredentialClient = unwrap(Credential as unknown as typeof Credential.default);
  const OpenApiClient = unwrap(OpenApi as unknown as typeof OpenApi.default);
  const credential = new CredentialClient(new CredentialConfig({ type: 'access_key', ...BENCH_KEY }));
  const client = new OpenApiClient(
    new $OpenApiUtil.Config({
      credential,
      endpoint: `127.0.0.1:${port}`,
      protocol: 'http',
      readTimeout: 10_000,
      connectTimeout: 10_000,
    }),
  );
  const params = new $OpenApiUtil.Params({
    action: 'DeleteStream',
    version: '2017-03-21',
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const runtime = new $dara.RuntimeOptions({ readTimeout: 10_000, connectTimeout: 10_000 });
  return (videoId: string, jobId: string) =>
    client.callApi(
      params,
      new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query({ VideoId: videoId, JobIds: jobId }) }),
      runtime,
    );
}

export function overheadMarkdown(runs: readonly OverheadResult[]): string {
  const first = runs[0];
  if (!first) return '';
  const ratios = runs.map((r) => r.ratio);
  const charged = runs.map((r) => r.chargedRatio);
  const atMost = (value: number) => value <= 1.1;
  return [
    '| run | bare `callApi` median (ms) | core `deleteStream` median (ms) | ratio core / bare | ratio, log write charged to the core | bare p99 (ms) | core p99 (ms) | worst round |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(
      (r, i) =>
        `| ${i + 1} | ${fmt(median(r.rounds.map((x) => x.bareMedianMs)))} | ${fmt(median(r.rounds.map((x) => x.coreMedianMs)))} | ` +
        `${fmt(r.ratio)} | ${fmt(r.chargedRatio)} | ${fmt(r.bareP99Ms)} | ${fmt(r.coreP99Ms)} | ${fmt(Math.max(...r.rounds.map((x) => x.ratio)))} |`,
    ),
    '',
    `Each run: ${first.rounds.length} rounds of ${first.pairsPerRound} pairs, its ratio the median of the rounds' ratios. ` +
      `Ratio core / bare, min / median / max over ${runs.length} runs: **${spread(ratios)}** (target at most 1.10: ` +
      `${verdict(ratios, atMost)}). With the log write charged to the core: **${spread(charged)}** ` +
      `(against the same target: ${verdict(charged, atMost)}).`,
  ].join('\n');
}
