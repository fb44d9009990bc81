import type { App, SlackViewMiddlewareArgs } from '@slack/bolt';
import { CAMPAIGN_ID_PATTERN } from '../core/campaigns/campaign.js';
import type { Principal } from '../core/requests/principal.js';
import {
  REJECT_REASON_BLOCK,
  REJECT_REASON_INPUT,
  reasonModalSubject,
  refusalText,
  VIEW_REJECT,
} from './blocks.js';
import { VIEW_CAMPAIGN_REJECT } from './campaign-blocks.js';
import { campaignRefusal } from './campaign-replies.js';
import { explain } from './commands.js';
import { type ListenerDeps, say } from './deps.js';
import { homesOf } from './home.js';
import { approvalMessageOf } from './message-ref.js';
import { code } from './mrkdwn.js';
import { slackPrincipal } from './principal.js';
import { logSlackFailure } from './slack-failure-log.js';

/**
 * A rejection with its reason: the refusal to tell the approver, if any, the channel to tell them in, and the
 * Slack users besides the approver whose Home shows the subject (its requester).
 */
type Reject = (
  id: string,
  user: Principal,
  reason: string,
) => Promise<{ refusal?: string; channel?: string; homes?: string[] }>;

/**
 * The Reject modals' submissions, of a request and of a campaign: a reason is required; the rejection itself is
 * a workflow vote, and its refusal is told privately in the approval message's channel, or, when Reject was
 * clicked on the App Home, on the approver's Home, republished with the answer at the top. The Homes of the
 * approver and the requester are republished after a rejection.
 */
export function registerViews(app: App, deps: ListenerDeps): void {
  app.view(
    VIEW_REJECT,
    onRejectReason(deps, 'request', async (id, user, reason) => {
      const result = await deps.workflow.vote(id, user, 'reject', reason);
      const channel = result.request ? approvalMessageOf(result.request)?.channel : undefined;
      return {
        ...(result.ok
          ? { homes: homesOf(result.request) }
          : { refusal: refusalText(result.refusal, result.request) }),
        ...(channel ? { channel } : {}),
      };
    }),
  );
  app.view(
    VIEW_CAMPAIGN_REJECT,
    onRejectReason(deps, 'campaign', async (id, user, reason) => {
      // The id comes back from Slack: a campaign's, or nothing is read.
      if (!CAMPAIGN_ID_PATTERN.test(id)) return { refusal: 'That dialog does not name a clean-up campaign.' };
      const result = await deps.campaigns.vote(id, user, 'reject', reason);
      const channel = result.campaign ? approvalMessageOf(result.campaign)?.channel : undefined;
      return {
        ...(result.ok
          ? { homes: homesOf(result.campaign) }
          : { refusal: campaignRefusal(id, result.refusal) }),
        ...(channel ? { channel } : {}),
      };
    }),
  );
}

function onRejectReason(deps: ListenerDeps, noun: 'request' | 'campaign', reject: Reject) {
  return async function onRejectReason({
    ack,
    body,
    view,
    client,
  }: SlackViewMiddlewareArgs & { client: App['client'] }) {
    const reason = view.state.values[REJECT_REASON_BLOCK]?.[REJECT_REASON_INPUT]?.value?.trim() ?? '';
    if (reason === '') {
      await ack({
        response_action: 'errors',
        errors: { [REJECT_REASON_BLOCK]: 'Say why, so the requester knows.' },
      });
      return;
    }
    await ack();
    await deps.afterAck.wait();
    const { id, from } = reasonModalSubject(view.private_metadata);
    const user = slackPrincipal(body.user);
    let text: string | undefined;
    let channel: string | undefined;
    let homes: string[] = [];
    try {
      ({ refusal: text, channel, homes = [] } = await reject(id, user, reason));
    } catch (error) {
      text = explain(error, deps);
    }
    if (from === 'home') {
      // Asked for from the App Home: answered there, refusal or not; the requester's Home follows.
      const notice = text
        ? `${noun === 'request' ? 'Request' : 'Campaign'} ${code(id)}: ${text}`
        : `Your rejection of ${code(id)} is recorded; nothing of it will be deleted.`;
      await Promise.all([deps.homeTabs.publish(user.id, notice), deps.homeTabs.refresh(homes)]);
      return;
    }
    if (!text) await deps.homeTabs.refresh([user.id, ...homes]);
    if (!text) return;
    // Privately in the channel of the clicked message; from a copy in a direct message, or with no channel message
    // at all, in the app's conversation with the approver.
    const method = channel && from !== 'dm' ? 'chat.postEphemeral' : 'chat.postMessage';
    const said = say(deps, text);
    const sent =
      channel && from !== 'dm'
        ? client.chat.postEphemeral({ channel, user: user.id, text: said })
        : client.chat.postMessage({ channel: user.id, text: said });
    await sent.catch((error: unknown) => {
      logSlackFailure(
        deps.logger,
        deps.health,
        method,
        error,
        { [noun]: id },
        'could not tell an approver why their rejection was refused',
      );
    });
  };
}
