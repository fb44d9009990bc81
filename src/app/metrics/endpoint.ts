import type { Application } from 'express';
import type client from 'prom-client';
import { type Env, readBoolean } from '../../core/env.js';

/** `VOD_OPS_METRICS_DISABLED=true`: `vod-ops serve` does not serve /metrics (and keeps no metrics). */
export function metricsEnabled(env: Env): boolean {
  return !readBoolean(env, 'VOD_OPS_METRICS_DISABLED');
}

/**
 * `GET /metrics` in Prometheus' text format, on the server's own port and without authentication, as Prometheus
 * scrapes by default: it carries counts, durations and bounded labels, never an id, a token or a setting. Keep the
 * port off the public internet (an ingress that routes only /slack/events and /mcp; docs/operations.md).
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export function mountMetrics(app: Application, registry: client.Registry): void {
  app.get('/metrics', async (_req, res, next) => {
    try {
      const body = await registry.metrics();
      res.setHeader('Content-Type', registry.contentType);
      res.end(body);
    } catch (error) {
      next(error);
    }
  });
}
