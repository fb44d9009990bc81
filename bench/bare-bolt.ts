import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import express from 'express';

export interface BareBolt {
  url: string;
  close(): Promise<void>;
}

/**
 * The baseline of bench/slack-ack.ts: a Bolt 5 app whose `/vod` listener only acknowledges, mounted as vod-ops
 * mounts its own (ExpressReceiver at `POST /slack/events` on an Express app served by node:http), so a comparison
 * with vod-ops measures what vod-ops' listener does and nothing else. Its Web API client only calls `auth.test`.
 * @see https://tools.slack.dev/bolt-js/concepts/receiver
 */
export async function startBareBolt(options: {
  signingSecret: string;
  slackApiUrl: string;
}): Promise<BareBolt> {
  const app = express();
  app.disable('x-powered-by');
  const bolt = new App({
    token: 'xoxb-bench',
    clientOptions: { slackApiUrl: options.slackApiUrl },
    logLevel: LogLevel.ERROR,
    receiver: new ExpressReceiver({
      signingSecret: options.signingSecret,
      endpoints: '/slack/events',
      app,
      logLevel: LogLevel.ERROR,
    }),
  });
  bolt.command('/vod', async function onVodCommand({ ack }) {
    await ack();
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
