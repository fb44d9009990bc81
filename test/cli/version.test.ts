import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DEMO } from '../helpers/demo.js';
import { cliEnv, runCli } from '../helpers/run-cli.js';
import { startCaptureServer } from '../sandbox/capture-server.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

it('prints package.json’s version with --version and -v', async () => {
  for (const flag of ['--version', '-v']) {
    const result = await runCli([flag], cliEnv());
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  }
});

it('names package.json’s version in the User-Agent of its VOD calls', async () => {
  const capture = await startCaptureServer();
  try {
    await runCli(
      ['streams', DEMO.keynote],
      cliEnv({
        VOD_ENDPOINT: `http://127.0.0.1:${capture.port}`,
        VOD_MAX_ATTEMPTS: '1',
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAItestkey000001',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test-secret-not-real',
      }),
    );
    expect(capture.captured.length).toBeGreaterThan(0);
    for (const request of capture.captured) {
      expect(request.headers['user-agent']?.join(' ')).toContain(`vod-ops/${VERSION}`);
    }
  } finally {
    await capture.close();
  }
});
