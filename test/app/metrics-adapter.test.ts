import { describe, expect, it } from 'vitest';
import { createPromTelemetry } from '../../src/app/metrics/prom-telemetry.js';
import { createMetrics } from '../../src/app/metrics/registry.js';
import { timeStore } from '../../src/app/metrics/timed-store.js';
import { createSqliteStore } from '../../src/core/store/sqlite-store.js';
import { aDeletionRequest } from '../helpers/builders.js';
import { parseSamples, sampleValue } from '../helpers/metrics-text.js';
import { promtool } from '../helpers/promtool.js';

describe('the Prometheus metrics of a server', () => {
  it('keeps each registry its own: two in one process, each with its own series', async () => {
    const a = createMetrics();
    const b = createMetrics();
    createPromTelemetry(a).vodCall({
      region: 'cn-shanghai',
      action: 'DeleteStream',
      outcome: 'throttled',
      code: 'Throttling.User',
      seconds: 0.2,
    });
    const labels = { action: 'DeleteStream', outcome: 'throttled', code: 'Throttling.User' };
    expect(sampleValue(parseSamples(await a.registry.metrics()), 'vodops_vod_calls_total', labels)).toBe(1);
    expect(
      sampleValue(parseSamples(await b.registry.metrics()), 'vodops_vod_calls_total', labels),
    ).toBeUndefined();
  });

  it('exports the series of a region’s VOD calls at 0 before the first call, and promtool accepts them all', async () => {
    const metrics = createMetrics();
    createPromTelemetry(metrics).vodRegion('ap-southeast-1');
    const body = await metrics.registry.metrics();
    const samples = parseSamples(body);
    for (const action of ['DeleteStream', 'GetPlayInfo', 'GetVideoInfo', 'SearchMedia']) {
      expect(
        sampleValue(samples, 'vodops_vod_calls_total', {
          region: 'ap-southeast-1',
          action,
          outcome: 'ok',
          code: 'none',
        }),
      ).toBe(0);
    }
    expect(sampleValue(samples, 'vodops_executions_total', { outcome: 'failed' })).toBe(0);
    expect(body).not.toMatch(/^nodejs_active_\w+_total/m);
    expect(promtool(['check', 'metrics'], body)).toEqual({ code: 0, output: '' });
  });

  it('times every store operation by its port method, a refused one as an error', async () => {
    const metrics = createMetrics();
    const store = timeStore(createSqliteStore({ path: ':memory:' }), createPromTelemetry(metrics), {
      monotonic: () => performance.now(),
    });
    try {
      await store.migrate();
      await store.insert(aDeletionRequest(), []);
      // A store refuses a new request that is not pending at version 1.
      await expect(store.insert({ ...aDeletionRequest(), version: 2 }, [])).rejects.toThrow();
      const samples = parseSamples(await metrics.registry.metrics());
      const count = (operation: string, outcome: string) =>
        sampleValue(samples, 'vodops_store_operation_duration_seconds_count', { operation, outcome });
      expect(count('migrate', 'ok')).toBe(1);
      expect(count('insert', 'ok')).toBe(1);
      expect(count('insert', 'error')).toBe(1);
    } finally {
      await store.close();
    }
  });
});
