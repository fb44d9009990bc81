import { isSearchSafe } from './rule-fields.js';
import type { SelectionRule } from './selection-rule.js';

/**
 * The SearchMedia `Match` expression for a rule's video part: the videos a campaign's planner walks. Always
 * `Status in ('Normal')`: GetPlayInfo answers only Normal videos (`Forbidden.IllegalStatus` for any other), so
 * no other video's streams can be listed, and a video that cannot be listed cannot be planned. Then, as the
 * rule gives them: `CateId = N`; `Tags in ('a','b')` and `Title = 'x'` (both loose: SearchMedia matches a tag
 * or title that contains the text); `CreationTime = ('from','to')`, an open range with an empty side when only
 * one bound is given.
 *
 * Undefined for a rule with `videoIds`: the planner reads those videos directly, without a search.
 *
 * Text reaches this point checked by the rule's schema (`isSearchSafe`: no quote can end a string early);
 * it is checked again here, and a rule that was not built by `checkSelectionRule` throws rather than yield an
 * expression that says something else.
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/protocol-for-media-asset-search
 */
export function searchMatchFor(rule: Pick<SelectionRule, 'videos' | 'videoIds'>): string | undefined {
  if (rule.videoIds) return undefined;
  const { category, tags, title, createdAfter, createdBefore } = rule.videos ?? {};
  const parts = ["Status in ('Normal')"];
  if (category !== undefined) {
    if (!Number.isSafeInteger(category)) throw new Error(`Category ${category} is not a whole number.`);
    parts.push(`CateId = ${category}`);
  }
  if (tags !== undefined) parts.push(`Tags in (${tags.map(quoted).join(',')})`);
  if (title !== undefined) parts.push(`Title = ${quoted(title)}`);
  if (createdAfter !== undefined || createdBefore !== undefined) {
    parts.push(`CreationTime = (${instant(createdAfter)},${instant(createdBefore)})`);
  }
  return parts.join(' and ');
}

function quoted(text: string): string {
  if (!isSearchSafe(text)) throw new Error('Text that cannot go safely into a Match expression reached it.');
  return `'${text}'`;
}

function instant(value: string | undefined): string {
  if (value === undefined) return '';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) {
    throw new Error(`${value} is not a resolved instant (yyyy-MM-ddTHH:mm:ssZ).`);
  }
  return `'${value}'`;
}
