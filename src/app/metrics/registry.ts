import client from 'prom-client';

/**
 * The Prometheus metrics of one serving process, on a registry of its own (never prom-client's global one:
 * two servers in one test process must not share series). Names follow Prometheus' conventions: the `vodops_`
 * prefix, base units (seconds), `_total` on counters; every label comes from a bounded vocabulary (actions,
 * outcomes, Alibaba's and Slack's error codes, statuses, regions, tool names), never an id. Classic histograms,
 * so that replicas' series add up in PromQL; bucket boundaries sit at the thresholds docs/operations.md alerts on.
 * @see https://prometheus.io/docs/practices/naming/
 */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  // prom-client exports these three as gauges whose names end in `_total`, which Prometheus reserves for
  // counters: `promtool check metrics` rejects them (upstream issue prometheus/client_js#283). The same counts
  // remain by type in `nodejs_active_handles`, `nodejs_active_requests` and `nodejs_active_resources`.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }
  const registers = [registry];
  return {
    registry,
    vodCalls: new client.Counter({
      name: 'vodops_vod_calls_total',
      help: 'ApsaraVideo VOD calls (all attempts of one call count once), by region, action, outcome (ok or the failure kind) and Alibaba error code (none when Alibaba gave none).',
      labelNames: ['region', 'action', 'outcome', 'code'] as const,
      registers,
    }),
    vodCallSeconds: new client.Histogram({
      name: 'vodops_vod_call_duration_seconds',
      help: 'Time one VOD call took, retries and rate-budget waits included.',
      labelNames: ['region', 'action', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    vodThrottled: new client.Counter({
      name: 'vodops_vod_throttled_total',
      help: "VOD attempts refused by Alibaba's flow control (each attempt counts).",
      labelNames: ['region', 'action'] as const,
      registers,
    }),
    rateWaitSeconds: new client.Histogram({
      name: 'vodops_vod_rate_wait_seconds',
      help: 'Time one VOD attempt waited for its slot in the rate budget before it was sent.',
      labelNames: ['region', 'action'] as const,
      buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30],
      registers,
    }),
    decisionSeconds: new client.Histogram({
      name: 'vodops_request_decision_seconds',
      help: 'Time from a deletion request being made to its decision, by decision (approved, rejected, expired, cancelled).',
      labelNames: ['outcome'] as const,
      buckets: [60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 72 * 3600, 7 * 24 * 3600],
      registers,
    }),
    executionSeconds: new client.Histogram({
      name: 'vodops_request_execution_delay_seconds',
      help: "Time from a deletion request's approval to its execution's outcome being recorded, by outcome.",
      labelNames: ['outcome'] as const,
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    }),
    executions: new client.Counter({
      name: 'vodops_executions_total',
      help: 'Executions of approved deletion requests whose outcome this process recorded, by outcome (succeeded, failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    campaignItems: new client.Counter({
      name: 'vodops_campaign_items_total',
      help: 'Campaign items this process settled, by outcome (deleted, skipped, failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    auditDeliveries: new client.Counter({
      name: 'vodops_audit_webhook_deliveries_total',
      help: 'Batches of the audit trail this process sent to the audit webhook, by outcome (delivered: a 2xx; failed: anything else, to be sent again).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    auditEventsDelivered: new client.Counter({
      name: 'vodops_audit_webhook_events_delivered_total',
      help: 'Audit entries in the batches the audit webhook acknowledged (an entry sent twice counts twice).',
      registers,
    }),
    slackAckSeconds: new client.Histogram({
      name: 'vodops_slack_ack_duration_seconds',
      help: 'Time from a Slack request reaching POST /slack/events to its response being sent (Slack gives up after 3 s).',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    }),
    slackApiErrors: new client.Counter({
      name: 'vodops_slack_api_errors_total',
      help: "Failed Slack Web API calls, by method and Slack's error code (or why Slack could not be reached).",
      labelNames: ['method', 'code'] as const,
      registers,
    }),
    mcpToolCalls: new client.Counter({
      name: 'vodops_mcp_tool_calls_total',
      help: 'MCP tool calls, by tool and outcome (ok, or error for an isError result).',
      labelNames: ['tool', 'outcome'] as const,
      registers,
    }),
    mcpToolSeconds: new client.Histogram({
      name: 'vodops_mcp_tool_call_duration_seconds',
      help: 'Time one MCP tool call took, by tool.',
      labelNames: ['tool'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    storeSeconds: new client.Histogram({
      name: 'vodops_store_operation_duration_seconds',
      help: "Time one operation of the store (SQLite or PostgreSQL) took, by the store port's operation and outcome (ok, error).",
      labelNames: ['operation', 'outcome'] as const,
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
