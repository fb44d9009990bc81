import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, spawnCli } from '../helpers/run-cli.js';

describe('vod-ops serve', () => {
  it('runs in sandbox mode without Slack settings, says what is missing, answers /healthz and stops on SIGTERM', async () => {
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
