import type { RequestHandler } from 'express';

/**
 * Measures how long Slack waits for its answer: from a request reaching `POST /slack/events` to the response's
 * last byte handed to the network (`finish`), signature checks, Bolt and the listener's `ack()` included. Slack
 * shows the user an error past 3 s. Mounted in front of Bolt's receiver, in HTTP mode only.
 * @see https://docs.slack.dev/interactivity/handling-user-interaction#acknowledgment_response
 */
export function measureSlackAcks(
  observe: (seconds: number) => void,
  monotonic: () => number,
): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'POST') {
      const started = monotonic();
      res.once('finish', () => observe((monotonic() - started) / 1000));
    }
    next();
  };
}
