import { spawnSync } from 'node:child_process';

/**
 * Runs Prometheus' own linter, `promtool` (Debian's `prometheus` package; .ci/run installs it). Missing, it fails
 * the test with how to install it: the metrics' names and the alert rules are checked by Prometheus' tool or not
 * at all, so the check is never skipped.
 */
export function promtool(args: string[], input?: string): { code: number; output: string } {
  const run = spawnSync('promtool', args, { input: input ?? '', encoding: 'utf8', timeout: 30_000 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(
      'promtool is not installed: install it with `apt-get install -y --no-install-recommends prometheus` ' +
        '(Debian) or put Prometheus’ promtool on PATH. .ci/run installs it.',
    );
  }
  if (run.error) throw run.error;
  return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}
