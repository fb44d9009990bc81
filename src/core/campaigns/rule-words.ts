import { joinWords, plural } from '../format.js';
import type { SelectionRule } from './selection-rule.js';

/**
 * A rule in words, one line per criterion, filter and guard, for the people who approve a campaign: "Streams
 * with status Invisible", "Definition 2K or 4K", "Of videos created before 2025-12-03", "Guard: each video
 * keeps its last playable stream". Every line holds; the lines read together as "and". Plain text: each front
 * end escapes it for its own medium. Instants at midnight UTC are shown as their date alone.
 */
export function describeRule(rule: SelectionRule): string[] {
  const { status, definitions, formats, streamType, createdBefore } = rule.streams;
  const lines: string[] = [];
  if (status) lines.push(`Streams with status ${joinWords(status, 'or')}`);
  if (definitions) lines.push(`Definition ${joinWords(definitions, 'or')}`);
  if (formats) lines.push(`Format ${joinWords(formats, 'or')}`);
  if (streamType) lines.push(`Stream type ${streamType}`);
  if (createdBefore) lines.push(`Streams created before ${when(createdBefore)}`);
  lines.push(...videoLines(rule));
  lines.push(
    rule.guards.keepLastPlayable
      ? 'Guard: each video keeps its last playable stream'
      : 'No guard on playability: a video may lose its last playable stream',
  );
  const keep = rule.guards.keepDefinitions;
  if (keep) {
    lines.push(
      keep.length === 1
        ? `Guard: each video keeps at least one ${keep[0]} stream`
        : `Guard: each video keeps at least one of ${keep.join(', ')}`,
    );
  }
  return lines;
}

function videoLines(rule: SelectionRule): string[] {
  if (rule.videoIds) return [`Of ${plural(rule.videoIds.length, 'listed video')}`];
  const { createdBefore, createdAfter, category, tags, title } = rule.videos ?? {};
  const lines = ['Of videos with status Normal'];
  if (createdAfter && createdBefore) {
    lines.push(`Of videos created after ${when(createdAfter)} and before ${when(createdBefore)}`);
  } else if (createdBefore) {
    lines.push(`Of videos created before ${when(createdBefore)}`);
  } else if (createdAfter) {
    lines.push(`Of videos created after ${when(createdAfter)}`);
  }
  if (category !== undefined) lines.push(`Of videos in category ${category}`);
  if (tags) lines.push(`Of videos with a tag like ${joinWords(tags, 'or')}`);
  if (title) lines.push(`Of videos whose title contains "${title}"`);
  if (lines.length === 1) return ['Of every video in the library with status Normal'];
  return lines;
}

function when(instant: string): string {
  return instant.endsWith('T00:00:00Z') ? instant.slice(0, 10) : instant;
}
