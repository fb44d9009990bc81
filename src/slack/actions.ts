import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { applyVote } from '../core/requests/request-lifecycle.js';
import { ACTION_APPROVE, ACTION_REJECT, refusalText, rejectReasonModal } from './blocks.js';
import { explain } from './commands.js';
import { type ListenerDeps, say } from './deps.js';
import { clickedElsewhere, clickedMessage } from './message-ref.js';
import { slackPrincipal } from './principal.js';
import { logSlackFailure } from './slack-failure-log.js';

/**
 * Approve and Reject buttons. `ack()` at once; the approver is the signed payload's user, never anything in
 * the button. Refusals (not an approver, the requester, a late or double click, expired) are answered
 * ephemerally to the clicker; the shared message is updated from workflow events (see notifier.ts).
 */
export function registerActions(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION_APPROVE,
    async function onApprove({ ack, body, action, respond }) {
      await ack();
      try {
        await deps.afterAck.wait();
        const requestId = action.value ?? '';
        const elsewhere = await clickedElsewhereOf(deps, requestId, body);
        if (elsewhere) {
          await respond({ response_type: 'ephemeral', replace_original: false, text: say(deps, elsewhere) });
          return;
        }
        const result = await deps.workflow.vote(requestId, slackPrincipal(body.user), 'approve');
        if (!result.ok) {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: say(deps, refusalText(result.refusal, result.request)),
          });
        } else if (result.request.status === 'pending') {
          const approvals = result.request.votes.filter((v) => v.decision === 'approve').length;
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: say(
              deps,
              `Your approval is recorded: ${approvals} of ${result.request.requiredApprovals}.`,
            ),
          });
        }
      } catch (error) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: say(deps, explain(error, deps)),
        });
      }
    },
  );

  app.action<BlockAction<ButtonAction>>(
    ACTION_REJECT,
    async function onReject({ ack, body, action, respond, client }) {
      await ack();
      try {
        await deps.afterAck.wait();
        const requestId = action.value ?? '';
        const elsewhere = await clickedElsewhereOf(deps, requestId, body);
        if (elsewhere) {
          await respond({ response_type: 'ephemeral', replace_original: false, text: say(deps, elsewhere) });
          return;
        }
        const user = slackPrincipal(body.user);
        // Ask for a reason only when the rejection could apply; the trigger id is valid for 3 s, so stay quick.
        const [request, isApprover] = await Promise.all([
          deps.workflow.get(requestId),
          deps.workflow.approvers.isApprover(user),
        ]);
        const check = request
          ? applyVote(request, { approver: user, decision: 'reject', isApprover, now: deps.clock.now() })
          : ({ ok: false, refusal: { kind: 'not_found' } } as const);
        if (!check.ok) {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: say(deps, refusalText(check.refusal, request)),
          });
          return;
        }
        try {
          await client.views.open({ trigger_id: body.trigger_id, view: rejectReasonModal(requestId) });
        } catch (error) {
          const code = logSlackFailure(
            deps.logger,
            deps.health,
            'views.open',
            error,
            { request: requestId },
            'could not open the reject dialog',
          );
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: say(deps, `Slack did not open the dialog for your reason (${code}); click Reject again.`),
          });
        }
      } catch (error) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: say(deps, explain(error, deps)),
        });
      }
    },
  );
}

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
