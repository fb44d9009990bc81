import type { Command } from 'commander';
import ms from 'ms';
import { CAMPAIGN_ID_PATTERN } from '../../core/campaigns/campaign.js';
import { AppError } from '../../core/errors.js';
import type { AuditEntry } from '../../core/requests/audit-entry.js';
import { REQUEST_STATUSES, type RequestStatus } from '../../core/requests/deletion-request.js';
import { REQUEST_ID_PATTERN } from '../../core/requests/request-id.js';
import { parseVideoId } from '../../core/vod/input-rules.js';
import type { CommandDeps } from '../command-deps.js';
import { parseChoiceListFlag, parseWholeNumberFlag } from '../flags.js';
import { EXIT, writeJson } from '../output.js';
import { renderAuditTable, renderRequest, renderRequestTable } from '../render-requests.js';

const STATUSES: readonly RequestStatus[] = REQUEST_STATUSES;

/** `vod-ops requests list|show` and `vod-ops audit`: read the store the workflow writes. */
export function registerRequestCommands(program: Command, deps: CommandDeps): void {
  const requests = program.command('requests').description('deletion requests and their state');

  requests
    .command('list')
    .description('deletion requests, newest first')
    .option('--status <statuses>', `only these statuses, comma-separated (${STATUSES.join(', ')})`)
    .option('--video <VideoId>', 'only requests for this video')
    .option('--limit <N>', 'at most N requests', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { status?: string; video?: string; limit: string; json?: boolean }) => {
      await withStore(
        deps,
        opts.json === true,
        () => {
          const statuses = opts.status === undefined ? undefined : parseStatuses(opts.status);
          return {
            ...(statuses ? { statuses } : {}),
            ...(opts.video ? { videoId: parseVideoId(opts.video) } : {}),
            limit: parseWholeNumberFlag('--limit', opts.limit, 1, 1000),
          };
        },
        async (runtime, filter) => {
          const list = await runtime.workflow.list(filter);
          if (opts.json) writeJson(deps.io, list);
          else deps.io.stdout.write(`${renderRequestTable(list, deps.clock.now())}\n`);
        },
      );
    });

  requests
    .command('show')
    .description('one request: what it deletes, votes, decision, execution and its audit trail')
    .argument('<id>', 'the request id (dr-...)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await withStore(
        deps,
        opts.json === true,
        () => parseRequestId(id, '<id>'),
        async (runtime, requestId) => {
          const request = await runtime.workflow.get(requestId);
          if (!request) {
            throw new AppError(
              'NOT_FOUND',
              `No deletion request ${id}. List them with \`vod-ops requests list\`.`,
            );
          }
          const trail = await runtime.workflow.audit({ requestId: request.id });
          if (opts.json) writeJson(deps.io, { request, audit: trail });
          else deps.io.stdout.write(`${renderRequest(request, trail, deps.clock.now())}\n`);
        },
      );
    });

  program
    .command('audit')
    .description('the append-only audit trail: the most recent entries, printed oldest first')
    .option('--since <when>', 'from this time: an ISO date/time, or a duration back from now (24h, 7d)')
    .option('--video <VideoId>', 'only entries about this video')
    .option('--request <id>', 'only entries about this request (dr-…) or campaign (cp-…)')
    .option('--limit <N>', 'at most N entries', '1000')
    .option('--json', 'print JSON lines, one entry per line')
    .action(
      async (opts: { since?: string; video?: string; request?: string; limit: string; json?: boolean }) => {
        const parse = () => ({
          ...(opts.since ? { since: parseSince(opts.since, deps.clock.now()) } : {}),
          ...(opts.video ? { videoId: parseVideoId(opts.video) } : {}),
          ...(opts.request ? { requestId: parseRequestId(opts.request, '--request', true) } : {}),
          limit: parseWholeNumberFlag('--limit', opts.limit, 1, 10_000),
          // The most recent entries when there are more than the limit, printed oldest first.
          newest: true,
        });
        await withStore(deps, opts.json === true, parse, async (runtime, filter) => {
          const entries: AuditEntry[] = (await runtime.workflow.audit(filter)).reverse();
          if (opts.json) {
            for (const entry of entries) deps.io.stdout.write(`${JSON.stringify(entry)}\n`);
            return;
          }
          deps.io.stdout.write(
            `${renderAuditTable(entries, Boolean(opts.since || opts.video || opts.request))}\n`,
          );
        });
      },
    );
}

/** Parses the options first (bad ones exit 2 before the store is touched), then reads the store. */
async function withStore<T>(
  deps: CommandDeps,
  json: boolean,
  parse: () => T,
  run: (runtime: Awaited<ReturnType<CommandDeps['openRuntime']>>, parsed: T) => Promise<void>,
): Promise<void> {
  try {
    const parsed = parse();
    const runtime = await deps.openRuntime({ sandbox: false, readOnly: true });
    try {
      await run(runtime, parsed);
      deps.setExitCode(EXIT.ok);
    } finally {
      await runtime.close();
    }
  } catch (error) {
    deps.onError(error, json);
  }
}

function parseStatuses(raw: string): RequestStatus[] {
  return parseChoiceListFlag('--status', raw, STATUSES);
}

/** An ISO date/time, or a duration back from `now` such as 24h or 7d. */
function parseSince(raw: string, now: number): number {
  const value = raw.trim();
  const duration = /^\d+(\.\d+)?\s*[a-z]+$/i.test(value) ? ms(value as ms.StringValue) : undefined;
  if (typeof duration === 'number' && Number.isFinite(duration)) return now - duration;
  const at = Date.parse(value);
  if (Number.isNaN(at)) {
    throw new AppError(
      'INVALID_INPUT',
      `--since takes an ISO date/time (2026-11-24T09:00Z) or a duration (24h, 7d), not "${raw}".`,
    );
  }
  return at;
}

/**
 * A request id as vod-ops makes them (`dr-` and 13 characters), or with `orCampaign` a campaign's (`cp-…`);
 * anything else is bad input, refused unsent.
 */
function parseRequestId(raw: string, what: string, orCampaign = false): string {
  const id = raw.trim().toLowerCase();
  if (!REQUEST_ID_PATTERN.test(id) && !(orCampaign && CAMPAIGN_ID_PATTERN.test(id))) {
    throw new AppError(
      'INVALID_INPUT',
      `${what} takes a request id such as dr-7kq2m9x4pzt1b, not "${raw.slice(0, 40)}". List them with \`vod-ops requests list\`.`,
    );
  }
  return id;
}
