import type { App } from '@slack/bolt';
import { REJECT_REASON_BLOCK, REJECT_REASON_INPUT, refusalText, VIEW_REJECT } from './blocks.js';
import { explain } from './commands.js';
import { type ListenerDeps, say } from './deps.js';
import { approvalMessageOf } from './message-ref.js';
import { slackPrincipal } from './principal.js';
import { logSlackFailure } from './slack-failure-log.js';

/** The Reject modal's submission: a reason is required; the rejection itself is a workflow vote. */
export function registerViews(app: App, deps: ListenerDeps): void {
  app.view(VIEW_REJECT, async function onRejectReason({ ack, body, view, client }) {
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
    const requestId = view.private_metadata;
    const user = slackPrincipal(body.user);
    let text: string | undefined;
    let channel: string | undefined;
    try {
      const result = await deps.workflow.vote(requestId, user, 'reject', reason);
      channel = result.request ? approvalMessageOf(result.request)?.channel : undefined;
      if (!result.ok) text = refusalText(result.refusal, result.request);
    } catch (error) {
      text = explain(error, deps);
    }
    if (text && channel) {
      await client.chat
        .postEphemeral({ channel, user: user.id, text: say(deps, text) })
        .catch((error: unknown) => {
          logSlackFailure(
            deps.logger,
            deps.health,
            'chat.postEphemeral',
            error,
            { request: requestId },
            'could not tell an approver why their rejection was refused',
          );
        });
    } else if (text)
      deps.logger.warn(
        { request: requestId, user: user.id, text },
        'rejection refused; no channel to say so',
      );
  });
}
