import { formatBytes, formatDuration } from '../core/format.js';
import type { CampaignProgress } from '../core/workflow/campaign-execution.js';
import type { Io } from './output.js';
import { progressLine } from './render-campaign-run.js';

/** Where a foreground run shows its progress. */
export interface ProgressOutput {
  update(progress: CampaignProgress): void;
  /** A word for the person watching, shown on the bar itself (a line written under a live bar is drawn over). */
  note(text: string): void;
  /** Ends the bar (the line stays on the terminal); idempotent. */
  stop(): void;
}

/**
 * `bar`: a progress bar on stderr for a person at a terminal, drawn by cli-progress (loaded here, only for a
 * terminal: every other command, and a run whose output a machine reads, never loads it). `lines`: one JSON
 * object per update on stdout, for logs and scripts.
 */
export async function createProgressOutput(io: Io, mode: 'bar' | 'lines'): Promise<ProgressOutput> {
  if (mode === 'lines') {
    return {
      update: (progress) => {
        io.stdout.write(`${JSON.stringify(progressLine(progress))}\n`);
      },
      note: () => {},
      stop: () => {},
    };
  }
  // A CommonJS package: its exports are the default export, bundled or not. A MultiBar with one bar, because it
  // redraws in place relative to the cursor: a line written meanwhile (a warning in the log) stays above the bar,
  // where a SingleBar would jump back to where it started and have the report overwrite it.
  const { MultiBar } = (await import('cli-progress')).default;
  const bars = new MultiBar({
    stream: io.stderr,
    format:
      '{bar} {percentage}% | {settled}/{total} items: {deleted} deleted, {skipped} skipped, {failed} failed | ' +
      '{freed} freed | {pace}{note}',
    barsize: 24,
    fps: 5,
    hideCursor: false,
    clearOnComplete: false,
    // The bar is cut at the terminal's width; the terminal keeps wrapping the lines of others (the log's).
    linewrap: true,
  });
  let bar: ReturnType<typeof bars.create> | undefined;
  let stopped = false;
  let note = '';
  return {
    update(progress) {
      if (stopped) return;
      const { counts } = progress;
      const settled = counts.deleted.items + counts.skipped.items + counts.failed.items;
      const payload = {
        settled,
        deleted: counts.deleted.items,
        skipped: counts.skipped.items,
        failed: counts.failed.items,
        freed: formatBytes(counts.deleted.bytes),
        pace: pace(progress),
        note,
      };
      const total = Math.max(progress.items, 1);
      if (!bar) bar = bars.create(total, settled, payload);
      else {
        bar.setTotal(total);
        bar.update(settled, payload);
      }
    },
    note(text) {
      note = ` | ${text}`;
      if (!stopped) bar?.update({ note });
    },
    stop() {
      if (bar && !stopped) bars.stop();
      stopped = true;
    },
  };
}

function pace(progress: CampaignProgress): string {
  if (progress.ratePerSecond <= 0) return 'starting';
  const rate = `${progress.ratePerSecond.toFixed(1)} items/s`;
  return progress.etaMs === undefined ? rate : `${rate}, ${formatDuration(progress.etaMs / 1000)} left`;
}
