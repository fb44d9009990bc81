import { CAMPAIGN_ID_PATTERN, type Campaign } from '../core/campaigns/campaign.js';
import { itemProgress } from '../core/campaigns/campaign-figures.js';
import { AppError } from '../core/errors.js';
import type { CampaignWorkflow } from '../core/workflow/campaign-workflow.js';
import { type CampaignView, toCampaignView } from './campaign-view.js';
import type { McpDeps } from './deps.js';

/** Failed or skipped items shown with a campaign: enough to see why, few enough to read. */
const PROBLEM_ITEMS = 5;

/** A campaign id as a tool takes it: `cp-` and 13 letters and digits, in any case, spaces around ignored. */
export function parseCampaignId(raw: string): string {
  const id = raw.trim().toLowerCase();
  if (!CAMPAIGN_ID_PATTERN.test(id)) {
    throw new AppError(
      'INVALID_INPUT',
      `${JSON.stringify(raw.slice(0, 40))} is not a campaign id: campaign ids look like cp-7kq2m9x4pzt1b ` +
        '(cp- and 13 letters and digits), as plan_stream_cleanup returns them.',
      { detail: { field: 'id' } },
    );
  }
  return id;
}

/** The campaign named by `raw`; a malformed id or an unknown campaign is refused, saying so. */
export async function findCampaign(campaigns: CampaignWorkflow, raw: string): Promise<Campaign> {
  const id = parseCampaignId(raw);
  const campaign = await campaigns.get(id);
  if (!campaign) throw new AppError('NOT_FOUND', `No campaign ${id}.`);
  return campaign;
}

/** A stored campaign as a model sees it: with its items' progress and a few that failed or were skipped. */
export async function readCampaignView(
  campaigns: CampaignWorkflow,
  campaign: Campaign,
  deps: Pick<McpDeps, 'clock' | 'storagePricePerGbMonth'>,
): Promise<CampaignView> {
  const [counts, problems] = await Promise.all([
    campaigns.counts(campaign.id),
    campaigns.items(campaign.id, { statuses: ['failed', 'skipped'], limit: PROBLEM_ITEMS }),
  ]);
  return toCampaignView(campaign, {
    now: deps.clock.now(),
    pricePerGbMonth: deps.storagePricePerGbMonth,
    progress: itemProgress(counts),
    problems,
  });
}
