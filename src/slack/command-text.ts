import { CAMPAIGN_ID_PATTERN } from '../core/campaigns/campaign.js';
import { REQUEST_ID_PATTERN } from '../core/requests/request-id.js';
import { REGION_ID_PATTERN } from '../core/vod/vod-config.js';

/** What `/vod <text>` asks for. Parsing is syntax only; the core's input rules validate the ids. */
export type VodCommand =
  | { kind: 'delete-stream'; videoId: string; jobIds: string[]; reason: string; region?: string }
  | { kind: 'streams'; videoId: string; region?: string }
  | { kind: 'status'; requestId: string }
  | { kind: 'cancel'; requestId: string; reason: string }
  | { kind: 'pending' }
  | { kind: 'cleanup-status'; campaignId: string }
  | { kind: 'cleanup-pending' }
  | { kind: 'help'; problem?: string };

export const USAGE = [
  '`/vod delete-stream <VideoId> <JobId>[,<JobId>...] [reason...]`: ask for streams to be deleted (approvers decide)',
  '`/vod streams <VideoId>`: list a video’s streams and their job IDs (only you see it)',
  '(both take `--region <region>` when vod-ops serves several regions and cannot tell which holds the video)',
  '`/vod status <request-id>`: where a deletion request stands',
  '`/vod pending`: open deletion requests',
  '`/vod cancel <request-id> [reason...]`: withdraw a request (requester or approver)',
  '`/vod cleanup status <campaign-id>`: where a library clean-up campaign stands, with its progress',
  '`/vod cleanup pending`: clean-up campaigns awaiting approval',
  '`/vod help`: this help',
].join('\n');

/**
 * Parses the text after `/vod`. Job IDs may be comma- or space-separated; after the VideoId, every token that
 * looks like an id attempt (hex only and 16+ characters, or holding a comma) is taken as a job ID, so a
 * mistyped id is refused by the input rules instead of silently becoming the first word of the reason. The
 * first other word starts the reason.
 */
export function parseVodCommand(text: string): VodCommand {
  const tokens = text
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  const [verb, ...rest] = tokens;
  switch (verb?.toLowerCase()) {
    case 'delete-stream':
    case 'delete-streams':
      return deleteStreamCommand(rest);
    case 'streams':
      return streamsCommand(rest);
    case 'status':
      return requestIdCommand('status', rest);
    case 'cancel': {
      const parsed = requestIdCommand('cancel', rest);
      return parsed.kind === 'cancel' ? { ...parsed, reason: rest.slice(1).join(' ') } : parsed;
    }
    case 'pending':
      return { kind: 'pending' };
    case 'cleanup':
      return cleanupCommand(rest);
    case undefined:
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'help', problem: `Unknown command "${clip(verb ?? '')}".` };
  }
}

/**
 * `delete-stream <VideoId> <JobIds...> [reason...]`, with `--region <region>` anywhere before the reason starts
 * (before or after the VideoId, among or after the job IDs). From the first other word on, everything is the
 * reason, as typed: a `--region` there is the requester's words, not an option.
 */
function deleteStreamCommand(words: string[]): VodCommand {
  let region: string | undefined;
  let videoId: string | undefined;
  const jobIds: string[] = [];
  let i = 0;
  while (i < words.length) {
    const option = regionOption(words, i, region);
    if (option === undefined) {
      const word = words[i] ?? '';
      if (videoId === undefined) videoId = word;
      else if (looksLikeIds(word)) jobIds.push(word);
      else break;
      i += 1;
      continue;
    }
    if ('problem' in option) return { kind: 'help', problem: option.problem };
    region = option.region;
    i = option.next;
  }
  if (!videoId) return { kind: 'help', problem: 'delete-stream needs a VideoId and at least one job ID.' };
  if (jobIds.length === 0) {
    return { kind: 'help', problem: 'delete-stream needs at least one job ID after the VideoId.' };
  }
  return {
    kind: 'delete-stream',
    videoId,
    jobIds,
    reason: words.slice(i).join(' '),
    ...(region ? { region } : {}),
  };
}

/** `streams <VideoId>`, with `--region <region>` before or after it. */
function streamsCommand(words: string[]): VodCommand {
  let region: string | undefined;
  let videoId: string | undefined;
  let i = 0;
  while (i < words.length && (videoId === undefined || region === undefined)) {
    const option = regionOption(words, i, region);
    if (option === undefined) {
      if (videoId !== undefined) break;
      videoId = words[i];
      i += 1;
      continue;
    }
    if ('problem' in option) return { kind: 'help', problem: option.problem };
    region = option.region;
    i = option.next;
  }
  if (!videoId) return { kind: 'help', problem: 'streams needs a VideoId.' };
  return { kind: 'streams', videoId, ...(region ? { region } : {}) };
}

/**
 * `--region <region>` or `--region=<region>` at `words[at]`: the region (its syntax checked; whether vod-ops serves
 * it is for core to say) and where the next word is; undefined when `words[at]` is no such option.
 */
function regionOption(
  words: string[],
  at: number,
  already: string | undefined,
): { region: string; next: number } | { problem: string } | undefined {
  const word = words[at] ?? '';
  const lower = word.toLowerCase();
  if (lower !== '--region' && !lower.startsWith('--region=')) return undefined;
  if (already !== undefined) return { problem: 'Give --region once.' };
  const inline = lower.startsWith('--region=');
  const value = (inline ? word.slice('--region='.length) : (words[at + 1] ?? '')).toLowerCase();
  if (!REGION_ID_PATTERN.test(value)) {
    return { problem: `--region takes a region id such as ap-southeast-1, not "${clip(value)}".` };
  }
  return { region: value, next: at + (inline ? 1 : 2) };
}

function looksLikeIds(token: string): boolean {
  return token.includes(',') || /^[0-9a-f]{16,}$/i.test(token);
}

function requestIdCommand(kind: 'status' | 'cancel', rest: string[]): VodCommand {
  const id = rest[0]?.toLowerCase();
  if (!id) return { kind: 'help', problem: `${kind} needs a request id (dr-…).` };
  if (!REQUEST_ID_PATTERN.test(id)) {
    return {
      kind: 'help',
      problem: `"${clip(rest[0] ?? '')}" is not a request id: they look like dr-7kq2m9x4pzt1b.`,
    };
  }
  return kind === 'status' ? { kind, requestId: id } : { kind, requestId: id, reason: '' };
}

function cleanupCommand(rest: string[]): VodCommand {
  const [sub, id] = rest;
  switch (sub?.toLowerCase()) {
    case 'pending':
      return { kind: 'cleanup-pending' };
    case 'status': {
      if (!id) return { kind: 'help', problem: 'cleanup status needs a campaign id (cp-…).' };
      const campaignId = id.toLowerCase();
      return CAMPAIGN_ID_PATTERN.test(campaignId)
        ? { kind: 'cleanup-status', campaignId }
        : { kind: 'help', problem: `"${clip(id)}" is not a campaign id: they look like cp-7kq2m9x4pzt1b.` };
    }
    default:
      return { kind: 'help', problem: 'cleanup takes `status <campaign-id>` or `pending`.' };
  }
}

function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 37)}...` : value;
}
