import { CAMPAIGN_ID_PATTERN } from '../core/campaigns/campaign.js';
import { REQUEST_ID_PATTERN } from '../core/requests/request-id.js';

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
  const [verb, ...all] = tokens;
  const video = verb?.toLowerCase() === 'streams' || verb?.toLowerCase().startsWith('delete-stream');
  const option = video ? takeRegion(all) : { rest: all };
  if ('problem' in option) return { kind: 'help', problem: option.problem };
  const { rest } = option;
  const region = 'region' in option ? { region: option.region } : {};
  switch (verb?.toLowerCase()) {
    case 'delete-stream':
    case 'delete-streams': {
      const [videoId, ...more] = rest;
      if (!videoId)
        return { kind: 'help', problem: 'delete-stream needs a VideoId and at least one job ID.' };
      let i = 0;
      while (i < more.length && looksLikeIds(more[i] ?? '')) i++;
      const jobIds = more.slice(0, i);
      if (jobIds.length === 0) {
        return { kind: 'help', problem: 'delete-stream needs at least one job ID after the VideoId.' };
      }
      return { kind: 'delete-stream', videoId, jobIds, reason: more.slice(i).join(' '), ...region };
    }
    case 'streams':
      return rest[0]
        ? { kind: 'streams', videoId: rest[0], ...region }
        : { kind: 'help', problem: 'streams needs a VideoId.' };
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
 * `--region <region>` (or `--region=<region>`) anywhere after the verb, taken out of the words: the region to act
 * in. Whether vod-ops serves it is for core to say.
 */
function takeRegion(words: string[]): { rest: string[]; region?: string } | { problem: string } {
  const at = words.findIndex(
    (w) => w.toLowerCase() === '--region' || w.toLowerCase().startsWith('--region='),
  );
  if (at < 0) return { rest: words };
  const word = words[at] ?? '';
  const inline = word.includes('=');
  const value = (inline ? word.slice(word.indexOf('=') + 1) : (words[at + 1] ?? '')).toLowerCase();
  if (!/^[a-z]{2,}(-[a-z0-9]+){1,4}$/.test(value)) {
    return { problem: `--region takes a region id such as ap-southeast-1, not "${clip(value)}".` };
  }
  const rest = [...words.slice(0, at), ...words.slice(at + (inline ? 1 : 2))];
  return { rest, region: value };
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
