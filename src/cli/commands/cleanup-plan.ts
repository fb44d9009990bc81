/** `vod-ops cleanup plan`, and `cleanup resume` of an interrupted plan (registered in cleanup.ts). */
import { readFileSync } from 'node:fs';
import type { Campaign } from '../../core/campaigns/campaign.js';
import { parseRuleFile } from '../../core/campaigns/rule-file.js';
import { type RuleFlags, ruleFromFlags } from '../../core/campaigns/rule-flags.js';
import type { SelectionRule } from '../../core/campaigns/selection-rule.js';
import { parseVideoList } from '../../core/campaigns/video-list.js';
import { AppError } from '../../core/errors.js';
import { formatBytes } from '../../core/format.js';
import { parseReason } from '../../core/requests/reason.js';
import type { PlanProgress } from '../../core/workflow/campaign-planning.js';
import type { CommandDeps } from '../command-deps.js';
import { EXIT, writeJson } from '../output.js';
import { planDocument, renderItemTable, renderPlanSummary } from '../render-campaigns.js';
import type { CleanupDeps, PlanOptions } from './cleanup.js';
import { type CleanupRuntime, cleanupCommand, iso, openOptions, refusalError } from './cleanup-runtime.js';

/** The selection flags: `--rule` stands alone, the others combine (and combine with `--videos`). */
const RULE_FLAGS: ReadonlyArray<[keyof RuleFlags, string]> = [
  ['streamStatus', '--stream-status'],
  ['definition', '--definition'],
  ['format', '--format'],
  ['streamType', '--stream-type'],
  ['createdBefore', '--created-before'],
  ['videoCreatedBefore', '--video-created-before'],
  ['videoCreatedAfter', '--video-created-after'],
  ['category', '--category'],
  ['tag', '--tag'],
  ['title', '--title'],
  ['keepDefinition', '--keep-definition'],
  ['allowLastPlayable', '--allow-last-playable'],
];

/**
 * `vod-ops cleanup plan`: walks the library by the rule and stores the campaign, frozen for approval (with
 * `--dry-run`, only counts). A plan that stops says how to continue it.
 */
export async function planCampaign(deps: CleanupDeps, opts: PlanOptions): Promise<void> {
  const json = opts.json === true;
  try {
    const now = deps.clock.now();
    const rule = ruleFromOptions(opts, now);
    const reason = parseReason(opts.reason);
    const runtime = await deps.openRuntime(
      openOptions({
        sandbox: opts.sandbox === true,
        readOnly: false,
        account: opts,
      }),
    );
    const price = runtime.settings.workflow.storagePricePerGbMonth;
    const progress = progressLine(deps, json);
    try {
      if (opts.dryRun) {
        const preview = await runtime.campaigns.preview(rule, progress.update);
        progress.done();
        const document = { id: null, status: 'dry_run', region: runtime.vod.home, plan: preview, rule };
        if (json) writeJson(deps.io, planDocument(document, price, { sample: preview.sample }));
        else {
          deps.io.stdout.write(
            `Dry run in ${runtime.vod.home}: nothing stored, nothing deleted.\n\n${renderPlanSummary(preview, price)}\n` +
              (preview.sample.length > 0 ? `\nFirst items:\n${renderItemTable(preview.sample)}\n` : ''),
          );
        }
      } else {
        const campaign = await runtime.campaigns.plan(
          { rule, reason, requester: deps.operator() },
          progress.update,
        );
        progress.done();
        if (json) writeJson(deps.io, planDocument(campaign, price));
        else {
          deps.io.stdout.write(
            `${plannedText(campaign, opts.sandbox === true)}\n\n${renderPlanSummary(campaign.plan, price)}\n`,
          );
        }
      }
      deps.setExitCode(EXIT.ok);
    } finally {
      progress.done();
      await runtime.close();
    }
  } catch (error) {
    deps.onError(error, json);
    const campaignId = error instanceof AppError ? error.detail.campaignId : undefined;
    if (typeof campaignId === 'string' && !json) {
      deps.io.stderr.write(
        `Continue it with: ${cleanupCommand('resume', campaignId, opts.sandbox === true)}\n`,
      );
    }
  }
}

/** `cleanup resume` of a campaign still planning: its plan continues in this process, from where it stopped. */
export async function resumePlan(
  deps: CleanupDeps,
  runtime: CleanupRuntime,
  campaignId: string,
  opts: { json?: boolean; sandbox?: boolean },
): Promise<undefined> {
  const json = opts.json === true;
  const progress = progressLine(deps, json);
  try {
    const result = await runtime.campaigns.resume(campaignId, progress.update);
    progress.done();
    if (!result.ok) throw refusalError(campaignId, result.refusal);
    const price = runtime.settings.workflow.storagePricePerGbMonth;
    if (json) writeJson(deps.io, planDocument(result.campaign, price));
    else {
      deps.io.stdout.write(
        `${plannedText(result.campaign, opts.sandbox === true)}\n\n${renderPlanSummary(result.campaign.plan, price)}\n`,
      );
    }
    return undefined;
  } finally {
    progress.done();
  }
}

/** The rule from `--rule FILE`, or from the flags (with `--videos FILE`); checked before anything opens. */
function ruleFromOptions(opts: PlanOptions, now: number): SelectionRule {
  const given = RULE_FLAGS.filter(([key]) => opts[key] !== undefined).map(([, flag]) => flag);
  if (opts.rule !== undefined) {
    if (given.length > 0 || opts.videos !== undefined) {
      throw new AppError(
        'INVALID_INPUT',
        `--rule gives the whole selection: drop ${[...given, ...(opts.videos ? ['--videos'] : [])].join(', ')}, or put them in the rule file.`,
      );
    }
    return parseRuleFile(readText(opts.rule, '--rule'), opts.rule, now);
  }
  const videoIds = opts.videos === undefined ? undefined : parseVideoList(readText(opts.videos, '--videos'));
  return ruleFromFlags({ ...opts, ...(videoIds ? { videoIds } : {}) }, now);
}

function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new AppError(
      'INVALID_INPUT',
      code === 'ENOENT'
        ? `${flag}: no file ${path}.`
        : `${flag}: ${path} cannot be read (${code ?? 'error'}).`,
      { cause: error },
    );
  }
}

/** On a terminal, one line on stderr that follows the walk; elsewhere nothing (the result says it all). */
function progressLine(deps: CommandDeps, json: boolean) {
  const show = deps.terminal && !json;
  let shown = false;
  return {
    update: (progress: PlanProgress) => {
      if (!show) return;
      shown = true;
      const { totals } = progress;
      deps.io.stderr.write(
        `\rPlanning: ${totals.videosScanned} videos scanned, ${totals.videosMatched} matched, ` +
          `${totals.streams} streams, ${formatBytes(totals.bytes)}   `,
      );
    },
    done: () => {
      if (shown) deps.io.stderr.write('\n');
      shown = false;
    },
  };
}

/** What became of a completed plan, in a sentence. */
function plannedText(campaign: Campaign, sandbox: boolean): string {
  if (campaign.status === 'completed') {
    return `Campaign ${campaign.id} found nothing the rule selects: nothing to approve, nothing deleted.`;
  }
  return (
    `Campaign ${campaign.id}${campaign.region ? ` (region ${campaign.region})` : ''} is planned and awaits ` +
    `approval until ${iso(campaign.expiresAt)}. ` +
    `See it with: ${cleanupCommand('show', campaign.id, sandbox)}`
  );
}
