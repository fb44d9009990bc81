import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../src/app/server.js';
import { createBulkCatalogue } from '../src/sandbox/index.js';
import { type FakeSlack, startFakeSlack } from '../test/helpers/fake-slack.js';
import { startBareBolt } from './bare-bolt.js';
import { startEmulatorChild } from './emulator-child.js';
import { type SlashCommandSpec, startSlackClientChild, type TimedCommand } from './slack-client.js';
import { fmt, percentile, spread, verdict } from './stats.js';
import { BENCH_KEY } from './vod-setup.js';

export interface AckStats {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non200: number;
  /** CPU time of the servers' process from a burst's first POST to its last response, per command. */
  cpuMsPerCommand: number;
}

export interface SlackAckResult {
  rounds: number;
  concurrency: number;
  emulatorLatencyMs: number;
  product: AckStats;
  bare: AckStats;
  p50Ratio: number;
  p99Ratio: number;
  /** Product commands whose request was then posted for approval (checked after each round, unmeasured). */
  requestsPosted: number;
  /** Product commands sent, warm-up included. */
  productCommands: number;
  /** Per product round: from the burst's first POST until every request of it was posted for approval. */
  workDoneP50Seconds: number;
  emulatorCalls: number;
  /** Each round's figures, in order: the spread shows how much one round's tail moves the overall p99. */
  perRound: Array<{ product: AckStats; bare: AckStats }>;
  /** Steady traffic: commands arriving one every 1/`ratePerSecond` s, for `seconds` per segment, per app. */
  steady: {
    ratePerSecond: number;
    seconds: number;
    segments: number;
    product: AckStats;
    bare: AckStats;
    p50Ratio: number;
    p99Ratio: number;
  };
}

const CONCURRENCY = 50;
/** Steady traffic: 20 commands a second for 10 s, twice per app, alternating. */
const STEADY_RATE = 20;
const STEADY_SECONDS = 10;
const STEADY_SEGMENTS = 2;
const STEADY_COMMANDS = STEADY_RATE * STEADY_SECONDS;
const EMULATOR_LATENCY_MS = 2000;
const SIGNING_SECRET = 'bench-signing-secret-0000000000000';
const REQUESTER = 'U0ALICE';
const CHANNEL = 'C0VIDEOOPS';

interface Target {
  url: string;
  close(): Promise<void>;
}

/**
 * Acknowledgement latency of `/vod delete-stream` over HTTP: `rounds` bursts of 50 concurrent signed commands
 * into the product server (`startServer`, Bolt's ExpressReceiver on node:http, SQLite file store) while the VOD
 * emulator, in its own process, holds every answer 2 s; each time is from sending the signed POST to its
 * response, which Bolt writes when the listener calls `ack()`. Rounds alternate with a bare Bolt app mounted the
 * same way whose listener only acknowledges, so both see the same machine state. Every product command names a
 * video of its own (a repeated one would be answered as a duplicate without any VOD call); after each product
 * round, unmeasured, the bench waits until all its requests were posted for approval before the next round.
 */
export async function benchSlackAck(rounds: number): Promise<SlackAckResult> {
  const bulk = {
    videos: (rounds + 1) * CONCURRENCY + STEADY_SEGMENTS * STEADY_COMMANDS,
    streamsPerVideo: 2,
    seed: 'slack-ack',
  };
  const commands = createBulkCatalogue(bulk).map(
    (video) => `delete-stream ${video.videoId} ${video.streams[0]!.jobId} bench: no longer needed`,
  );
  const emulator = await startEmulatorChild({
    credentials: [BENCH_KEY],
    bulk,
    latencyMs: EMULATOR_LATENCY_MS,
  });
  const fake = await startFakeSlack();
  const dir = mkdtempSync(join(tmpdir(), 'vod-ops-bench-slack-'));
  const savedEnv = setAlibabaEnv();
  let product: Target | undefined;
  let bare: Target | undefined;
  const slack = startSlackClientChild();
  let emulatorCalls: number | undefined;
  try {
    product = await startServer({
      env: {
        VOD_ENDPOINT: emulator.endpoint,
        VOD_OPS_DB_PATH: join(dir, 'bench.db'),
        VOD_OPS_APPROVERS: 'U0BOB',
        VOD_OPS_LOG_LEVEL: 'error',
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.url,
      },
      sandbox: false,
      port: 0,
      host: '127.0.0.1',
      sweepIntervalMs: 3_600_000,
    });
    bare = await startBareBolt({ signingSecret: SIGNING_SECRET, slackApiUrl: fake.url });

    let next = 0;
    const productTexts = (count: number) => {
      next += count;
      return commands.slice(next - count, next);
    };
    const burst = async (target: Target, id: string, texts: readonly string[]): Promise<Burst> => {
      const cpu = process.cpuUsage();
      const times = await slack.burst(
        target.url,
        SIGNING_SECRET,
        texts.map((text, i) => slashCommand(text, fake.responseUrl(`${id}-${i}`))),
      );
      const used = process.cpuUsage(cpu);
      return { times, cpuMs: (used.user + used.system) / 1000 };
    };

    await burst(bare, 'bare-warm', commands.slice(0, CONCURRENCY));
    await burst(product, 'product-warm', productTexts(CONCURRENCY));
    await waitForPosted(fake, 'product-warm-', CONCURRENCY);

    const productRounds: Burst[] = [];
    const bareRounds: Burst[] = [];
    const workDone: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const runProduct = async () => {
        const t0 = performance.now();
        productRounds.push(await burst(product!, `product-${round}`, productTexts(CONCURRENCY)));
        await waitForPosted(fake, `product-${round}-`, CONCURRENCY);
        workDone.push((performance.now() - t0) / 1000);
      };
      const runBare = async () => {
        bareRounds.push(await burst(bare!, `bare-${round}`, commands.slice(0, CONCURRENCY)));
      };
      // Alternate which goes first, so neither always follows the other's burst.
      if (round % 2 === 0) {
        await runProduct();
        await runBare();
      } else {
        await runBare();
        await runProduct();
      }
    }

    // Steady traffic: the same commands arriving one at a time, at STEADY_RATE a second, while the work of the
    // earlier ones (the VOD calls held 2 s, the posts) goes on in the same process.
    const steadyProduct: Burst[] = [];
    const steadyBare: Burst[] = [];
    const steady = async (target: Target, id: string, texts: readonly string[]): Promise<Burst> => {
      const cpu = process.cpuUsage();
      const times = await slack.steady(
        target.url,
        SIGNING_SECRET,
        texts.map((text, i) => slashCommand(text, fake.responseUrl(`${id}-${i}`))),
        1000 / STEADY_RATE,
      );
      const used = process.cpuUsage(cpu);
      return { times, cpuMs: (used.user + used.system) / 1000 };
    };
    for (let segment = 0; segment < STEADY_SEGMENTS; segment++) {
      const runProduct = async () => {
        steadyProduct.push(await steady(product!, `steady-${segment}`, productTexts(STEADY_COMMANDS)));
        await waitForPosted(fake, `steady-${segment}-`, STEADY_COMMANDS);
      };
      const runBare = async () => {
        steadyBare.push(await steady(bare!, `steady-bare-${segment}`, commands.slice(0, STEADY_COMMANDS)));
      };
      if (segment % 2 === 0) {
        await runProduct();
        await runBare();
      } else {
        await runBare();
        await runProduct();
      }
    }

    await product.close();
    product = undefined;
    emulatorCalls = (await emulator.stop()).calls;
    const productStats = stats(productRounds);
    const bareStats = stats(bareRounds);
    return {
      rounds,
      concurrency: CONCURRENCY,
      emulatorLatencyMs: EMULATOR_LATENCY_MS,
      product: productStats,
      bare: bareStats,
      p50Ratio: productStats.p50Ms / bareStats.p50Ms,
      p99Ratio: productStats.p99Ms / bareStats.p99Ms,
      requestsPosted: fake.responses.filter((r) => isPosted(r.body)).length,
      productCommands: next,
      workDoneP50Seconds: percentile(workDone, 50),
      emulatorCalls,
      perRound: productRounds.map((times, i) => ({ product: stats([times]), bare: stats([bareRounds[i]!]) })),
      steady: steadyFigures(stats(steadyProduct), stats(steadyBare)),
    };
  } finally {
    await slack.stop();
    await bare?.close();
    await product?.close();
    if (emulatorCalls === undefined) await emulator.stop();
    await fake.close();
    restoreEnv(savedEnv);
    rmSync(dir, { recursive: true, force: true });
  }
}

function steadyFigures(product: AckStats, bare: AckStats): SlackAckResult['steady'] {
  return {
    ratePerSecond: STEADY_RATE,
    seconds: STEADY_SECONDS,
    segments: STEADY_SEGMENTS,
    product,
    bare,
    p50Ratio: product.p50Ms / bare.p50Ms,
    p99Ratio: product.p99Ms / bare.p99Ms,
  };
}

function slashCommand(text: string, responseUrl: string): SlashCommandSpec {
  return { text, userId: REQUESTER, channelId: CHANNEL, responseUrl };
}

interface Burst {
  times: TimedCommand[];
  cpuMs: number;
}

function stats(bursts: readonly Burst[]): AckStats {
  const times = bursts.flatMap((b) => b.times);
  const ms = times.map((t) => t.ms);
  return {
    samples: ms.length,
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
    maxMs: Math.max(...ms),
    non200: times.filter((t) => t.status !== 200).length,
    cpuMsPerCommand: bursts.reduce((sum, b) => sum + b.cpuMs, 0) / times.length,
  };
}

const isPosted = (body: Record<string, unknown>) => / is posted in <#/.test(String(body.text ?? ''));

/**
 * Waits until `count` commands whose response URL ids start with `prefix` answered through `respond()`, and
 * fails if any answer is not "posted for approval": the product did the work, not only the acknowledgement.
 */
async function waitForPosted(fake: FakeSlack, prefix: string, count: number): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const answered = fake.responses.filter((r) => r.id.startsWith(prefix));
    const refused = answered.find((r) => !isPosted(r.body));
    if (refused)
      throw new Error(`bench: a command was not posted for approval: ${String(refused.body.text)}`);
    if (answered.length >= count) return;
    if (performance.now() > deadline) {
      throw new Error(`bench: only ${answered.length} of ${count} requests were posted within 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ALIBABA_ENV = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: BENCH_KEY.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret,
  ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
  ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
};

/** The server takes Alibaba credentials from Alibaba's default chain, which reads process.env. */
function setAlibabaEnv(): Record<string, string | undefined> {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(ALIBABA_ENV)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  return saved;
}

function restoreEnv(saved: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/** A run met the target: p99 ratio at most 1.5 (checked by `verdict`), no non-200, every request posted. */
const runClean = (r: SlackAckResult) =>
  r.product.non200 === 0 && r.steady.product.non200 === 0 && r.requestsPosted === r.productCommands;

export function slackAckMarkdown(runs: readonly SlackAckResult[]): string {
  const first = runs[0];
  if (!first) return '';
  const pair = (a: AckStats, b: AckStats) =>
    `${fmt(a.p50Ms, 1)} / ${fmt(a.p99Ms, 1)} | ${fmt(b.p50Ms, 1)} / ${fmt(b.p99Ms, 1)}`;
  const burstRatios = runs.map((r) => r.p99Ratio);
  const steadyRatios = runs.map((r) => r.steady.p99Ratio);
  const atMost = (x: number) => x <= 1.5;
  const roundRatios = runs.flatMap((r) => r.perRound.map((x) => x.product.p99Ms / x.bare.p99Ms));
  const s = first.steady;
  return [
    '| run | bursts: vod-ops p50 / p99 (ms) | bare p50 / p99 (ms) | p99 ratio | steady: vod-ops p50 / p99 (ms) | bare p50 / p99 (ms) | p99 ratio | non-200 | requests posted | server CPU per command, bursts / steady (ms) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(
      (r, i) =>
        `| ${i + 1} | ${pair(r.product, r.bare)} | ${fmt(r.p99Ratio, 2)} | ${pair(r.steady.product, r.steady.bare)} | ` +
        `${fmt(r.steady.p99Ratio, 2)} | ${r.product.non200 + r.steady.product.non200} | ${r.requestsPosted} of ${r.productCommands} | ` +
        `${fmt(r.product.cpuMsPerCommand, 2)} / ${fmt(r.steady.product.cpuMsPerCommand, 2)} |`,
    ),
    '',
    `Each run: ${first.rounds} bursts of ${first.concurrency} concurrent commands per app (${first.product.samples} ` +
      `measured per app), then steady traffic, ${s.ratePerSecond} commands a second for ${s.seconds} s, ` +
      `${s.segments} segments per app (${s.product.samples} measured per app); the emulator holds every answer ` +
      `${first.emulatorLatencyMs} ms. A run's p99 ratio is vod-ops' p99 over all its samples ÷ the bare app's.`,
    '',
    `- Bursts, p99 ratio min / median / max over ${runs.length} runs: **${spread(burstRatios, 2)}**; target (at most ` +
      `1.5, no non-200, every request posted): ${verdict(burstRatios, atMost, runs.map(runClean))}. A single ` +
      `round's p99 ratio (50 commands, so its p99 is its slowest but one) ranged ${spread(roundRatios, 2)}.`,
    `- Steady traffic, p99 ratio: **${spread(steadyRatios, 2)}**; the same target: ` +
      `${verdict(steadyRatios, atMost, runs.map(runClean))}.`,
    `- A burst's requests were all posted ${spread(
      runs.map((r) => r.workDoneP50Seconds),
      2,
    )} s (median round of each ` +
      `run) after its first POST; ${runs.reduce((n, r) => n + r.emulatorCalls, 0)} VOD calls reached the emulator in all.`,
  ].join('\n');
}
