import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { AppError } from '../core/errors.js';
import { bothSettled } from '../core/requests/deletion-preview.js';
import { parseJobIds, parseVideoId } from '../core/vod/input-rules.js';
import {
  approvalMessage,
  helpMessage,
  pendingListMessage,
  refusalText,
  requestStatusMessage,
  slackDate,
  streamsMessage,
} from './blocks.js';
import { parseVodCommand, USAGE, type VodCommand } from './command-text.js';
import { type ListenerDeps, type SlackDeps, say } from './deps.js';
import { slackPrincipal } from './principal.js';
import { slackErrorCode } from './slack-error.js';

/**
 * `/vod`: `ack()` comes first, within Slack's 3 seconds, before any call to Alibaba or the store. Bad input is
 * answered in the ack itself (ephemeral, with the usage); the slow work follows and answers through
 * `respond()`, visible only to the caller.
 */
export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command('/vod', async function onVodCommand({ command, ack, respond, client }) {
    const parsed = parseVodCommand(command.text);
    const refusal = syntaxProblem(parsed);
    if (refusal) {
      await ack({ response_type: 'ephemeral', text: say(deps, refusal) });
      return;
    }
    if (parsed.kind === 'help') {
      await ack({ response_type: 'ephemeral', ...helpMessage({ sandbox: deps.sandbox }) });
      return;
    }
    await ack(
      parsed.kind === 'delete-stream'
        ? {
            response_type: 'ephemeral',
            text: say(deps, 'Checking the video and its streams; the request will be posted for approval…'),
          }
        : undefined,
    );
    try {
      await deps.afterAck.wait();
      await runCommand(parsed, command, respond, client, deps);
    } catch (error) {
      await respond({ response_type: 'ephemeral', text: say(deps, explain(error, deps)) });
    }
  });
}

/** Problems found without any I/O: answered in the ack. */
function syntaxProblem(parsed: VodCommand): string | undefined {
  try {
    if (parsed.kind === 'help' && parsed.problem) return `${parsed.problem}\n\n${USAGE}`;
    if (parsed.kind === 'delete-stream') {
      parseVideoId(parsed.videoId);
      parseJobIds(parsed.jobIds);
    }
    if (parsed.kind === 'streams') parseVideoId(parsed.videoId);
    return undefined;
  } catch (error) {
    return error instanceof AppError ? `${error.message}\n\nUsage:\n${USAGE}` : undefined;
  }
}

async function runCommand(
  parsed: Exclude<VodCommand, { kind: 'help' }>,
  command: SlashCommand,
  respond: RespondFn,
  client: WebClient,
  deps: SlackDeps,
): Promise<void> {
  const user = slackPrincipal({ id: command.user_id, name: command.user_name });
  switch (parsed.kind) {
    case 'delete-stream': {
      const { request, created } = await deps.workflow.requestDeletion({
        videoId: parsed.videoId,
        jobIds: parsed.jobIds,
        reason: parsed.reason,
        requester: user,
      });
      if (!created) {
        await respond({
          response_type: 'ephemeral',
          text: say(
            deps,
            `An identical request is already waiting for approval: ${request.id} (asked by ${request.requester.displayName}).`,
          ),
        });
        return;
      }
      const channel = deps.approvalChannel ?? command.channel_id;
      try {
        const posted = await client.chat.postMessage({
          channel,
          ...approvalMessage(request, { sandbox: deps.sandbox }),
        });
        if (posted.channel && posted.ts) {
          await deps.workflow.attachApprovalMessage(request.id, { channel: posted.channel, ts: posted.ts });
        }
      } catch (error) {
        // Nobody could approve a request nobody can see: withdraw it rather than leave it pending unseen.
        await deps.workflow.cancel(request.id, user, 'could not be posted for approval');
        const code = slackErrorCode(error) ?? 'unknown error';
        await respond({
          response_type: 'ephemeral',
          text: say(
            deps,
            `I could not post the request in <#${channel}> (${code}). Invite the vod-ops app to that channel, or set ` +
              'VOD_OPS_APPROVAL_CHANNEL to one it is in. The request was withdrawn; nothing was deleted.',
          ),
        });
        return;
      }
      await respond({
        response_type: 'ephemeral',
        text: say(
          deps,
          `Request ${request.id} is posted in <#${channel}> for approval (${request.requiredApprovals} needed, ` +
            `expires ${slackDate(request.expiresAt)}). You will see the outcome there.`,
        ),
      });
      return;
    }
    case 'streams': {
      const videoId = parseVideoId(parsed.videoId);
      const [video, playInfo] = await bothSettled(
        deps.vod.getVideoInfo(videoId),
        deps.vod.getPlayInfo(videoId),
      );
      await respond({
        response_type: 'ephemeral',
        ...streamsMessage(video, playInfo.streams, { sandbox: deps.sandbox }),
      });
      return;
    }
    case 'status': {
      const request = await deps.workflow.get(parsed.requestId);
      await respond({
        response_type: 'ephemeral',
        ...(request
          ? requestStatusMessage(request, { sandbox: deps.sandbox })
          : { text: say(deps, refusalText({ kind: 'not_found' }, undefined, parsed.requestId)) }),
      });
      return;
    }
    case 'pending': {
      const open = await deps.workflow.list({ statuses: ['pending'], limit: 50 });
      await respond({ response_type: 'ephemeral', ...pendingListMessage(open, { sandbox: deps.sandbox }) });
      return;
    }
    case 'cancel': {
      const result = await deps.workflow.cancel(parsed.requestId, user, parsed.reason || undefined);
      await respond({
        response_type: 'ephemeral',
        text: say(
          deps,
          result.ok
            ? `Request ${parsed.requestId} is cancelled; nothing was deleted.`
            : refusalText(result.refusal, result.request),
        ),
      });
      return;
    }
  }
}

/** An AppError's message is written for people; anything else is a bug, logged, and told as such. */
export function explain(error: unknown, deps: SlackDeps): string {
  if (error instanceof AppError) {
    return error.detail.requestId
      ? `${error.message} (Alibaba RequestId ${error.detail.requestId})`
      : error.message;
  }
  deps.logger.error({ err: String(error) }, 'slack command failed');
  return 'Something went wrong on the vod-ops side; the operators can find it in the logs. Nothing was deleted.';
}
