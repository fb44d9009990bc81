import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { applyVote } from '../core/requests/request-lifecycle.js';
import { ACTION_APPROVE, ACTION_REJECT, refusalText, rejectReasonModal } from './blocks.js';
import { explain } from './commands.js';
import { type ListenerDeps, say } from './deps.js';
import { homesOf } from './home.js';
import { clickedElsewhere, clickedMessage, clickedOnHome } from './message-ref.js';
import { code } from './mrkdwn.js';
import { slackPrincipal } from './principal.js';
import { logSlackFailure } from './slack-failure-log.js';

/** How a click is answered, and whether it was on the clicker's App Home. */
interface Answer {
  home: boolean;
  /** Tells the clicker `text` (mrkdwn, escaped) about the request clicked on. */
  tell(text: string): Promise<void>;
}

/**
 * Approve and Reject buttons, on a request's approval message or on an approver's App Home. `ack()` at once; the
 * approver is the signed payload's user, never anything in the button. Refusals (not an approver, the requester, a
 * late or double click, expired) are answered to the clicker alone: ephemerally in the channel, or at the top of
 * their Home, republished (a Home click has no response_url). The shared message is updated from workflow events
 * (see notifier.ts); the Homes of the clicker and the requester are republished after a decision.
 */
export function registerActions(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION_APPROVE,
    async function onApprove({ ack, body, action, respond }) {
      await ack();
      const requestId = action.value ?? '';
      const answer = answerFor(deps, body, respond, requestId);
      try {
        await deps.afterAck.wait();
        const elsewhere = answer.home ? undefined : await clickedElsewhereOf(deps, requestId, body);
        if (elsewhere) {
          await answer.tell(elsewhere);
          return;
        }
        const result = await deps.workflow.vote(requestId, slackPrincipal(body.user), 'approve');
        if (!result.ok) {
          await answer.tell(refusalText(result.refusal, result.request));
          return;
        }
        const approvals = result.request.votes.filter((v) => v.decision === 'approve').length;
        const of = `${approvals} of ${result.request.requiredApprovals}`;
        const told =
          result.request.status === 'pending'
            ? answer.tell(
                answer.home
                  ? `Your approval of ${code(requestId)} is recorded: ${of}.`
                  : `Your approval is recorded: ${of}.`,
              )
            : answer.home
              ? answer.tell(`Your approval of ${code(requestId)} is recorded: ${of}; approved, deleting now.`)
              : Promise.resolve();
        await Promise.all([
          told,
          deps.homeTabs.refresh(homesOf(result.request, ...(answer.home ? [] : [body.user.id]))),
        ]);
      } catch (error) {
        await answer.tell(explain(error, deps));
      }
    },
  );

  app.action<BlockAction<ButtonAction>>(
    ACTION_REJECT,
    async function onReject({ ack, body, action, respond, client }) {
      await ack();
      const requestId = action.value ?? '';
      const answer = answerFor(deps, body, respond, requestId);
      try {
        await deps.afterAck.wait();
        const elsewhere = answer.home ? undefined : await clickedElsewhereOf(deps, requestId, body);
        if (elsewhere) {
          await answer.tell(elsewhere);
          return;
        }
        const user = slackPrincipal(body.user);
        // Ask for a reason only when the rejection could apply; the trigger id is valid for 3 s, so stay quick.
        const [request, rights] = await Promise.all([
          deps.workflow.get(requestId),
          deps.workflow.voteRights(user),
        ]);
        const check = request
          ? applyVote(request, { approver: user, decision: 'reject', ...rights, now: deps.clock.now() })
          : ({ ok: false, refusal: { kind: 'not_found' } } as const);
        if (!check.ok) {
          await answer.tell(refusalText(check.refusal, request));
          return;
        }
        try {
          await client.views.open({
            trigger_id: body.trigger_id,
            view: rejectReasonModal(
              requestId,
              answer.home ? 'home' : clickedMessage(body).channel?.startsWith('D') ? 'dm' : 'message',
            ),
          });
        } catch (error) {
          const failure = logSlackFailure(
            deps.logger,
            deps.health,
            'views.open',
            error,
            { request: requestId },
            'could not open the reject dialog',
          );
          await answer.tell(
            `Slack did not open the dialog for your reason (${failure}); click Reject again.`,
          );
        }
      } catch (error) {
        await answer.tell(explain(error, deps));
      }
    },
  );
}

/**
 * A click on the approval message is answered ephemerally through its response_url, exactly as before the Home
 * existed; a click on the App Home by republishing the clicker's Home with the answer at the top, naming the request.
 */
function answerFor(
  deps: ListenerDeps,
  body: BlockAction<ButtonAction>,
  respond: RespondFn,
  requestId: string,
): Answer {
  if (clickedOnHome(body)) {
    return {
      home: true,
      tell: (text) => deps.homeTabs.publish(body.user.id, homeNotice(requestId, text)),
    };
  }
  return {
    home: false,
    tell: async (text) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text: say(deps, text) });
    },
  };
}

/** An answer shown on the Home names its request, unless it already does: the Home lists several. */
const homeNotice = (requestId: string, text: string) =>
  requestId && !text.includes(requestId) ? `Request ${code(requestId)}: ${text}` : text;

/** The explanation for a click that is not on the request's own approval message (see `clickedElsewhere`). */
async function clickedElsewhereOf(
  deps: ListenerDeps,
  requestId: string,
  body: BlockAction<ButtonAction>,
): Promise<string | undefined> {
  const request = await deps.workflow.get(requestId);
  // An unknown request: the vote says so.
  return request ? clickedElsewhere(request, 'request', clickedMessage(body)) : undefined;
}
