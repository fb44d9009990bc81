/**
 * A `vod-ops` process planning one campaign, as `vod-ops cleanup plan` does (the product's runtime: its SQLite
 * store, the account-wide budgets, the planner), configured by the environment like the product. Reports over IPC
 * how long the plan took and the most memory the process held (RSS sampled every 50 ms), then exits.
 */
import { performance } from 'node:perf_hooks';
import { openRuntime } from '../src/app/runtime.js';
import { parseSelectionRule } from '../src/core/campaigns/selection-rule.js';

const runtime = await openRuntime({ sandbox: false, env: process.env });
let peakRss = process.memoryUsage().rss;
/** The largest of each part of the process's memory seen: where a growing RSS comes from. */
const peaks = { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sample = () => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  for (const key of Object.keys(peaks) as (keyof typeof peaks)[])
    peaks[key] = Math.max(peaks[key], usage[key]);
};
const sampler = setInterval(sample, 50);
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const campaign = await runtime.campaigns.plan({
  rule: parseSelectionRule({ streams: { status: ['Invisible'] } }, Date.now()),
  reason: 'bench: stale re-transcodes',
  requester: { source: 'cli', id: 'bench', displayName: 'bench' },
});
const ms = performance.now() - started;
clearInterval(sampler);
sample();
// What the planner still holds once it is done: with nothing retained this does not grow with the library.
(globalThis as { gc?: () => void }).gc?.();
const heapAfterGc = process.memoryUsage().heapUsed;
await runtime.close();
process.send?.({
  ms,
  rssBefore,
  peakRss,
  peaks,
  heapAfterGc,
  videosScanned: campaign.plan.totals.videosScanned,
  unreadable: campaign.plan.unreadable.videos,
  items: campaign.plan.items,
  streams: campaign.plan.totals.streams,
  status: campaign.status,
});
process.disconnect?.();
