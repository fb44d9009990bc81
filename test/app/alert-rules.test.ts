import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createPromTelemetry } from '../../src/app/metrics/prom-telemetry.js';
import { createMetrics } from '../../src/app/metrics/registry.js';
import { promtool } from '../helpers/promtool.js';

const OPERATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/operations.md');

/** The alert rules docs/operations.md shows: its YAML block under "## Metrics" that starts with `groups:`. */
function documentedRules(): string {
  const metrics = readFileSync(OPERATIONS, 'utf8').split('\n## Metrics\n')[1] ?? '';
  const block = /```yaml\n(groups:[\s\S]*?)```/.exec(metrics)?.[1];
  if (!block) throw new Error('docs/operations.md has no alert rules under "## Metrics"');
  return block;
}

it('documents alert rules that promtool accepts, on metrics the server exports', async () => {
  const rules = documentedRules();
  const file = join(mkdtempSync(join(tmpdir(), 'vod-ops-rules-')), 'vod-ops.rules.yml');
  writeFileSync(file, rules);
  const checked = promtool(['check', 'rules', file]);
  expect(checked.output).toMatch(/SUCCESS: 3 rules found/);
  expect(checked.code).toBe(0);

  // Every vodops_ metric a rule names is one the server exports.
  const metrics = createMetrics();
  createPromTelemetry(metrics);
  const exported = new Set(metrics.registry.getMetricsAsArray().map((m) => m.name));
  const named = [...rules.matchAll(/\b(vodops_\w+?)(?:_count|_sum|_bucket)?\{/g)].map((m) => m[1]);
  expect(named.length).toBeGreaterThan(0);
  for (const name of named) expect(exported).toContain(name);
});
