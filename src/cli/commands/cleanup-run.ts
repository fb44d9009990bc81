/** `vod-ops cleanup run <id>` (registered in cleanup.ts): an approved campaign, executed in the foreground. */
import { constants } from 'node:os';
import type { Campaign } from '../../core/campaigns/campaign.js';
import { AppError } from '../../core/errors.js';
import { formatBytes, plural } from '../../core/format.js';
import type { CampaignProgress } from '../../core/workflow/campaign-execution.js';
import { type CampaignReport, campaignReport } from '../../core/workflow/campaign-report.js';
import { createProgressOutput } from '../campaign-progress.js';
import type { CommandDeps } from '../command-deps.js';
import { EXIT } from '../output.js';
import { renderReport, reportDocument } from '../render-campaign-run.js';
import type { CleanupDeps } from './cleanup.js';
import { cleanupCommand, found, iso, parseCampaignId, refusalError, withRuntime } from './cleanup-runtime.js';

/**
 * Runs campaign `id`'s items in this process until none is left (beside any `vod-ops serve` replica running it
 * too: they share the items), with a progress bar on a terminal and JSON lines elsewhere, then prints the report.
 * Ctrl-C (or SIGTERM) stops claiming items, lets the running ones finish and exits 128 + the signal's number (130
 * for Ctrl-C): the campaign stays running, for another `cleanup run` or a server. A second signal quits at once.
 * Exit 0 when every item was deleted or skipped; 1 when items failed, or when someone paused or cancelled it.
 */
export async function runCampaign(
  deps: CleanupDeps,
  id: string,
  opts: { json?: boolean; sandbox?: boolean; profile?: string },
): Promise<void> {
  const json = opts.json === true;
  const sandbox = opts.sandbox === true;
  const human = deps.terminal && !json;
  await withRuntime(
    deps,
    { json, readOnly: false, sandbox, ...(opts.profile ? { account: { profile: opts.profile } } : {}) },
    () => parseCampaignId(id),
    async (runtime, campaignId) => {
      const { campaigns } = runtime;
      const campaign = await found(campaigns.get(campaignId), campaignId);
      const refused = notRunnable(campaign, sandbox);
      if (refused) throw new AppError('CONFLICT', refused);
      if (campaign.status === 'approved') {
        // Started here rather than inside run(), so that items that no longer match the approved digest are said.
        const started = await campaigns.start(campaignId);
        // not_running: another process started it meanwhile, or paused or cancelled it; the run sees which.
        if (!started.ok && started.refusal.kind !== 'not_running')
          throw refusalError(campaignId, started.refusal);
      }
      const output = await createProgressOutput(deps.io, human ? 'bar' : 'lines');
      const stop = listenForStop(deps, (signal) => {
        const again = signal === 'SIGINT' ? 'Ctrl-C' : signal;
        if (human) output.note(`stopping: the running items finish (${again} again quits now)`);
        else {
          runtime.logger.warn(
            { campaign: campaignId, signal },
            `stopping: no new item starts, the running ones finish (${signal} again quits at once)`,
          );
        }
      });
      try {
        const before = await campaigns.progress(campaignId);
        if (before) output.update(before);
        await campaigns.run(campaignId, {
          onProgress: output.update,
          progressEveryMs: human ? 500 : 1000,
          signal: stop.signal,
          untilFinished: true,
        });
      } finally {
        output.stop();
        stop.dispose();
      }
      const report = await found(campaignReport(campaigns, campaignId), campaignId);
      const progress = await found(campaigns.progress(campaignId), campaignId);
      const ending = endingOf(report, progress, stop.received(), sandbox);
      if (human) deps.io.stdout.write(`\n${renderReport(report)}\n\n${ending.sentence}\n`);
      else {
        deps.io.stdout.write(
          `${JSON.stringify({
            type: 'report',
            ...reportDocument(report, progress),
            ...(ending.signal ? { stoppedBy: ending.signal } : {}),
            ...(ending.next ? { next: ending.next } : {}),
          })}\n`,
        );
      }
      return ending.exitCode;
    },
  );
}

/** Why campaign cannot run, with what to do instead; `undefined` when it is approved or running. */
function notRunnable(campaign: Campaign, sandbox: boolean): string | undefined {
  const { id } = campaign;
  switch (campaign.status) {
    case 'approved':
    case 'running':
      return undefined;
    case 'planning':
      return (
        `Campaign ${id} is still being planned; once planned it awaits approval in Slack. ` +
        `An interrupted plan continues with: ${cleanupCommand('resume', id, sandbox)}`
      );
    case 'pending':
      return (
        `Campaign ${id} awaits approval in Slack (until ${iso(campaign.expiresAt)}): it runs once an approver ` +
        'other than its requester approves it.'
      );
    case 'paused': {
      const paused = campaign.paused;
      const why = paused
        ? ` (by ${paused.by.displayName} at ${iso(paused.at)}${paused.reason ? `: ${paused.reason}` : ''})`
        : '';
      return `Campaign ${id} is paused${why}: resume it first with: ${cleanupCommand('resume', id, sandbox)}`;
    }
    default:
      return (
        `Campaign ${id} is ${campaign.status}${closedBy(campaign)}: nothing more of it runs. ` +
        `Its report: ${cleanupCommand('report', id, sandbox)}`
      );
  }
}

interface Ending {
  sentence: string;
  exitCode: number;
  signal?: NodeJS.Signals;
  /** The command that continues it, when it is not finished. */
  next?: string;
}

/** What became of the run, in a sentence, with its exit code. */
function endingOf(
  report: CampaignReport,
  progress: CampaignProgress,
  signal: NodeJS.Signals | undefined,
  sandbox: boolean,
): Ending {
  const { campaign, counts } = report;
  const id = campaign.id;
  const settled = counts.deleted.items + counts.skipped.items + counts.failed.items;
  if (campaign.status === 'completed') {
    return {
      sentence:
        `Campaign ${id} is completed: ${counts.deleted.items} deleted (${formatBytes(report.bytesFreed)} freed), ` +
        `${counts.skipped.items} skipped, ${counts.failed.items} failed. ` +
        `Every item: ${cleanupCommand('report', id, sandbox)} --csv`,
      exitCode: counts.failed.items > 0 ? EXIT.failed : EXIT.ok,
    };
  }
  if (campaign.status === 'running') {
    const next = cleanupCommand('run', id, sandbox);
    return {
      sentence:
        `Stopped${signal ? ` (${signal})` : ''}: ${settled} of ${plural(progress.items, 'item')} settled, and the ` +
        `campaign is still running. Continue it with: ${next} (a vod-ops serve replica also continues it).`,
      exitCode: signal ? 128 + constants.signals[signal] : EXIT.failed,
      ...(signal ? { signal } : {}),
      next,
    };
  }
  if (campaign.status === 'paused') {
    const next = cleanupCommand('resume', id, sandbox);
    return {
      sentence:
        `Campaign ${id} was paused by ${campaign.paused?.by.displayName ?? 'someone'} after ${settled} of ` +
        `${plural(progress.items, 'item')}: resume it with ${next}, then run it again.`,
      exitCode: EXIT.failed,
      next,
    };
  }
  return {
    sentence: `Campaign ${id} is ${campaign.status}${closedBy(campaign)}: nothing more of it runs.`,
    exitCode: EXIT.failed,
  };
}

/**
 * ` (by Ana)` when the decision on record closed it (a rejection, a cancellation before approval); a campaign
 * cancelled once approved keeps its approval as the decision, and who cancelled it is in its audit trail.
 */
function closedBy(campaign: Campaign): string {
  const { decision } = campaign;
  return decision?.by && decision.outcome === campaign.status ? ` (by ${decision.by.displayName})` : '';
}

/**
 * Ctrl-C and SIGTERM stop the run gracefully, once; a second one ends the process at once (items it held are
 * taken over by the next run once their leases run out).
 */
function listenForStop(deps: Pick<CommandDeps, 'exit'>, onStop: (signal: NodeJS.Signals) => void) {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) deps.exit(128 + constants.signals[signal]);
    received = signal;
    controller.abort();
    onStop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
