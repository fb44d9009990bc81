import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  CAMPAIGN_ID_PATTERN,
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignStatus,
} from '../../core/campaigns/campaign.js';
import { type CampaignRefusal, CLOSED_CAMPAIGN_STATUSES } from '../../core/campaigns/campaign-lifecycle.js';
import { parseRuleFile } from '../../core/campaigns/rule-file.js';
import { type RuleFlags, ruleFromFlags } from '../../core/campaigns/rule-flags.js';
import type { SelectionRule } from '../../core/campaigns/selection-rule.js';
import { parseVideoList } from '../../core/campaigns/video-list.js';
import { AppError } from '../../core/errors.js';
import { formatBytes } from '../../core/format.js';
import type { Principal } from '../../core/requests/principal.js';
import { clipReason, parseReason } from '../../core/requests/reason.js';
import type { PlanProgress } from '../../core/workflow/campaign-planning.js';
import type { CommandDeps } from '../command-deps.js';
import { parseWholeNumberFlag } from '../flags.js';
import { EXIT, writeJson } from '../output.js';
import {
  planDocument,
  renderCampaign,
  renderCampaignTable,
  renderItemTable,
  renderPlanSummary,
  showDocument,
} from '../render-campaigns.js';

export interface CleanupDeps extends CommandDeps {
  operator: () => Principal;
}

interface PlanOptions extends RuleFlags {
  rule?: string;
  videos?: string;
  reason?: string;
  dryRun?: boolean;
  json?: boolean;
  sandbox?: boolean;
}

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
export function registerCleanupCommands(program: Command, deps: CleanupDeps): void {
  const cleanup = program
    .command('cleanup')
    .description('library-wide stream clean-up: select streams by rule, approve once');

  cleanup
    .command('plan')
    .description('walk the library, select streams by rule, and store the campaign for approval')
    .option('--stream-status <list>', 'streams in these statuses (Normal, Invisible)')
    .option('--definition <list>', 'streams of these definitions (FD,LD,SD,HD,OD,2K,4K,SQ,HQ,AUTO)')
    .option('--format <list>', 'streams in these formats (mp4,m3u8,mp3,flv,mpd,m4a)')
    .option('--stream-type <type>', 'video or audio streams')
    .option('--created-before <when>', 'streams created before: a date, or an age such as 365d or 1y')
    .option('--video-created-before <when>', 'of videos created before: a date or an age')
    .option('--video-created-after <when>', 'of videos created after: a date or an age')
    .option('--category <id>', 'of videos in this category (CateId)')
    .option('--tag <list>', 'of videos with any of these tags')
    .option('--title <text>', 'of videos whose title contains this')
    .option('--keep-definition <list>', 'guard: each video keeps at least one stream of these definitions')
    .option('--allow-last-playable', "lift the guard that keeps each video's last playable stream")
    .option('--rule <file>', 'the selection as a rule file (JSON or YAML) instead of flags')
    .option('--videos <file>', 'these videos (VideoIds, one a line) instead of a search')
    .option('--reason <text>', 'why these streams go: approvers read it')
    .option('--dry-run', 'walk and count, store nothing')
    .option('--json', 'print one JSON document')
    .option('--sandbox', 'against an in-process VOD emulator (its store is private to this run)')
    .action(async (opts: PlanOptions) => {
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
            else
              deps.io.stdout.write(
                `${plannedText(campaign)}\n\n${renderPlanSummary(campaign.plan, price)}\n`,
              );
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
    });

  cleanup
    .command('list')
    .description('campaigns, newest first')
    .option('--status <statuses>', `only these statuses, comma-separated (${CAMPAIGN_STATUSES.join(', ')})`)
    .option('--limit <N>', 'at most N campaigns', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { status?: string; limit: string; json?: boolean }) => {
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
    });

  cleanup
    .command('show')
    .description('one campaign: its rule, totals, items so far, and audit trail')
    .argument('<id>', 'the campaign id (cp-...)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
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
    });

  cleanup
    .command('cancel')
    .description('withdraw a campaign that is planning or awaiting approval (its requester or an approver)')
    .argument('<id>', 'the campaign id (cp-...)')
    .option('--reason <text>', 'why')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { reason?: string; json?: boolean }) => {
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
    });

  cleanup
    .command('resume')
    .description('continue the plan of a campaign whose planning was interrupted')
    .argument('<id>', 'the campaign id (cp-...)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
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
    });
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
  const wanted = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const unknown = wanted.filter((s) => !(CAMPAIGN_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new AppError(
      'INVALID_INPUT',
      `--status takes ${CAMPAIGN_STATUSES.join(', ')} (comma-separated), not "${raw}".`,
    );
  }
  return wanted as CampaignStatus[];
}

function refusalError(id: string, refusal: CampaignRefusal): AppError {
  switch (refusal.kind) {
    case 'not_planning':
      return new AppError(
        'CONFLICT',
        `Campaign ${id} is ${refusal.status}: ${
          CLOSED_CAMPAIGN_STATUSES.includes(refusal.status) ? 'it is closed' : 'its plan is complete'
        }, so there is no plan to resume.`,
      );
    case 'planned_elsewhere':
      return new AppError(
        'CONFLICT',
        `Campaign ${id} is being planned by ${refusal.owner} until ${iso(refusal.leaseUntil)}: resume it after that, if that process stopped.`,
      );
    case 'already_closed':
      return new AppError(
        'CONFLICT',
        `Campaign ${id} is already ${refusal.status}${refusal.by ? ` (by ${refusal.by.displayName})` : ''}.`,
      );
    case 'not_allowed_to_cancel':
      return new AppError('FORBIDDEN', `Only the campaign's requester or an approver may cancel ${id}.`);
  }
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
