import { neverThrowing, type Telemetry } from '../../core/telemetry.js';
import { VOD_ACTIONS } from '../../core/vod/alibaba-vod.js';
import type { McpTelemetry } from '../../mcp/deps.js';
import type { SlackTelemetry } from '../../slack/deps.js';
import type { Metrics } from './registry.js';

/** Everything a serving process observes: core's, the Slack app's, the MCP server's, and the composition root's. */
export interface ServiceTelemetry extends Telemetry, SlackTelemetry, McpTelemetry {
  /** A VOD adapter for `region` exists: its calls' series are exported at 0 before its first call. */
  vodRegion(region: string): void;
  /** One call of a store port's method (`operation`), timed by the composition root (timed-store.ts). */
  storeOperation(operation: { operation: string; outcome: 'ok' | 'error'; seconds: number }): void;
  /** One Slack request answered at POST /slack/events (slack-ack.ts). */
  slackAck(ack: { seconds: number }): void;
}

/** Label values are bounded vocabularies already; this only keeps a surprise from growing a label without end. */
const bounded = (value: string) => value.slice(0, 64);

/** The `Telemetry` of a serving process, on its Prometheus metrics (registry.ts). */
export function createPromTelemetry(metrics: Metrics): ServiceTelemetry {
  for (const outcome of ['succeeded', 'failed']) {
    metrics.executions.inc({ outcome }, 0);
    metrics.executionSeconds.zero({ outcome });
  }
  for (const outcome of ['deleted', 'skipped', 'failed']) metrics.campaignItems.inc({ outcome }, 0);
  for (const outcome of ['approved', 'rejected', 'expired', 'cancelled'])
    metrics.decisionSeconds.zero({ outcome });
  // prom-client throws on a value it cannot take (NaN, an unknown label): dropped, never the caller's failure.
  return neverThrowing<ServiceTelemetry>({
    vodRegion(region) {
      for (const action of VOD_ACTIONS) {
        metrics.vodCalls.inc({ region, action, outcome: 'ok', code: 'none' }, 0);
        metrics.vodCallSeconds.zero({ region, action, outcome: 'ok' });
        metrics.vodThrottled.inc({ region, action }, 0);
        metrics.rateWaitSeconds.zero({ region, action });
      }
    },
    vodCall({ region, action, outcome, code, seconds }) {
      metrics.vodCalls.inc({ region, action, outcome, code: bounded(code) });
      metrics.vodCallSeconds.observe({ region, action, outcome }, seconds);
    },
    vodThrottled({ region, action }) {
      metrics.vodThrottled.inc({ region, action });
    },
    rateWait({ region, action, seconds }) {
      metrics.rateWaitSeconds.observe({ region, action }, seconds);
    },
    requestDecided({ outcome, seconds }) {
      metrics.decisionSeconds.observe({ outcome }, seconds);
    },
    requestExecuted({ outcome, seconds }) {
      metrics.executions.inc({ outcome });
      metrics.executionSeconds.observe({ outcome }, seconds);
    },
    campaignItem({ outcome }) {
      metrics.campaignItems.inc({ outcome });
    },
    auditDelivery({ outcome, events }) {
      metrics.auditDeliveries.inc({ outcome });
      if (outcome === 'delivered') metrics.auditEventsDelivered.inc(events);
    },
    slackApiError({ method, code }) {
      metrics.slackApiErrors.inc({ method: bounded(method), code: bounded(code) });
    },
    mcpToolCall({ tool, outcome, seconds }) {
      metrics.mcpToolCalls.inc({ tool: bounded(tool), outcome });
      metrics.mcpToolSeconds.observe({ tool: bounded(tool) }, seconds);
    },
    storeOperation({ operation, outcome, seconds }) {
      metrics.storeSeconds.observe({ operation, outcome }, seconds);
    },
    slackAck({ seconds }) {
      metrics.slackAckSeconds.observe(seconds);
    },
  });
}
