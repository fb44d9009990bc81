import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../helpers/demo.js';
import { startFakeSlack } from '../helpers/fake-slack.js';
import { cliEnv, runCli, spawnCli } from '../helpers/run-cli.js';
import { postSlashCommand } from '../helpers/slack-request.js';

describe('vod-ops serve', () => {
  it('runs in sandbox mode without Slack settings, says what is missing, answers the probes and stops on SIGTERM', async () => {
    const child = spawnCli(['serve', '--sandbox', '--port', '0'], cliEnv());
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const match = /vod-ops serving on (http:\/\/\S+)/.exec(stderr);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
    });
    expect(stderr).toMatch(/Slack is not configured.*SLACK_BOT_TOKEN/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      sandbox: true,
      slack: 'off',
      mcp: 'off',
      store: 'memory',
    });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    child.kill('SIGTERM');
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
  });

  it('refuses to start without Alibaba credentials unless --sandbox, saying how to fix it', async () => {
    const result = await runCli(['serve', '--port', '0'], cliEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No Alibaba Cloud credentials were found.*--sandbox/);
  });
});

/** Starts `vod-ops serve` and resolves with its URL once it serves, with what it wrote to stderr so far. */
async function startServe(env: NodeJS.ProcessEnv, args: string[] = []) {
  const child = spawnCli(['serve', '--sandbox', '--port', '0', ...args], env);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', () => {
      const match = /vod-ops serving on (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr };
}

describe('vod-ops serve: start and stop', () => {
  it.each([
    ['VOD_MAX_QPS', 'abc', /VOD_MAX_QPS="abc" is not valid/],
    ['VOD_TIMEOUT_MS', '-1', /VOD_TIMEOUT_MS="-1" is not valid/],
    ['VOD_MAX_ATTEMPTS', '0', /VOD_MAX_ATTEMPTS="0" is not valid/],
    ['VOD_OPS_MCP_TOKENS', 'alice=short', /VOD_OPS_MCP_TOKENS takes name=token pairs/],
    ['VOD_OPS_MCP_APPROVAL', 'yolo', /VOD_OPS_MCP_APPROVAL="yolo" is not valid/],
    [
      'VOD_OPS_AUDIT_WEBHOOK_URL',
      'http://siem.example.com/h',
      /VOD_OPS_AUDIT_WEBHOOK_URL sends .* plain http/,
    ],
    ['VOD_OPS_AUDIT_WEBHOOK_URL', 'https://siem.example.com/h', /VOD_OPS_AUDIT_WEBHOOK_SECRET is not set/],
  ])('with --sandbox and a bad %s, says what is wrong and exits 2 at once', async (name, value, message) => {
    const result = await runCli(['serve', '--sandbox', '--port', '0'], cliEnv({ [name]: value }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('lets the other commands run with a bad webhook setting, which only serve uses', async () => {
    const env = cliEnv({ VOD_OPS_AUDIT_WEBHOOK_URL: 'http://siem.example.com/h' });
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const audit = await runCli(['audit', '--json'], env);
    expect(audit.stderr).not.toMatch(/VOD_OPS_AUDIT_WEBHOOK/);
    expect(audit.code).toBe(0);
    const serve = await runCli(['serve', '--sandbox', '--port', '0'], env);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toMatch(/VOD_OPS_AUDIT_WEBHOOK_URL sends .* plain http/);
  });

  it('refuses to start when Slack refuses the bot token, saying which setting to fix', async () => {
    const slack = await startFakeSlack({ errors: { 'auth.test': 'invalid_auth' } });
    try {
      const result = await runCli(
        ['serve', '--sandbox', '--port', '0'],
        cliEnv({ SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.url }),
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /Slack refused SLACK_BOT_TOKEN \(invalid_auth\): set it to the app's bot token/,
      );
    } finally {
      await slack.close();
    }
  });

  it('stays live but is not ready while Slack has not taken the bot token, and one SIGTERM stops it', async () => {
    // A Slack that takes connections and never answers: the hardest to stop for.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const secret = 'slack-signing-secret-for-serve-tests';
    const served = await startServe(
      cliEnv({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
        VOD_OPS_APPROVERS: 'U0BOB',
      }),
    );
    try {
      // A command whose approval message cannot be posted: a Slack call left hanging.
      const ack = await postSlashCommand(served.url, secret, {
        text: `delete-stream ${DEMO.keynote} ${DEMO.keynoteLd} stale`,
        user_id: 'U0RITA',
        channel_id: 'C0APPROVALS',
        response_url: `http://127.0.0.1:${port}/response/x`,
      });
      expect(ack.status).toBe(200);
      // Liveness: the process serves, whatever Slack does; a restart would not bring Slack back.
      const health = await fetch(`${served.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', slack: 'http' });
      // Readiness: Slack has never said it takes the token.
      const ready = await fetch(`${served.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'unavailable',
        reason: expect.stringMatching(/^Slack has not taken the bot token yet/),
      });
      served.child.kill('SIGTERM');
      const [code] = await once(served.child, 'close');
      expect(code).toBe(0);
    } finally {
      served.child.kill('SIGKILL');
      silent.closeAllConnections();
      silent.close();
    }
  }, 40_000);

  it('logs a failed Slack call with its method, Slack’s code and what to do', async () => {
    const slack = await startFakeSlack({ errors: { 'chat.postMessage': 'not_in_channel' } });
    const secret = 'slack-signing-secret-for-serve-tests';
    const served = await startServe(
      cliEnv({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: slack.url,
        VOD_OPS_APPROVERS: 'U0BOB',
      }),
    );
    try {
      await postSlashCommand(served.url, secret, {
        text: `delete-stream ${DEMO.keynote} ${DEMO.keynoteLd} stale`,
        user_id: 'U0RITA',
        channel_id: 'C0APPROVALS',
        response_url: slack.responseUrl('r'),
      });
      const told = await slack.waitForResponse((r) => r.id === 'r');
      expect(String(told.body.text)).toMatch(
        /could not post the request in <#C0APPROVALS> \(not_in_channel\)/,
      );
      for (let i = 0; i < 50 && !served.stderr().includes('"method":"chat.postMessage"'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const line = served
        .stderr()
        .split('\n')
        .find((l) => l.includes('"method":"chat.postMessage"'));
      expect(JSON.parse(line ?? '{}')).toMatchObject({
        method: 'chat.postMessage',
        error: 'not_in_channel',
        hint: expect.stringMatching(/invite the app to the channel/),
        channel: 'C0APPROVALS',
      });
    } finally {
      served.child.kill('SIGTERM');
      await once(served.child, 'close');
      await slack.close();
    }
  });
});
