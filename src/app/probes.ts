import type { Application } from 'express';
import type { SlackReachability } from '../slack/slack-health.js';
import { StoreTooSlow, withinStoreDeadline } from './store-deadline.js';

export interface ProbeDeps {
  /** What `/healthz` says of the process, for people: the sandbox flag, the front ends and the store's kind. */
  info: Record<string, unknown>;
  /** The migrations this code knows that the store has not recorded; rejects when the store does not answer. */
  missingMigrations(): Promise<number[]>;
  /** When Slack is configured: its reachability and whether it has taken the bot token. */
  slack?: () => { reachability: SlackReachability; tokenAccepted: boolean };
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * The two probes of `vod-ops serve` (docs/operations.md, "Probes"):
 * - `GET /healthz`, liveness: 200 whenever the process serves HTTP. It never fails on the store, Alibaba or
 *   Slack, whose outages a restart cannot fix (and restarting every replica at once would make worse); its JSON
 *   says what the process runs and, for people, whether Slack answers.
 * - `GET /readyz`, readiness: 200 only when the store answers with every migration this code knows applied and,
 *   with Slack configured, Slack has taken the bot token and not refused it since; 503 with the reason otherwise.
 *   A Slack that stops answering after taking the token leaves replicas ready: it would fail them all at once,
 *   and the MCP server and the sweeper still work.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/probes/
 */
export function mountProbes(app: Application, deps: ProbeDeps): void {
  app.get('/healthz', (_req, res) => {
    const slack = deps.slack?.().reachability;
    res.json({
      status: 'ok',
      ...deps.info,
      ...(slack && slack.state !== 'ok' ? { slackState: slack.state } : {}),
    });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(deps);
    if (readiness.ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable', reason: readiness.reason });
  });
}

export async function checkReadiness(deps: Omit<ProbeDeps, 'info'>): Promise<Readiness> {
  const missing = await withinStoreDeadline(deps.missingMigrations()).catch((error: unknown) =>
    error instanceof StoreTooSlow ? error : ('down' as const),
  );
  if (missing === 'down') return { ready: false, reason: 'the store does not answer' };
  if (missing instanceof StoreTooSlow) return { ready: false, reason: missing.message };
  if (missing.length > 0) {
    return {
      ready: false,
      reason: `the store lacks migrations ${missing.join(', ')}: run vod-ops migrate`,
    };
  }
  const slack = deps.slack?.();
  if (slack && !slack.tokenAccepted) {
    const { reachability } = slack;
    return {
      ready: false,
      reason:
        reachability.state === 'refused'
          ? `Slack refuses the bot token (${reachability.code})`
          : reachability.state === 'unreachable'
            ? `Slack has not taken the bot token yet: it cannot be reached (${reachability.code})`
            : 'Slack has not taken the bot token yet: it has not answered',
    };
  }
  return { ready: true };
}
