import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { signSlackBody } from '../test/helpers/slack-request.js';

/**
 * Plays Slack for bench/slack-ack.ts in a process of its own, as Slack is another machine: the server's
 * process then does only server work, and a response is timed when it arrives here, not when the server's
 * event loop lets a client in the same process read it. Reads one burst per stdin line,
 * `{"url","secret","commands":[{"text","userId","channelId","responseUrl"}]}`, sends all of its `/vod` commands
 * at once, form-encoded and signed as Slack does, each on a connection of its own (so no burst depends on
 * whether the server kept an idle connection open since the last), and prints `[{"ms","status"}]`: each time
 * from signing the POST to the end of its response. With `spacingMs`, the commands go out one every `spacingMs`
 * instead (steady traffic), each timed the same way, without waiting for the answers before sending the next.
 */
interface Burst {
  url: string;
  secret: string;
  spacingMs?: number;
  commands: Array<{ text: string; userId: string; channelId: string; responseUrl: string }>;
}

for await (const line of createInterface({ input: process.stdin })) {
  const burst = JSON.parse(line) as Burst;
  const start = performance.now();
  const times = await Promise.all(
    burst.commands.map(async (command, i) => {
      if (burst.spacingMs) await sleepUntil(start + i * burst.spacingMs);
      return timedPost(
        burst.url,
        burst.secret,
        new URLSearchParams({
          command: '/vod',
          text: command.text,
          user_id: command.userId,
          user_name: `user-${command.userId.toLowerCase()}`,
          channel_id: command.channelId,
          channel_name: 'video-ops',
          team_id: 'T0TEST',
          team_domain: 'fake-workspace',
          api_app_id: 'A0TESTAPP',
          trigger_id: `${Date.now()}.${i}.bench`,
          response_url: command.responseUrl,
        }).toString(),
      );
    }),
  );
  process.stdout.write(`${JSON.stringify(times)}\n`);
}

/** Waits until `at` (performance.now() time): a timer per command, so one late command does not delay the next. */
function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
}

function timedPost(url: string, secret: string, body: string): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const headers = signSlackBody(secret, body, Math.floor(Date.now() / 1000));
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/slack/events`,
      { method: 'POST', agent: false, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
