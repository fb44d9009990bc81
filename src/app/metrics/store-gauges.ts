import client from 'prom-client';
import type { Store } from '../../core/store/store.js';
import { withinStoreDeadline as answered } from '../store-deadline.js';

/**
 * Deletion requests and campaigns by status, read from the store when Prometheus scrapes (not on a timer): every
 * replica reports the same shared numbers, so aggregate them with `max`, not `sum`. A store that does not answer
 * leaves the gauges out of that scrape rather than failing it: the process's other metrics still arrive.
 */
export function registerStoreGauges(
  registry: client.Registry,
  store: Pick<Store, 'countByStatus' | 'countCampaignsByStatus'>,
): void {
  new client.Gauge({
    name: 'vodops_deletion_requests',
    help: 'Deletion requests in the store, by status (the same in every replica: aggregate with max).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      await answered(store.countByStatus()).then(
        (counts) => {
          for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
        },
        () => this.reset(),
      );
    },
  });
  new client.Gauge({
    name: 'vodops_campaigns',
    help: 'Clean-up campaigns in the store, by status (the same in every replica: aggregate with max).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      await answered(store.countCampaignsByStatus()).then(
        (counts) => {
          for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
        },
        () => this.reset(),
      );
    },
  });
}

/**
 * How far the audit webhook is behind the trail, in entries (`AuditDeliveries.auditDeliveryLag`), read at scrape
 * time: the same in every replica, since one delivers for all. A store that does not answer within 2 s leaves it
 * out.
 */
export function registerAuditWebhookGauge(
  registry: client.Registry,
  store: Pick<Store, 'auditDeliveryLag'>,
  target: string,
): void {
  registerTrailLagGauge(registry, store, target, {
    name: 'vodops_audit_webhook_lag_entries',
    help: 'Audit entries written and not yet acknowledged by the audit webhook (the same in every replica: aggregate with max).',
  });
}

/** How far the follower telling people in Slack is behind the trail. */
export function registerSlackNotificationsGauge(
  registry: client.Registry,
  store: Pick<Store, 'auditDeliveryLag'>,
  target: string,
): void {
  registerTrailLagGauge(registry, store, target, {
    name: 'vodops_slack_notifications_lag_entries',
    help: 'Audit entries written and not yet turned into Slack messages (the same in every replica: aggregate with max).',
  });
}

function registerTrailLagGauge(
  registry: client.Registry,
  store: Pick<Store, 'auditDeliveryLag'>,
  target: string,
  gauge: { name: string; help: string },
): void {
  new client.Gauge({
    ...gauge,
    registers: [registry],
    async collect() {
      await answered(store.auditDeliveryLag(target)).then(
        (lag) => this.set(lag),
        () => this.reset(),
      );
    },
  });
}
