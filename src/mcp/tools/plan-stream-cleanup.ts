import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { rulePath, ruleRefusal } from '../../core/campaigns/rule-problems.js';
import { resolveSelectionRule, SelectionRuleInput } from '../../core/campaigns/selection-rule.js';
import { DEFINITIONS, FORMATS } from '../../core/campaigns/stream-vocabulary.js';
import { AppError } from '../../core/errors.js';
import { formatBytes, plural } from '../../core/format.js';
import type { Principal } from '../../core/requests/principal.js';
import { MAX_REASON_LENGTH, parseReason } from '../../core/requests/reason.js';
import type { PlanProgress } from '../../core/workflow/campaign-planning.js';
import { CampaignView, toCampaignView, toDryRunView } from '../campaign-view.js';
import type { McpDeps } from '../deps.js';
import { createProgressNotifier, type ProgressExtra } from '../progress.js';
import { RegionArg } from '../region-arg.js';
import { failure, ok } from '../results.js';

/** Items listed with a stored plan, as a sample of what it would delete. */
const SAMPLE_ITEMS = 10;

/**
 * Each field of `shape` with the words an assistant reads, in a strict object (unknown fields refused, and the
 * refusal names the fields there are). The field schemas are the rule file's own: they read and refuse values
 * exactly as `cleanup plan --rule` does.
 */
function described<S extends Record<string, z.ZodType>>(
  shape: S,
  words: { [K in keyof S]: string },
  where: string,
) {
  const fields = Object.keys(shape);
  const annotated = Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => [key, schema.describe(words[key as keyof S])]),
  ) as S;
  return z.strictObject(annotated, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `${issue.keys.map((k) => JSON.stringify(k)).join(', ')} ${issue.keys.length === 1 ? 'is not a field' : 'are not fields'} of ${where}: its fields are ${fields.join(', ')}`
        : undefined,
  });
}

const DATE = 'a date (2025-12-03), a date-time with its zone (2025-12-03T08:00:00Z) or an age (365d, 1y)';
const SEARCH_TEXT = "letters, digits, spaces, '-', '_' and '.' only";
const rule = SelectionRuleInput.shape;

export const PlanStreamCleanupInput = described(
  {
    streams: described(
      rule.streams.unwrap().shape,
      {
        status:
          'Stream statuses, any of: Normal (plays) or Invisible (does not play: an older transcode of the same definition and format, or blocked). ["Invisible"] selects stale re-transcodes',
        definitions: `Definitions, any of: ${DEFINITIONS.join(', ')} (FD to 4K are video, OD the source's own resolution, AUTO adaptive, SQ and HQ audio)`,
        formats: `Formats, any of: ${FORMATS.join(', ')}`,
        streamType: 'video or audio',
        createdBefore: `Streams created before this: ${DATE}`,
      },
      'streams',
    ).optional(),
    videos: described(
      rule.videos.unwrap().shape,
      {
        createdBefore: `Videos created before this: ${DATE}`,
        createdAfter: `Videos created after this: ${DATE}`,
        category: 'Videos in this category (its CateId, a whole number)',
        tags: `Videos with any of these tags (at most 16; ${SEARCH_TEXT})`,
        title: `Videos whose title contains this text (${SEARCH_TEXT})`,
      },
      'videos',
    ).optional(),
    videoIds: rule.videoIds,
    guards: described(
      rule.guards.unwrap().shape,
      {
        keepLastPlayable:
          'Default true: a video that has a playable stream keeps one. Set false only if the user explicitly wants videos left unplayable',
        keepDefinitions:
          'A video that has a playable stream of one of these definitions keeps one, the first listed preferred',
      },
      'guards',
    ).optional(),
    region: RegionArg,
    reason: z.string().min(1).max(MAX_REASON_LENGTH),
    dryRun: z.boolean().default(false),
  },
  {
    streams:
      'Which streams to delete. Every criterion given must hold; at least one is required (a rule without any would delete every stream)',
    videos:
      'Which videos to look in (status Normal only). Leave it out for the whole library. Not together with videoIds',
    videoIds:
      'Exactly these videos (VideoIds: 32 hexadecimal characters; at most 10,000) instead of a search. Not together with videos',
    guards: 'What each video keeps, whatever the rule selects',
    region:
      "The VOD region whose library to walk (e.g. ap-southeast-1); leave it out for vod-ops' first region. A campaign covers one region",
    reason: `Why these streams should go, at most ${MAX_REASON_LENGTH} characters: the approvers read it. Required for a dry run too, so the same call can be repeated without dryRun`,
    dryRun:
      'true: only count what the rule would free and show a sample; nothing is stored and nobody is asked. Default false: the campaign is stored for people to approve in Slack',
  },
  'plan_stream_cleanup',
);

/**
 * `plan_stream_cleanup`: walks the library by a selection rule and stores the result as a campaign that people
 * approve in Slack (or, with `dryRun`, only counts). It deletes nothing and records one campaign: not read-only,
 * not destructive, not idempotent (each call plans a new campaign), open world (it reads VOD). A cancelled call
 * leaves its campaign `planning`, resumable with `vod-ops cleanup resume <id>`.
 */
export function registerPlanStreamCleanupTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'plan_stream_cleanup',
    {
      title: 'Plan a library-wide stream clean-up',
      description:
        'Plans a clean-up of transcoded streams across the whole ApsaraVideo VOD library: walks the library, ' +
        'selects streams by the rule (guards keep each video playable) and reports what it would free: videos, ' +
        'streams, bytes, DeleteStream calls, a breakdown by definition and format, the monthly saving when a ' +
        'storage price is configured, and a sample. Unless dryRun, it stores the plan as a campaign (cp-…) that ' +
        'PEOPLE APPROVE IN SLACK: this tool deletes nothing, and you cannot delete a campaign’s streams yourself. ' +
        'Check it with get_cleanup_campaign; withdraw it with cancel_cleanup_campaign. Try a rule with dryRun ' +
        'true first. Planning reads every video and can take minutes on a large library: send a progressToken ' +
        'for progress (each notification names the campaign). If the call is cancelled or cut off, the campaign ' +
        'stays planning with what it found, and a person can finish it with `vod-ops cleanup resume <id>`.' +
        (deps.approval === 'unavailable'
          ? ' Here only dryRun works: no approval path is configured, so no campaign can be stored.'
          : ''),
      inputSchema: PlanStreamCleanupInput,
      outputSchema: CampaignView,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    async (args, extra) => {
      try {
        const clientName = server.server.getClientVersion()?.name;
        const requester: Principal = {
          ...deps.principal,
          source: 'mcp',
          ...(clientName ? { clientName } : {}),
        };
        if (deps.approval === 'unavailable' && !args.dryRun) {
          throw new AppError(
            'CONFIG',
            'Clean-up campaigns are refused: no approval path is configured for AI assistants, so nobody could ' +
              'approve one. An operator must configure Slack (SLACK_BOT_TOKEN and VOD_OPS_APPROVAL_CHANNEL). A ' +
              'dry run (dryRun: true) still counts what a rule would free.',
          );
        }
        const { streams, videos, videoIds, guards } = args;
        const checked = resolveSelectionRule({ streams, videos, videoIds, guards }, deps.clock.now());
        if (!checked.ok) throw ruleRefusal('Rule not accepted', checked.problems, rulePath);
        const reason = parseReason(args.reason);
        if (reason === '') throw new AppError('INVALID_INPUT', 'Give a reason: the approvers read it.');
        const { campaigns, vod } = await deps.backend();
        const region = args.region ?? vod.home;
        const price = deps.storagePricePerGbMonth;
        const report = progressReport(extra, checked.rule.videoIds?.length);

        if (args.dryRun) {
          const preview = await campaigns.preview(checked.rule, report, extra.signal, region);
          return ok(
            toDryRunView({ rule: checked.rule, region, plan: preview, sample: preview.sample }, price),
          );
        }
        const allowed = deps.rateLimit.take(requester.id);
        if (!allowed.ok) {
          throw new AppError(
            'CONFLICT',
            `Too many deletion requests and campaigns from ${requester.id} in the last hour; the next is ` +
              `possible in ${Math.ceil(allowed.retryAfterMs / 60_000)} minute(s). Nothing was planned.`,
          );
        }
        const campaign = await campaigns
          .plan({ rule: checked.rule, region, reason, requester }, report, extra.signal)
          .catch((error: unknown) => {
            // A plan that never started asks nothing of anyone; one that stopped part-way is a campaign.
            if (!(error instanceof AppError && error.detail.campaignId)) deps.rateLimit.refund(requester.id);
            throw error;
          });
        const sample = await campaigns.items(campaign.id, { limit: SAMPLE_ITEMS });
        return ok(toCampaignView(campaign, { now: deps.clock.now(), pricePerGbMonth: price, sample }));
      } catch (error) {
        if (extra.signal.aborted && !(error instanceof AppError)) {
          // The client cancelled a dry run: nothing was stored, and the SDK sends no answer to a cancelled call.
          return { isError: true, content: [{ type: 'text', text: 'Cancelled: nothing was stored.' }] };
        }
        return failure(error, deps.logger, hintFor(error));
      }
    },
  );
}

/**
 * Progress after each page of the walk, for a client that sent a progress token: videos walked so far (of the
 * list, when the rule lists its videos), and, once the campaign exists, how to resume it should the call end.
 */
function progressReport(extra: ProgressExtra, total: number | undefined): (progress: PlanProgress) => void {
  const notify = createProgressNotifier(extra);
  return ({ campaignId, totals, unreadable }) => {
    const walked = totals.videosScanned + unreadable;
    const found = `${plural(walked, 'video')} read, ${plural(totals.streams, 'stream')} (${formatBytes(totals.bytes)}) selected so far`;
    void notify(
      walked,
      campaignId
        ? `Planning ${campaignId}: ${found}. If this call is cancelled, ${campaignId} stays planning: ` +
            `continue it with vod-ops cleanup resume ${campaignId}.`
        : `Dry run: ${found}.`,
      total,
    );
  };
}

function hintFor(error: unknown): string | undefined {
  if (!(error instanceof AppError)) return undefined;
  const campaignId = error.detail.campaignId;
  if (typeof campaignId === 'string') {
    return (
      `Campaign ${campaignId} keeps what it planned: see it with get_cleanup_campaign. While it is planning, ` +
      `tell the user that a person can continue it with \`vod-ops cleanup resume ${campaignId}\`, or withdraw ` +
      'it with cancel_cleanup_campaign.'
    );
  }
  if (error.code === 'INVALID_INPUT') {
    return 'Correct what the message names and call plan_stream_cleanup again; dryRun true checks a rule without storing anything.';
  }
  if (error.code === 'UPSTREAM_UNAVAILABLE') return 'Try again in a minute.';
  return undefined;
}
