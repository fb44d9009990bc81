import pg from 'pg';
import { openStore } from '../src/core/store/open-store.js';
import { ACTION_CAMPAIGN_APPROVE } from '../src/slack/campaign-blocks.js';
import { CAMPAIGN_PROGRESS_EVERY_MS } from '../src/slack/campaign-progress.js';
import { type FakeSlackCall, startFakeSlack } from '../test/helpers/fake-slack.js';
import { runCli } from '../test/helpers/run-cli.js';
import { blockActionPayload, postInteraction } from '../test/helpers/slack-request.js';
import { startEmulatorChild } from './emulator-child.js';
import { type ServeReplica, startServeReplica } from './serve-replica.js';
import { fmt, median, spread, verdict } from './stats.js';
import { BENCH_KEY } from './vod-setup.js';

const DELETE_STREAM_QPS = 50;
const REPLICAS = 2;
const SIGNING_SECRET = 'bench-signing-secret-0000000000000';
const CHANNEL = 'C0VIDEOOPS';
const APPROVER = 'U0BOB';
const MINUTE = 60_000;
/** Tier 3, chat.update's limit per workspace: "50+ a minute". */
const TIER_3_PER_MINUTE = 50;
/** A quiet interval after the campaign completed, in which nothing more should be sent for its message. */
const AFTER_MS = CAMPAIGN_PROGRESS_EVERY_MS;
/**
 * The start's updates showing the campaign running come back to back (the approval's update, finding it already
 * running, sends again; the start's own follows through the same queue), within this of the first.
 */
const START_UPDATES_MS = 1_000;

/** Calls in the run: how many, per minute on average, and the most in any sliding 60 s. */
export interface CallRate {
  count: number;
  perMinute: number;
  busiestMinute: number;
}

export interface SlackProgressResult {
  items: number;
  replicas: number;
  progressEveryMs: number;
  /** From the signed approval click to the message's update showing the campaign completed. */
  durationMs: number;
  /** The campaign ran (first update showing it running to the one showing it completed). */
  runningMs: number;
  deleted: number;
  failed: number;
  /** Every update of the campaign's message in the run: status changes and progress. */
  messageUpdates: CallRate;
  /** Updates showing it running within `START_UPDATES_MS` of the first: the start's, not the progress pass's. */
  startUpdates: number;
  /** The other updates showing it running: the progress pass's. */
  progress: CallRate & {
    byReplica: number[];
    gapsMs: number[];
    /** Intervals (of the progress shown, "as of") with more than one progress update: the ledger let two through. */
    doubledIntervals: number;
    /** The most progress updates in any 60 s, leaving out the one of the interval the campaign started in. */
    afterStartBusiestMinute: number;
  };
  /** Updates of its message in the interval after it completed. */
  updatesAfterCompletion: number;
  chatUpdates: CallRate;
  webApi: CallRate & { byMethod: Record<string, number> };
  /** The baseline: one update per settled item, counted from the emulator's accepted DeleteStream calls. */
  settled: CallRate;
  /** Lines the replicas wrote to stderr once serving (at log level error: failures). */
  replicaErrors: number;
}

/**
 * A clean-up campaign of `items` items (one DeleteStream each) run by two `vod-ops serve` replicas (the built CLI,
 * each its own process) on one PostgreSQL store, against the emulator (its own process) enforcing 50 DeleteStream
 * calls a second, with Slack configured against the fake Slack Web API in this process, which records every call
 * and when it came. The campaign is planned with `vod-ops cleanup plan`, posted by a replica, and approved by a
 * signed click; every Web API call from then until its message shows it completed is counted.
 */
export async function benchSlackProgress(items: number, databaseUrl: string): Promise<SlackProgressResult> {
  const bulk = { videos: items, streamsPerVideo: 3, seed: `slack-progress-${items}` };
  const emulator = await startEmulatorChild({
    credentials: [BENCH_KEY],
    bulk,
    qpsLimits: { DeleteStream: DELETE_STREAM_QPS },
  });
  const schema = `vodops_bench_progress_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const withSchema = new URL(databaseUrl);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  const fake = await startFakeSlack();
  const store = await openStore({ kind: 'postgres', connectionString: withSchema.toString() });
  const replicas: ServeReplica[] = [];
  let seen: Awaited<ReturnType<typeof emulator.stop>> | undefined;
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
      ALIBABA_CLOUD_ACCESS_KEY_ID: BENCH_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret,
      DATABASE_URL: withSchema.toString(),
      VOD_ENDPOINT: emulator.endpoint,
      VOD_OPS_LOG_LEVEL: 'error',
      VOD_OPS_APPROVERS: APPROVER,
      VOD_OPS_APPROVAL_CHANNEL: CHANNEL,
    };
    // Each video has LD, SD and HD mp4 streams: its LD one is an item (the guard keeps a playable stream).
    const plan = await runCli(
      ['cleanup', 'plan', '--definition', 'LD', '--reason', 'bench: LD renditions nobody plays', '--json'],
      env,
    );
    if (plan.code !== 0) throw new Error(`bench: vod-ops cleanup plan failed: ${plan.stderr}`);
    const { id } = JSON.parse(plan.stdout) as { id: string };

    const slackEnv = { ...env, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url };
    // A token of its own per replica: the fake records which replica made each call.
    const tokens = Array.from({ length: REPLICAS }, (_, i) => `xoxb-bench-replica-${i + 1}`);
    replicas.push(
      ...(await Promise.all(
        tokens.map((token) => startServeReplica({ ...slackEnv, SLACK_BOT_TOKEN: token })),
      )),
    );
    const posted = await fake.waitFor(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks).includes(`"value":"${id}"`),
      60_000,
    );
    const ts = String(posted.answer?.ts);
    // A click is checked against the message recorded for the campaign: wait until it is.
    for (let i = 0; !(await store.getCampaign(id))?.announcement?.ref; i++) {
      if (i > 400) throw new Error('bench: the campaign’s message was never recorded');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    const approvedAt = Date.now();
    const click = await postInteraction(
      replicas[0]!.url,
      SIGNING_SECRET,
      blockActionPayload({
        userId: APPROVER,
        requestId: id,
        actionId: ACTION_CAMPAIGN_APPROVE,
        channel: CHANNEL,
        messageTs: ts,
        responseUrl: fake.responseUrl('approve'),
      }),
    );
    if (click.status !== 200) throw new Error(`bench: the approval click was answered ${click.status}`);
    const ofMessage = (c: FakeSlackCall) => c.method === 'chat.update' && c.body.ts === ts;
    const done = await fake.waitFor(
      (c) => ofMessage(c) && statusShown(c) === 'completed',
      (items / (DELETE_STREAM_QPS * 0.8)) * 1000 + 120_000,
    );
    await new Promise((resolve) => setTimeout(resolve, AFTER_MS));
    const replicaErrors = replicas
      .map((r) => r.laterOutput())
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '');
    for (const line of replicaErrors.slice(0, 5)) process.stderr.write(`bench: a replica logged: ${line}\n`);
    await Promise.all(replicas.splice(0).map((r) => r.stop()));
    const counts = await store.countItems(id);
    seen = await emulator.stop();

    const inRun = fake.calls.filter((c) => c.at >= approvedAt && c.at <= done.at);
    const updates = inRun.filter(ofMessage);
    const running = updates.filter((c) => statusShown(c) === 'running');
    const progress = running.filter((c) => c.at - running[0]!.at > START_UPDATES_MS);
    const intervals = progress.map((c) => Math.floor(progressShownAt(c) / CAMPAIGN_PROGRESS_EVERY_MS));
    const startInterval = Math.floor(progressShownAt(running[0]!) / CAMPAIGN_PROGRESS_EVERY_MS);
    const runningMs = running[0] ? done.at - running[0].at : 0;
    const chatUpdates = inRun.filter((c) => c.method === 'chat.update');
    const byMethod: Record<string, number> = {};
    for (const call of inRun) byMethod[call.method] = (byMethod[call.method] ?? 0) + 1;
    const accepted = [...seen.deletesAcceptedAt].sort((a, b) => a - b);
    const durationMs = done.at - approvedAt;
    return {
      items,
      replicas: REPLICAS,
      progressEveryMs: CAMPAIGN_PROGRESS_EVERY_MS,
      durationMs,
      runningMs,
      deleted: counts.deleted.items,
      failed: counts.failed.items,
      startUpdates: running.length - progress.length,
      messageUpdates: rate(
        updates.map((c) => c.at),
        durationMs,
      ),
      progress: {
        ...rate(
          progress.map((c) => c.at),
          runningMs,
        ),
        byReplica: tokens.map((token) => progress.filter((c) => c.token === token).length),
        gapsMs: progress.slice(1).map((c, i) => c.at - progress[i]!.at),
        doubledIntervals: intervals.length - new Set(intervals).size,
        afterStartBusiestMinute: rate(
          progress.filter((_, i) => intervals[i] !== startInterval).map((c) => c.at),
          runningMs,
        ).busiestMinute,
      },
      updatesAfterCompletion: fake.calls.filter((c) => ofMessage(c) && c.at > done.at).length,
      chatUpdates: rate(
        chatUpdates.map((c) => c.at),
        durationMs,
      ),
      webApi: {
        ...rate(
          inRun.map((c) => c.at),
          durationMs,
        ),
        byMethod,
      },
      settled: rate(accepted, (accepted.at(-1) ?? 0) - (accepted[0] ?? 0)),
      replicaErrors: replicaErrors.length,
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    if (seen === undefined) await emulator.stop();
    await store.close();
    await fake.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

/** The status a campaign message shows, from its fallback text ("Clean-up campaign cp-…: running (…)"). */
function statusShown(call: FakeSlackCall): string | undefined {
  return /Clean-up campaign \S+: (\w+)/.exec(String(call.body.text ?? ''))?.[1];
}

/** When the progress a message shows was read (its "as of", which Slack renders from `<!date^seconds^…>`), in ms. */
function progressShownAt(call: FakeSlackCall): number {
  return 1000 * Number(/as of <!date\^(\d+)\^/.exec(JSON.stringify(call.body.blocks))?.[1] ?? Number.NaN);
}

/** `times` (ms) over `spanMs`: how many, per minute on average, and the most in any 60 s starting at one of them. */
function rate(times: readonly number[], spanMs: number): CallRate {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && sorted[j]! < sorted[i]! + MINUTE) j++;
    busiest = Math.max(busiest, j - i);
  }
  return {
    count: sorted.length,
    perMinute: spanMs > 0 ? (sorted.length * MINUTE) / spanMs : 0,
    busiestMinute: busiest,
  };
}

/** A run met its conditions: the campaign completed with every item deleted, and its message stayed as completed. */
const runClean = (r: SlackProgressResult) =>
  r.deleted === r.items && r.failed === 0 && r.updatesAfterCompletion === 0 && r.replicaErrors === 0;

export function slackProgressMarkdown(runs: readonly SlackProgressResult[]): string {
  const first = runs[0];
  if (!first) return '';
  const pair = (r: CallRate) => `${fmt(r.perMinute, 1)} / ${r.busiestMinute}`;
  const progressCap = MINUTE / first.progressEveryMs;
  const halfTier3 = TIER_3_PER_MINUTE / 2;
  const laterGaps = runs.flatMap((r) => r.progress.gapsMs.slice(1));
  const over = (pick: (r: SlackProgressResult) => number, digits = 0) => spread(runs.map(pick), digits);
  const methods = (r: SlackProgressResult) =>
    Object.entries(r.webApi.byMethod)
      .map(([method, n]) => `${method} ${n}`)
      .join(', ');
  return [
    '| run | items deleted / failed | run (s) | baseline: items settled a minute, mean / busiest 60 s | campaign message, all updates: mean / busiest 60 s (count) | of which progress: mean / busiest 60 s (count) | progress by replica 1 / 2 | intervals with two progress updates | all chat.update: mean / busiest 60 s | all Web API calls: mean / busiest 60 s (by method) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...runs.map(
      (r, i) =>
        `| ${i + 1} | ${r.deleted} / ${r.failed} | ${fmt(r.durationMs / 1000, 1)} | ${pair(r.settled)} | ` +
        `${pair(r.messageUpdates)} (${r.messageUpdates.count}) | ${pair(r.progress)} (${r.progress.count}) | ` +
        `${r.progress.byReplica.join(' / ')} | ${r.progress.doubledIntervals} | ${pair(r.chatUpdates)} | ` +
        `${pair(r.webApi)} (${methods(r)}) |`,
    ),
    '',
    `Each run: a campaign of ${first.items} items, ${first.replicas} replicas, progress every ` +
      `${first.progressEveryMs / 1000} s (the default of \`slackProgressEveryMs\`). A minute's mean is over the run ` +
      "(from the approval click to the update showing the campaign completed), progress's over the time the " +
      'message showed it running; "busiest 60 s" is the most calls in any 60 s starting at one of them.' +
      (runs.some((r) => r.durationMs < MINUTE)
        ? ' **Runs shorter than a minute (a quick size)**: their busiest 60 s is the whole run, and a mean a ' +
          'minute extrapolates a handful of updates.'
        : ''),
    '',
    `- Progress updates of the campaign, busiest 60 s, min / median / max over ${runs.length} runs: ` +
      `**${over((r) => r.progress.busiestMinute)}**, mean a minute **${over((r) => r.progress.perMinute, 2)}**; ` +
      `target (at most ${progressCap} in any 60 s, every item deleted, nothing sent after completion, no replica ` +
      `error): ${verdict(
        runs.map((r) => r.progress.busiestMinute),
        (n) => n <= progressCap,
        runs.map(runClean),
      )}. Leaving out the update of the interval the campaign started in: busiest 60 s ` +
      `**${over((r) => r.progress.afterStartBusiestMinute)}**, ${verdict(
        runs.map((r) => r.progress.afterStartBusiestMinute),
        (n) => n <= progressCap,
        runs.map(runClean),
      )}. Time from each run's first progress update to its second: ` +
      `${over((r) => (r.progress.gapsMs[0] ?? Number.NaN) / 1000, 2)} s; every later gap, all runs: min ` +
      `${fmt(Math.min(...laterGaps) / 1000, 2)} s, median ${fmt(median(laterGaps) / 1000, 2)} s, max ` +
      `${fmt(Math.max(...laterGaps) / 1000, 2)} s. Besides progress, the start ` +
      `sent ${over((r) => r.startUpdates)} updates showing the campaign running, and ` +
      `${over((r) => r.messageUpdates.count - r.startUpdates - r.progress.count)} other status changes ` +
      `(approved, completed).`,
    `- Every chat.update of the app, busiest 60 s: **${over((r) => r.chatUpdates.busiestMinute)}** against ` +
      `Tier 3's ~${TIER_3_PER_MINUTE} a minute per workspace; target (at most half of it, ${halfTier3}): ` +
      `${verdict(
        runs.map((r) => r.chatUpdates.busiestMinute),
        (n) => n <= halfTier3,
      )}.`,
    `- Baseline, one update per settled item: **${over((r) => r.settled.perMinute)}** a minute (busiest 60 s ` +
      `${over((r) => r.settled.busiestMinute)}), ${over((r) => r.settled.perMinute / TIER_3_PER_MINUTE)} times ` +
      `Tier 3; the progress pass sends ${over((r) => r.settled.perMinute / r.progress.perMinute)} times fewer.`,
  ].join('\n');
}
