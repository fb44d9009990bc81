import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * Slack's Socket Mode side, locally: the app connects (to the URL `apps.connections.open` returned), gets
 * `hello`, and receives envelopes that it must acknowledge with their `envelope_id`, optionally with a
 * response payload, as Slack's servers do.
 * @see https://api.slack.com/apis/socket-mode
 */
export interface FakeSocketMode {
  url: string;
  /** Resolves when an app is connected and greeted. */
  connected(timeoutMs?: number): Promise<void>;
  /** Sends an envelope and resolves with the app's acknowledgement payload. */
  send(
    type: 'slash_commands' | 'interactive',
    payload: object,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  let socket: WebSocket | undefined;
  const acks = new Map<string, (payload: Record<string, unknown>) => void>();
  let greeted: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    greeted = resolve;
  });
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (message.envelope_id) acks.get(message.envelope_id)?.(message.payload ?? {});
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FAKEAPP' } }));
    greeted();
  });
  const { port } = server.address() as AddressInfo;
  const within = <T>(promise: Promise<T>, ms: number, what: string) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)),
    ]);
  return {
    url: `ws://127.0.0.1:${port}/link`,
    connected: (timeoutMs = 5000) => within(ready, timeoutMs, 'Socket Mode connection'),
    send(type, payload, timeoutMs = 5000) {
      const envelopeId = randomUUID();
      const acked = new Promise<Record<string, unknown>>((resolve) => acks.set(envelopeId, resolve));
      socket?.send(
        JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true }),
      );
      return within(acked, timeoutMs, `ack of ${type}`);
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
