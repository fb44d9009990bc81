import type {
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import type { Principal } from '../core/requests/principal.js';
import { MAX_REASON_LENGTH } from '../core/requests/reason.js';

/** Text and block primitives for Slack: escaping, clipping to Block Kit's limits, dates, mentions, sandbox marks. */

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface SlackContext {
  sandbox: boolean;
}

export const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
/** Streams or requests listed in one message, so a huge video still gives a message people can read. */
export const MAX_STREAMS_LISTED = 100;
export const MAX_REQUESTS_LISTED = 50;
export const MAX_LIST_SECTIONS = 40;

/** Escapes the characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to at most `max` characters ending in "…", never inside an escape, a `<…>` token or a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && amp > cut.length - 5 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** User or upstream text for mrkdwn: cut to `max` characters first, then escaped. */
export const safe = (text: string, max: number) => escapeMrkdwn(clip(text, max));
export const code = (text: string) => `\`${safe(text.replace(/`/g, "'"), 100)}\``;

export const plain = (text: string, max: number): PlainTextElement => ({
  type: 'plain_text',
  text: clip(text, max) || ' ',
  emoji: true,
});
export const mrkdwn = (text: string, max = SECTION_MAX): MrkdwnElement => ({
  type: 'mrkdwn',
  text: clip(text, max) || ' ',
});
export const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });
export const fields = (...texts: string[]): SectionBlock => ({
  type: 'section',
  fields: texts.slice(0, 10).map((t) => mrkdwn(t, FIELD_MAX)),
});
export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(text, 150) });
export const context = (...texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts.slice(0, 10).map((t) => mrkdwn(t)),
});

const SANDBOX_NOTE =
  ':test_tube: *SANDBOX* — this runs against the local VOD emulator; nothing on Alibaba Cloud is touched.';
export const sandboxBlocks = (ctx: Partial<SlackContext>): KnownBlock[] =>
  ctx.sandbox ? [context(SANDBOX_NOTE)] : [];
export const fallback = (ctx: Partial<SlackContext>, text: string) =>
  clip(`${ctx.sandbox ? '[SANDBOX] ' : ''}${text}`, 3000);

/** Slack renders this in each reader's time zone; the ISO time is the fallback for clients that cannot. */
export function slackDate(ms: number): string {
  if (!Number.isFinite(ms)) return 'an unknown time';
  const seconds = Math.floor(ms / 1000);
  const iso = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  return `<!date^${seconds}^{date_short_pretty} {time}|${iso}>`;
}

/** A Slack user as a mention; anyone else by name (and, for an AI assistant, its client's name). */
export function mention(p: Principal | undefined): string {
  if (!p) return 'someone';
  if (p.source === 'slack' && /^[A-Za-z0-9_.-]{1,64}$/.test(p.id)) return `<@${p.id}>`;
  const name = safe(p.displayName || p.id, 80);
  return p.source === 'mcp' && p.clientName ? `${name} (via ${safe(p.clientName, 40)})` : name;
}

export function requesterText(p: Principal): string {
  if (p.source === 'mcp') {
    return `AI assistant *${safe(p.clientName ?? 'unknown client', 40)}* for ${safe(p.displayName || p.id, 80)}`;
  }
  return p.source === 'cli' ? `${mention(p)} (command line)` : mention(p);
}

/**
 * Someone's own words (a reason), shown so that nothing in them can pass for the message's own lines: under a label
 * saying whose words they are, in a quote block whose text Slack shows literally (`rich_text`: no mrkdwn, no
 * mentions, no links), newlines and all, inside the quote's bar. A reason cannot add a line such as
 * "*Approvals* 2 of 1": it would show, quoted, as the requester's words.
 */
export function quotedWords(label: string, words: string | undefined): KnownBlock[] {
  const text = words?.trim();
  if (!text) return [context(`${label} _(none given)_`)];
  return [
    context(label),
    {
      type: 'rich_text',
      elements: [
        { type: 'rich_text_quote', elements: [{ type: 'text', text: clip(text, MAX_REASON_LENGTH) }] },
      ],
    },
  ];
}
export const titleText = (title: string, max = 300) =>
  title.trim() ? `*${safe(title.trim(), max)}*` : '_(untitled)_';
