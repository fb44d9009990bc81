import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { CAMPAIGN_ID_PATTERN, type Campaign } from '../core/campaigns/campaign.js';
import { voteOnCampaign } from '../core/campaigns/campaign-approval.js';
import type { CampaignRefusal } from '../core/campaigns/campaign-lifecycle.js';
import type { Principal } from '../core/requests/principal.js';
import type { CampaignAction } from '../core/workflow/campaign-workflow.js';
import {
  ACTION_CAMPAIGN_APPROVE,
  ACTION_CAMPAIGN_CANCEL,
  ACTION_CAMPAIGN_PAUSE,
  ACTION_CAMPAIGN_REJECT,
  ACTION_CAMPAIGN_RESUME,
  campaignRejectModal,
} from './campaign-blocks.js';
import { campaignRefusal } from './campaign-replies.js';
import { explain } from './commands.js';
import { type ListenerDeps, say } from './deps.js';
import { homesOf } from './home.js';
import { clickedElsewhere, clickedMessage } from './message-ref.js';
import { slackPrincipal } from './principal.js';
import { approvalCount } from './request-text.js';
import { logSlackFailure } from './slack-failure-log.js';

/** What a click does, once its campaign is known and the click is on its message: what to tell the clicker. */
type ClickWork = (
  campaign: Campaign,
  user: Principal,
  click: { triggerId: string; client: WebClient },
) => Promise<string | undefined>;

/** Refusals that mean the message shows a state the campaign has left: it is brought back in line. */
const STALE: ReadonlySet<CampaignRefusal['kind']> = new Set([
  'already_decided',
  'already_closed',
  'expired',
  'not_running',
  'not_paused',
]);

/**
 * The buttons of a campaign's message: Approve, Reject (asking why), Pause, Resume and Cancel. Each is acknowledged
 * at once; the clicker is the signed payload's user, and the button's value must be a campaign id (`cp-…`) before
 * the store is read, so a forged or malformed value does nothing but say so. A click counts only on the campaign's
 * own message. Who may do what is core's policy (approvers who are not the requester decide; the requester or an
 * approver pauses, resumes and cancels); its refusals are answered privately in core's words, and a refusal that
 * shows the message was stale (a late click on a closed campaign, say) also brings the message up to date.
 */
export function registerCampaignActions(app: App, deps: ListenerDeps): void {
  // A change this process made: the Homes that show the campaign (the clicker's, the requester's) follow at once.
  const done = async (
    id: string,
    user: Principal,
    result: CampaignAction,
    ok: (campaign: Campaign) => string | undefined,
  ) => {
    if (!result.ok) return refused(deps, id, result.refusal);
    await deps.homeTabs.refresh(homesOf(result.campaign, user.id));
    return ok(result.campaign);
  };
  const clicks: Array<[string, ClickWork]> = [
    [
      ACTION_CAMPAIGN_APPROVE,
      async (campaign, user) =>
        done(campaign.id, user, await deps.campaigns.vote(campaign.id, user, 'approve'), (after) =>
          after.status === 'pending'
            ? `Your approval is recorded: ${approvalCount(after)} of ${after.requiredApprovals}.`
            : undefined,
        ),
    ],
    [ACTION_CAMPAIGN_REJECT, (campaign, user, click) => askWhyReject(deps, campaign, user, click)],
    [
      ACTION_CAMPAIGN_PAUSE,
      async (campaign, user) =>
        done(
          campaign.id,
          user,
          await deps.campaigns.pause(campaign.id, { by: user }),
          (after) =>
            `Campaign ${after.id} is paused: items already running finish, and nothing new starts until someone ` +
            'clicks Resume.',
        ),
    ],
    [
      ACTION_CAMPAIGN_RESUME,
      async (campaign, user) =>
        done(
          campaign.id,
          user,
          await deps.campaigns.resumeRun(campaign.id, { by: user }),
          (after) => `Campaign ${after.id} runs again.`,
        ),
    ],
    [
      ACTION_CAMPAIGN_CANCEL,
      async (campaign, user) =>
        done(campaign.id, user, await deps.campaigns.cancel(campaign.id, { by: user }), (after) =>
          after.execution
            ? `Campaign ${after.id} is cancelled: no item starts any more; what was deleted stays deleted.`
            : `Campaign ${after.id} is cancelled; nothing was deleted.`,
        ),
    ],
  ];
  for (const [actionId, work] of clicks) {
    app.action<BlockAction<ButtonAction>>(actionId, async function onCampaignClick(args) {
      await args.ack();
      await onClick(deps, args, work);
    });
  }
}

async function onClick(
  deps: ListenerDeps,
  args: { body: BlockAction<ButtonAction>; action: ButtonAction; respond: RespondFn; client: WebClient },
  work: ClickWork,
): Promise<void> {
  const { body, action, respond, client } = args;
  const tell = (text: string) =>
    respond({ response_type: 'ephemeral', replace_original: false, text: say(deps, text) });
  try {
    await deps.afterAck.wait();
    const value: unknown = action.value;
    if (typeof value !== 'string' || !CAMPAIGN_ID_PATTERN.test(value)) {
      deps.logger.warn(
        { action: action.action_id, user: body.user.id },
        'a campaign button without a campaign id was refused',
      );
      await tell('That button does not name a clean-up campaign, so nothing was done.');
      return;
    }
    const campaign = await deps.campaigns.get(value);
    if (!campaign) {
      await tell(campaignRefusal(value, { kind: 'not_found' }));
      return;
    }
    const elsewhere = clickedElsewhere(campaign, 'campaign', clickedMessage(body));
    if (elsewhere) {
      await tell(elsewhere);
      return;
    }
    const text = await work(campaign, slackPrincipal(body.user), { triggerId: body.trigger_id, client });
    if (text) await tell(text);
  } catch (error) {
    await tell(explain(error, deps));
  }
}

/** A refusal in core's words; one showing the message was stale brings the message back in line too. */
function refused(deps: ListenerDeps, id: string, refusal: CampaignRefusal): string {
  if (STALE.has(refusal.kind)) void deps.campaignMessages.refresh(id, 'stale click');
  return campaignRefusal(id, refusal);
}

/** Opens the dialog asking why, only when the rejection could apply: the trigger id is valid for 3 s. */
async function askWhyReject(
  deps: ListenerDeps,
  campaign: Campaign,
  user: Principal,
  click: { triggerId: string; client: WebClient },
): Promise<string | undefined> {
  const isApprover = await deps.workflow.approvers.isApprover(user);
  const check = voteOnCampaign(campaign, {
    approver: user,
    decision: 'reject',
    isApprover,
    now: deps.clock.now(),
  });
  if (!check.ok) return refused(deps, campaign.id, check.refusal);
  try {
    await click.client.views.open({ trigger_id: click.triggerId, view: campaignRejectModal(campaign.id) });
    return undefined;
  } catch (error) {
    const code = logSlackFailure(
      deps.logger,
      deps.health,
      'views.open',
      error,
      { campaign: campaign.id },
      'could not open the reject dialog',
    );
    return `Slack did not open the dialog for your reason (${code}); click Reject again.`;
  }
}
