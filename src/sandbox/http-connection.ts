import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** True while an answer can still be written: not yet ended, and the client has not gone away. */
export function isConnected(res: ServerResponse): boolean {
  return !res.writableEnded && res.socket !== null && !res.socket.destroyed;
}

/**
 * Holds a response for `ms` (or, when undefined, until the client gives up) without answering. Resolves true if
 * the client is still connected at the end, false as soon as the connection closes or `signal` aborts, so held
 * requests never outlive the server.
 */
export function holdResponse(
  res: ServerResponse,
  ms: number | undefined,
  signal: AbortSignal,
): Promise<boolean> {
  if (!isConnected(res) || signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (elapsed: boolean): void => {
      clearTimeout(timer);
      res.off('close', onGone);
      signal.removeEventListener('abort', onGone);
      resolve(elapsed && isConnected(res));
    };
    const onGone = (): void => finish(false);
    res.once('close', onGone);
    signal.addEventListener('abort', onGone, { once: true });
    if (ms !== undefined) timer = setTimeout(() => finish(true), ms);
  });
}

/** Reads the whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The first value of a header, from either `headers` or `headersDistinct`. */
export function firstHeader(
  headers: NodeJS.Dict<string[]> | IncomingHttpHeaders,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
