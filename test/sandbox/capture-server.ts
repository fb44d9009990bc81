import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request exactly as it arrived on the wire: header names lowercase, duplicate headers as arrays. */
export interface CapturedRequest {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: Buffer;
}

/**
 * A bare HTTP server that records what the engine sends and answers `{"RequestId":"captured"}`, so a test can look at
 * (and replay) the signed request itself.
 */
export async function startCaptureServer(): Promise<{
  port: number;
  captured: CapturedRequest[];
  close(): Promise<void>;
}> {
  const captured: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string[]> = {};
      for (const [name, values] of Object.entries(req.headersDistinct)) if (values) headers[name] = values;
      captured.push({ method: req.method ?? '', url: req.url ?? '', headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"RequestId":"captured"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    captured,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Sends a captured request again, headers (including host) unchanged, to another port; resolves status and JSON. */
export function replay(
  captured: CapturedRequest,
  port: number,
  changes: { url?: string; headers?: IncomingHttpHeaders; body?: Buffer } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(captured.headers))
    headers[name] = values.length === 1 ? values[0]! : values;
  for (const [name, value] of Object.entries(changes.headers ?? {}))
    if (value !== undefined) headers[name] = value;
  const body = changes.body ?? captured.body;
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: captured.method,
        path: changes.url ?? captured.url,
        headers,
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
