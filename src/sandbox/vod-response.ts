import type { EmulatorFault } from './fault-queue.js';

/** A complete HTTP answer, ready to be written. */
export interface EmulatorReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The Alibaba error code, for the call log. */
  readonly code?: string;
}

export interface ErrorReplyOptions {
  readonly requestId: string;
  readonly region: string;
  readonly httpStatus: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const JSON_TYPE = 'application/json;charset=utf-8';

export const API_NOT_FOUND = 'Specified api is not found, please check your url and method.';
export const FLOW_CONTROLLED = 'Request was denied due to user flow control.';

/** A 200 JSON answer carrying the request ID header, as VOD sends it. */
export function jsonReply(requestId: string, body: unknown): EmulatorReply {
  return {
    status: 200,
    headers: { 'content-type': JSON_TYPE, 'x-acs-request-id': requestId },
    body: JSON.stringify(body),
  };
}

/**
 * An Alibaba error answer: JSON `{RequestId, HostId, Code, Message, Recommend}` where HostId is the endpoint host
 * and Recommend points at the API troubleshooting page for the code and request.
 */
export function errorReply(options: ErrorReplyOptions): EmulatorReply {
  const { requestId, code } = options;
  return {
    status: options.httpStatus,
    headers: { 'content-type': JSON_TYPE, 'x-acs-request-id': requestId, ...options.headers },
    body: JSON.stringify({
      RequestId: requestId,
      HostId: vodHost(options.region),
      Code: code,
      Message: options.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Vod&requestId=${requestId}`,
    }),
    code,
  };
}

/** The page a load balancer serves when the service behind it is unreachable: not JSON, no request ID. */
function gatewayPageReply(): EmulatorReply {
  return {
    status: 502,
    headers: { 'content-type': 'text/html' },
    body:
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
      '<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n',
  };
}

function vodHost(region: string): string {
  return `vod.${region}.aliyuncs.com`;
}

/**
 * The answer of a fault that replies at once without acting: DeleteStreamFailed (503), Throttling (400
 * Throttling.User, with `x-acs-retry-after` when a delay is given), InternalError (500) or a gateway page (502).
 */
export function faultReply(
  kind: Extract<EmulatorFault['kind'], 'DeleteStreamFailed' | 'Throttling' | 'InternalError' | 'html502'>,
  retryAfterMs: number | undefined,
  origin: { readonly requestId: string; readonly region: string },
): EmulatorReply {
  switch (kind) {
    case 'DeleteStreamFailed':
      return errorReply({
        ...origin,
        httpStatus: 503,
        code: 'DeleteStreamFailed',
        message: 'Failed to delete the stream. Please try again later.',
      });
    case 'Throttling':
      return errorReply({
        ...origin,
        httpStatus: 400,
        code: 'Throttling.User',
        message: FLOW_CONTROLLED,
        headers: retryAfterMs === undefined ? undefined : { 'x-acs-retry-after': `${retryAfterMs}` },
      });
    case 'InternalError':
      return errorReply({
        ...origin,
        httpStatus: 500,
        code: 'InternalError',
        message: 'The request processing has failed due to some unknown error.',
      });
    case 'html502':
      return gatewayPageReply();
  }
}
