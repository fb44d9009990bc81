import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { AppError, toEdgeError } from '../core/errors.js';
import { type JobIds, parseJobIds, parseVideoId, type VideoId } from '../core/vod/input-rules.js';
import { readVideoStreamsIn } from '../core/vod/video-streams.js';
import { recordPosted } from './announcer.js';
import {
  approvalMessage,
  helpMessage,
  pendingListMessage,
  refusalText,
  requestStatusMessage,
  slackDate,
  streamsMessage,
} from './blocks.js';
import { campaignPendingListMessage, campaignRefusal, campaignStatusMessage } from './campaign-replies.js';
import { parseVodCommand, USAGE, type VodCommand } from './command-text.js';
import { type ListenerDeps, type SlackDeps, say } from './deps.js';
import { homesOf } from './home.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { slackPrincipal } from './principal.js';
import { logSlackFailure } from './slack-failure-log.js';

/**
 * `/vod`: `ack()` comes first, within Slack's 3 seconds, before any call to Alibaba or the store. Bad input is
 * answered in the ack itself (ephemeral, with the usage); the slow work follows and answers through
 * `respond()`, visible only to the caller.
 */
export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command('/vod', async function onVodCommand({ command, ack, respond, client }) {
    const checked = checkCommand(parseVodCommand(command.text));
    if ('refusal' in checked) {
      await ack({ response_type: 'ephemeral', text: say(deps, checked.refusal) });
      return;
    }
    const parsed = checked.command;
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

/** A command whose ids passed the input rules. */
type CheckedCommand =
  | { kind: 'delete-stream'; videoId: VideoId; jobIds: JobIds; reason: string; region?: string }
  | { kind: 'streams'; videoId: VideoId; region?: string }
  | Exclude<VodCommand, { kind: 'delete-stream' | 'streams' }>;

/** Applies the input rules once, without any I/O: a refusal is answered in the ack. */
function checkCommand(parsed: VodCommand): { command: CheckedCommand } | { refusal: string } {
  try {
    if (parsed.kind === 'help' && parsed.problem) {
      return { refusal: `${escapeMrkdwn(parsed.problem)}\n\n${USAGE}` };
    }
    if (parsed.kind === 'delete-stream') {
      const videoId = parseVideoId(parsed.videoId);
      return { command: { ...parsed, videoId, jobIds: parseJobIds(parsed.jobIds) } };
    }
    if (parsed.kind === 'streams') return { command: { ...parsed, videoId: parseVideoId(parsed.videoId) } };
    return { command: parsed };
  } catch (error) {
    if (error instanceof AppError) return { refusal: `${escapeMrkdwn(error.message)}\n\nUsage:\n${USAGE}` };
    throw error;
  }
}

async function runCommand(
  parsed: Exclude<CheckedCommand, { kind: 'help' }>,
  command: SlashCommand,
  respond: RespondFn,
  client: WebClient,
  deps: ListenerDeps,
): Promise<void> {
  const user = slackPrincipal({ id: command.user_id, name: command.user_name });
  switch (parsed.kind) {
    case 'delete-stream': {
      const { request, created } = await deps.workflow.requestDeletion({
        videoId: parsed.videoId,
        jobIds: parsed.jobIds,
        ...(parsed.region ? { region: parsed.region } : {}),
        reason: parsed.reason,
        requester: user,
        announcesItself: true,
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
      let posted: { channel?: string; ts?: string };
      try {
        posted = await client.chat.postMessage({
          channel,
          ...approvalMessage(request, { sandbox: deps.sandbox }),
        });
      } catch (error) {
        // Nobody could approve a request nobody can see: withdraw it rather than leave it pending unseen.
        await deps.workflow.cancel(request.id, user, 'could not be posted for approval');
        const code = logSlackFailure(
          deps.logger,
          deps.health,
          'chat.postMessage',
          error,
          { request: request.id, channel },
          'could not post a request for approval; it was withdrawn',
        );
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
      const recorded = await recordPosted(
        { noun: 'request', recordAnnouncement: (id, ref) => deps.workflow.recordAnnouncement(id, ref) },
        request.id,
        posted,
        deps.logger,
      );
      await respond({
        response_type: 'ephemeral',
        text: say(
          deps,
          `Request ${request.id} is posted in <#${channel}> for approval (${request.requiredApprovals} needed, ` +
            `expires ${slackDate(request.expiresAt)}).` +
            (recorded
              ? ' You will see the outcome there.'
              : ` Its message will not show the outcome: check it with \`/vod status ${request.id}\`.`),
        ),
      });
      return;
    }
    case 'streams': {
      const { video, streams, region } = await readVideoStreamsIn(deps.vod, parsed.videoId, parsed.region);
      await respond({
        response_type: 'ephemeral',
        ...streamsMessage(
          video,
          streams,
          { sandbox: deps.sandbox },
          deps.vod.names.length > 1 ? region : undefined,
        ),
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
    case 'cleanup-status': {
      const campaign = await deps.campaigns.get(parsed.campaignId);
      await respond({
        response_type: 'ephemeral',
        ...(campaign
          ? campaignStatusMessage(campaign, await deps.campaigns.progress(campaign.id), {
              sandbox: deps.sandbox,
            })
          : { text: say(deps, campaignRefusal(parsed.campaignId, { kind: 'not_found' })) }),
      });
      return;
    }
    case 'cleanup-pending': {
      const pending = await deps.campaigns.list({ statuses: ['pending'], limit: 50 });
      await respond({
        response_type: 'ephemeral',
        ...campaignPendingListMessage(pending, { sandbox: deps.sandbox }),
      });
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
      if (result.ok) await deps.homeTabs.refresh(homesOf(result.request, user.id));
      return;
    }
  }
}

/** The edge policy for Slack: an AppError's message is written for people; anything else is logged once. */
export function explain(error: unknown, deps: SlackDeps): string {
  const appError = toEdgeError(error, (summary) =>
    deps.logger.error({ edge: 'slack', err: summary }, 'unexpected error in a Slack listener'),
  );
  // Messages can quote what the user typed: escaped like everything shown in Slack.
  const message = escapeMrkdwn(appError.message);
  return appError.detail.requestId ? `${message} (Alibaba RequestId ${appError.detail.requestId})` : message;
}
