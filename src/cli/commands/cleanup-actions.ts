/**
 * The actions of `vod-ops cleanup list|show|cancel|pause|resume` (registered in cleanup.ts), loaded only when one
 * of them runs.
 */
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../../core/campaigns/campaign.js';
import { clipReason } from '../../core/requests/reason.js';
import { parseChoiceListFlag, parseWholeNumberFlag } from '../flags.js';
import { writeJson } from '../output.js';
import { planDocument, renderCampaign, renderCampaignTable, showDocument } from '../render-campaigns.js';
import type { CleanupDeps } from './cleanup.js';
import { cleanupCommand, found, parseCampaignId, refusalError, withRuntime } from './cleanup-runtime.js';

interface Flags {
  json?: boolean;
  sandbox?: boolean;
}

export async function listCampaigns(
  deps: CleanupDeps,
  opts: Flags & { status?: string; limit: string },
): Promise<void> {
  const parse = () => {
    const statuses = opts.status === undefined ? undefined : parseStatuses(opts.status);
    return {
      ...(statuses ? { statuses } : {}),
      limit: parseWholeNumberFlag('--limit', opts.limit, 1, 1000),
    };
  };
  await withRuntime(deps, frame(opts, true), parse, async (runtime, filter) => {
    const list = await runtime.campaigns.list(filter);
    if (opts.json)
      writeJson(
        deps.io,
        list.map((c) => planDocument(c, undefined)),
      );
    else deps.io.stdout.write(`${renderCampaignTable(list)}\n`);
    return undefined;
  });
}

export async function showCampaign(deps: CleanupDeps, id: string, opts: Flags): Promise<void> {
  await withRuntime(
    deps,
    frame(opts, true),
    () => parseCampaignId(id),
    async (runtime, campaignId) => {
      const campaign = await found(runtime.campaigns.get(campaignId), id);
      const progress = await found(runtime.campaigns.progress(campaign.id), id);
      const price = runtime.settings.workflow.storagePricePerGbMonth;
      if (opts.json) {
        writeJson(deps.io, showDocument(campaign, progress, price));
        return undefined;
      }
      const sample = await runtime.campaigns.items(campaign.id, { limit: 10 });
      // The campaign's own entries (whole-campaign entries have no video): its items' outcomes, one entry each,
      // would bury them, and are in `cleanup report`.
      const trail = await runtime.workflow.audit({ requestId: campaign.id, videoId: '' });
      deps.io.stdout.write(`${renderCampaign(campaign, progress, sample, trail, price)}\n`);
      return undefined;
    },
  );
}

export async function cancelCampaign(
  deps: CleanupDeps,
  id: string,
  opts: Flags & { reason?: string },
): Promise<void> {
  const parse = () => ({ campaignId: parseCampaignId(id), reason: clipReason(opts.reason) });
  await withRuntime(deps, frame(opts, false), parse, async (runtime, { campaignId, reason }) => {
    const result = await runtime.campaigns.cancel(campaignId, {
      by: deps.operator(),
      ...(reason ? { reason } : {}),
    });
    if (!result.ok) throw refusalError(campaignId, result.refusal);
    if (opts.json) writeJson(deps.io, { id: campaignId, status: result.campaign.status });
    else if (result.campaign.execution) {
      deps.io.stdout.write(
        `Campaign ${campaignId} is cancelled: no new item starts, and those running finish. What was deleted ` +
          `stays deleted: ${cleanupCommand('report', campaignId, opts.sandbox === true)}\n`,
      );
    } else deps.io.stdout.write(`Campaign ${campaignId} is cancelled: nothing of it will be deleted.\n`);
    return undefined;
  });
}

export async function pauseCampaign(
  deps: CleanupDeps,
  id: string,
  opts: Flags & { reason?: string },
): Promise<void> {
  const parse = () => ({ campaignId: parseCampaignId(id), reason: clipReason(opts.reason) });
  await withRuntime(deps, frame(opts, false), parse, async (runtime, { campaignId, reason }) => {
    const result = await runtime.campaigns.pause(campaignId, {
      by: deps.operator(),
      ...(reason ? { reason } : {}),
    });
    if (!result.ok) throw refusalError(campaignId, result.refusal);
    if (opts.json) writeJson(deps.io, { id: campaignId, status: result.campaign.status });
    else {
      deps.io.stdout.write(
        `Campaign ${campaignId} is paused: no new item starts, and those running finish. ` +
          `Resume it with: ${cleanupCommand('resume', campaignId, opts.sandbox === true)}\n`,
      );
    }
    return undefined;
  });
}

/**
 * `cleanup resume`: a paused campaign runs again (servers take it up at their next sweep; this command does not
 * run it: `cleanup run` does); a campaign whose plan was interrupted continues its plan here.
 */
export async function resumeCampaign(deps: CleanupDeps, id: string, opts: Flags): Promise<void> {
  const json = opts.json === true;
  await withRuntime(
    deps,
    frame(opts, false),
    () => parseCampaignId(id),
    async (runtime, campaignId) => {
      const campaign = await found(runtime.campaigns.get(campaignId), campaignId);
      if (campaign.status === 'planning') {
        // Loaded only here: the plan's modules (the rule's schemas, YAML) stay out of every other action.
        const { resumePlan } = await import('./cleanup-plan.js');
        return resumePlan(deps, runtime, campaignId, opts);
      }
      const result = await runtime.campaigns.resumeRun(campaignId, { by: deps.operator(), runHere: false });
      if (!result.ok) throw refusalError(campaignId, result.refusal);
      if (json) writeJson(deps.io, { id: campaignId, status: result.campaign.status });
      else {
        deps.io.stdout.write(
          `Campaign ${campaignId} is ${result.campaign.status} again: a vod-ops serve replica takes it up at its ` +
            `next sweep; without a server, run it with: ${cleanupCommand('run', campaignId, opts.sandbox === true)}\n`,
        );
      }
      return undefined;
    },
  );
}

function parseStatuses(raw: string): CampaignStatus[] {
  return parseChoiceListFlag('--status', raw, CAMPAIGN_STATUSES);
}

/** The frame of a command with `--json` and `--sandbox`. */
function frame(opts: Flags & { profile?: string }, readOnly: boolean) {
  return {
    json: opts.json === true,
    readOnly,
    sandbox: opts.sandbox === true,
    ...(opts.profile ? { account: { profile: opts.profile } } : {}),
  };
}
