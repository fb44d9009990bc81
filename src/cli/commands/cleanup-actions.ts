/** The actions of `vod-ops cleanup` (registered in cleanup.ts), loaded only when one of them runs. */
import { readFileSync } from 'node:fs';
import {
  CAMPAIGN_ID_PATTERN,
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignStatus,
} from '../../core/campaigns/campaign.js';
import type { CampaignRefusal } from '../../core/campaigns/campaign-lifecycle.js';
import { campaignRefusalText } from '../../core/campaigns/campaign-refusals.js';
import { parseRuleFile } from '../../core/campaigns/rule-file.js';
import { type RuleFlags, ruleFromFlags } from '../../core/campaigns/rule-flags.js';
import type { SelectionRule } from '../../core/campaigns/selection-rule.js';
import { parseVideoList } from '../../core/campaigns/video-list.js';
import { AppError } from '../../core/errors.js';
import { formatBytes } from '../../core/format.js';
import { clipReason, parseReason } from '../../core/requests/reason.js';
import type { PlanProgress } from '../../core/workflow/campaign-planning.js';
import type { CommandDeps } from '../command-deps.js';
import { parseChoiceListFlag, parseWholeNumberFlag } from '../flags.js';
import { EXIT, writeJson } from '../output.js';
import {
  planDocument,
  renderCampaign,
  renderCampaignTable,
  renderItemTable,
  renderPlanSummary,
  showDocument,
} from '../render-campaigns.js';
import type { CleanupDeps, PlanOptions } from './cleanup.js';

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
 * `vod-ops cleanup plan|list|show|cancel|resume`: library-wide stream clean-up campaigns, planned here and
 * approved once by people.
 */
export async function planCampaign(deps: CleanupDeps, opts: PlanOptions): Promise<void> {
  const json = opts.json === true;
  try {
    const now = deps.clock.now();
    const rule = ruleFromOptions(opts, now);
    const reason = parseReason(opts.reason);
    const runtime = await deps.openRuntime({ sandbox: opts.sandbox === true });
    const price = runtime.settings.workflow.storagePricePerGbMonth;
    const progress = progressLine(deps, json);
    try {
      if (opts.dryRun) {
        const preview = await runtime.campaigns.preview(rule, progress.update);
        progress.done();
        const document = { id: null, status: 'dry_run', plan: preview, rule };
        if (json) writeJson(deps.io, planDocument(document, price, { sample: preview.sample }));
        else {
          deps.io.stdout.write(
            `Dry run: nothing stored, nothing deleted.\n\n${renderPlanSummary(preview, price)}\n` +
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
        else deps.io.stdout.write(`${plannedText(campaign)}\n\n${renderPlanSummary(campaign.plan, price)}\n`);
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
      deps.io.stderr.write(`Continue it with: vod-ops cleanup resume ${campaignId}\n`);
    }
  }
}

export async function listCampaigns(
  deps: CleanupDeps,
  opts: { status?: string; limit: string; json?: boolean },
): Promise<void> {
  const parse = () => {
    const statuses = opts.status === undefined ? undefined : parseStatuses(opts.status);
    return {
      ...(statuses ? { statuses } : {}),
      limit: parseWholeNumberFlag('--limit', opts.limit, 1, 1000),
    };
  };
  await withRuntime(deps, opts.json === true, true, parse, async (runtime, filter) => {
    const list = await runtime.campaigns.list(filter);
    if (opts.json)
      writeJson(
        deps.io,
        list.map((c) => planDocument(c, undefined)),
      );
    else deps.io.stdout.write(`${renderCampaignTable(list)}\n`);
  });
}

export async function showCampaign(deps: CleanupDeps, id: string, opts: { json?: boolean }): Promise<void> {
  await withRuntime(
    deps,
    opts.json === true,
    true,
    () => parseCampaignId(id),
    async (runtime, campaignId) => {
      const campaign = await found(runtime.campaigns.get(campaignId), id);
      const counts = await runtime.campaigns.counts(campaign.id);
      const price = runtime.settings.workflow.storagePricePerGbMonth;
      if (opts.json) {
        writeJson(deps.io, showDocument(campaign, counts, price));
        return;
      }
      const sample = await runtime.campaigns.items(campaign.id, { limit: 10 });
      const trail = await runtime.campaigns.audit(campaign.id);
      deps.io.stdout.write(`${renderCampaign(campaign, counts, sample, trail, price)}\n`);
    },
  );
}

export async function cancelCampaign(
  deps: CleanupDeps,
  id: string,
  opts: { reason?: string; json?: boolean },
): Promise<void> {
  const parse = () => ({ campaignId: parseCampaignId(id), reason: clipReason(opts.reason) });
  await withRuntime(deps, opts.json === true, false, parse, async (runtime, { campaignId, reason }) => {
    const result = await runtime.campaigns.cancel(campaignId, {
      by: deps.operator(),
      ...(reason ? { reason } : {}),
    });
    if (!result.ok) throw refusalError(campaignId, result.refusal);
    if (opts.json) writeJson(deps.io, { id: campaignId, status: result.campaign.status });
    else deps.io.stdout.write(`Campaign ${campaignId} is cancelled: nothing of it will be deleted.\n`);
  });
}

export async function resumePlan(deps: CleanupDeps, id: string, opts: { json?: boolean }): Promise<void> {
  const json = opts.json === true;
  await withRuntime(
    deps,
    json,
    false,
    () => parseCampaignId(id),
    async (runtime, campaignId) => {
      const progress = progressLine(deps, json);
      try {
        const result = await runtime.campaigns.resume(campaignId, progress.update);
        progress.done();
        if (!result.ok) throw refusalError(campaignId, result.refusal);
        const price = runtime.settings.workflow.storagePricePerGbMonth;
        if (json) writeJson(deps.io, planDocument(result.campaign, price));
        else {
          deps.io.stdout.write(
            `${plannedText(result.campaign)}\n\n${renderPlanSummary(result.campaign.plan, price)}\n`,
          );
        }
      } finally {
        progress.done();
      }
    },
  );
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

/** Parses the arguments first (bad ones exit 2, in JSON with --json, before the store opens), then runs. */
async function withRuntime<T>(
  deps: CommandDeps,
  json: boolean,
  readOnly: boolean,
  parse: () => T,
  run: (runtime: Awaited<ReturnType<CommandDeps['openRuntime']>>, parsed: T) => Promise<void>,
): Promise<void> {
  try {
    const parsed = parse();
    const runtime = await deps.openRuntime({ sandbox: false, ...(readOnly ? { readOnly } : {}) });
    try {
      await run(runtime, parsed);
      deps.setExitCode(EXIT.ok);
    } finally {
      await runtime.close();
    }
  } catch (error) {
    deps.onError(error, json);
  }
}

async function found<T>(value: Promise<T | undefined>, id: string): Promise<T> {
  const result = await value;
  if (result === undefined) {
    throw new AppError('NOT_FOUND', `No campaign ${id}. List them with \`vod-ops cleanup list\`.`);
  }
  return result;
}

function parseCampaignId(raw: string): string {
  const id = raw.trim().toLowerCase();
  if (!CAMPAIGN_ID_PATTERN.test(id)) {
    throw new AppError(
      'INVALID_INPUT',
      `<id> takes a campaign id such as cp-7kq2m9x4pzt1b, not "${raw.slice(0, 40)}". List them with \`vod-ops cleanup list\`.`,
    );
  }
  return id;
}

function parseStatuses(raw: string): CampaignStatus[] {
  return parseChoiceListFlag('--status', raw, CAMPAIGN_STATUSES);
}

function refusalError(id: string, refusal: CampaignRefusal): AppError {
  const { code, message } = campaignRefusalText(id, refusal);
  return new AppError(code, message);
}

/** What became of a completed plan, in a sentence. */
function plannedText(campaign: Campaign): string {
  if (campaign.status === 'completed') {
    return `Campaign ${campaign.id} found nothing the rule selects: nothing to approve, nothing deleted.`;
  }
  return (
    `Campaign ${campaign.id} is planned and awaits approval until ${iso(campaign.expiresAt)}. ` +
    `See it with: vod-ops cleanup show ${campaign.id}`
  );
}

function iso(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
