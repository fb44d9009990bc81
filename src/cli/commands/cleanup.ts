import type { Command } from 'commander';
import { CAMPAIGN_STATUSES } from '../../core/campaigns/campaign.js';
import type { RuleFlags } from '../../core/campaigns/rule-flags.js';
import type { Principal } from '../../core/requests/principal.js';
import type { CommandDeps } from '../command-deps.js';
import { type AccountFlags, withAccountFlags } from '../flags.js';

export interface CleanupDeps extends CommandDeps {
  operator: () => Principal;
}

export interface PlanOptions extends RuleFlags, AccountFlags {
  rule?: string;
  videos?: string;
  reason?: string;
  dryRun?: boolean;
  json?: boolean;
  sandbox?: boolean;
}

/**
 * The actions, loaded when one runs: the rule's schemas, YAML, the renderers, the report and the progress bar
 * stay out of every other command.
 */
const actions = () => import('./cleanup-actions.js');
const plan = () => import('./cleanup-plan.js');
const run = () => import('./cleanup-run.js');
const report = () => import('./cleanup-report.js');

const SANDBOX =
  'against an in-process VOD emulator with the demo videos, and the sandbox store (never the real one)';

interface Flags {
  json?: boolean;
  sandbox?: boolean;
  /** `cleanup run` and `resume`, which call VOD in the campaign's region. */
  profile?: string;
}

const PROFILE = 'use this aliyun CLI profile (~/.aliyun/config.json) for credentials';

/**
 * `vod-ops cleanup plan|list|show|run|pause|resume|cancel|report`: library-wide stream clean-up campaigns,
 * planned here, approved once by people in Slack, run by any `vod-ops serve` replica or here in the foreground.
 */
export function registerCleanupCommands(program: Command, deps: CleanupDeps): void {
  const cleanup = program
    .command('cleanup')
    .description('library-wide stream clean-up: select streams by rule, approve once, run, report');

  const planCommand = cleanup
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
    .option('--sandbox', SANDBOX);
  withAccountFlags(planCommand).action(async (opts: PlanOptions) => (await plan()).planCampaign(deps, opts));

  cleanup
    .command('list')
    .description('campaigns, newest first')
    .option('--status <statuses>', `only these statuses, comma-separated (${CAMPAIGN_STATUSES.join(', ')})`)
    .option('--limit <N>', 'at most N campaigns', '50')
    .option('--json', 'print JSON')
    .option('--sandbox', SANDBOX)
    .action(async (opts: Flags & { status?: string; limit: string }) =>
      (await actions()).listCampaigns(deps, opts),
    );

  cleanup
    .command('show')
    .description('one campaign: its rule, totals, progress, first items, and audit trail')
    .argument('<id>', 'the campaign id (cp-...)')
    .option('--json', 'print JSON')
    .option('--sandbox', SANDBOX)
    .action(async (id: string, opts: Flags) => (await actions()).showCampaign(deps, id, opts));

  cleanup
    .command('run')
    .description(
      'run an approved campaign here, in the foreground, until every item is settled; Ctrl-C stops it cleanly',
    )
    .argument('<id>', 'the campaign id (cp-...)')
    .option('--json', 'print JSON lines (as when the output is not a terminal)')
    .option('--sandbox', SANDBOX)
    .option('--profile <name>', PROFILE)
    .action(async (id: string, opts: Flags) => (await run()).runCampaign(deps, id, opts));

  cleanup
    .command('pause')
    .description('stop a running campaign from starting new items (its requester or an approver)')
    .argument('<id>', 'the campaign id (cp-...)')
    .option('--reason <text>', 'why')
    .option('--json', 'print JSON')
    .option('--sandbox', SANDBOX)
    .action(async (id: string, opts: Flags & { reason?: string }) =>
      (await actions()).pauseCampaign(deps, id, opts),
    );

  cleanup
    .command('resume')
    .description(
      'let a paused campaign run again (its requester or an approver), or continue an interrupted plan',
    )
    .argument('<id>', 'the campaign id (cp-...)')
    .option('--json', 'print JSON')
    .option('--sandbox', SANDBOX)
    .option('--profile <name>', PROFILE)
    .action(async (id: string, opts: Flags) => (await actions()).resumeCampaign(deps, id, opts));

  cleanup
    .command('cancel')
    .description(
      'withdraw a campaign, or stop one approved, running or paused for good (its requester or an approver)',
    )
    .argument('<id>', 'the campaign id (cp-...)')
    .option('--reason <text>', 'why')
    .option('--json', 'print JSON')
    .option('--sandbox', SANDBOX)
    .action(async (id: string, opts: Flags & { reason?: string }) =>
      (await actions()).cancelCampaign(deps, id, opts),
    );

  cleanup
    .command('report')
    .description('what a campaign came to: counts, bytes freed, failures by Alibaba code; --csv: every item')
    .argument('<id>', 'the campaign id (cp-...)')
    .option('--csv', 'every item as CSV on stdout')
    .option('--json', 'print one JSON document')
    .option('--sandbox', SANDBOX)
    .action(async (id: string, opts: Flags & { csv?: boolean }) =>
      (await report()).reportCampaign(deps, id, opts),
    );
}
