import { type FieldNamer, rulePath, ruleRefusal } from './rule-problems.js';
import { checkSelectionRule, type SelectionRule } from './selection-rule.js';

/**
 * A campaign's selection given as command-line flags, under the names commander gives them (`--stream-status`
 * is `streamStatus`). Lists are comma-separated; `--allow-last-playable` turns off the guard that keeps each
 * video's last playable stream. Flags that are not about selection may ride along and are ignored.
 */
export interface RuleFlags {
  streamStatus?: string;
  definition?: string;
  format?: string;
  streamType?: string;
  createdBefore?: string;
  videoCreatedBefore?: string;
  videoCreatedAfter?: string;
  category?: string;
  tag?: string;
  title?: string;
  keepDefinition?: string;
  allowLastPlayable?: boolean;
  /** The VideoIds of `--videos FILE`, as `parseVideoList` read them from the file. */
  videoIds?: readonly string[];
}

const FLAGS: Record<string, string> = {
  'streams.status': '--stream-status',
  'streams.definitions': '--definition',
  'streams.formats': '--format',
  'streams.streamType': '--stream-type',
  'streams.createdBefore': '--created-before',
  'videos.createdBefore': '--video-created-before',
  'videos.createdAfter': '--video-created-after',
  'videos.category': '--category',
  'videos.tags': '--tag',
  'videos.title': '--title',
  videoIds: '--videos',
  'guards.keepDefinitions': '--keep-definition',
  'guards.keepLastPlayable': '--allow-last-playable',
};

/** A rule field as the flag that sets it: `--definition`, or `--definition (item 2)` for one of its list. */
export const flagName: FieldNamer = (path) => {
  const flag = FLAGS[path.filter((key) => typeof key === 'string').join('.')] ?? rulePath(path);
  const index = path.find((key) => typeof key === 'number');
  return index === undefined ? flag : `${flag} (item ${index + 1})`;
};

/**
 * The rule the flags describe, resolved at `now` and checked exactly as a rule file is, with each refusal
 * naming the flag at fault: `Selection not accepted: --definition (item 2): "8K" is not a definition…`.
 * An empty item in a list (`SD,,HD`, a trailing comma) is refused, not dropped: it is most likely a lost value.
 */
export function ruleFromFlags(flags: RuleFlags, now: number): SelectionRule {
  const input = {
    streams: {
      status: list(flags.streamStatus),
      definitions: list(flags.definition),
      formats: list(flags.format),
      streamType: flags.streamType,
      createdBefore: flags.createdBefore,
    },
    videos: {
      createdBefore: flags.videoCreatedBefore,
      createdAfter: flags.videoCreatedAfter,
      category: wholeNumber(flags.category),
      tags: list(flags.tag),
      title: flags.title,
    },
    videoIds: flags.videoIds,
    guards: {
      keepLastPlayable: flags.allowLastPlayable !== true,
      keepDefinitions: list(flags.keepDefinition),
    },
  };
  const checked = checkSelectionRule(input, now, flagName);
  if (checked.ok) return checked.rule;
  throw ruleRefusal('Selection not accepted', checked.problems, flagName);
}

function list(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((item) => item.trim());
}

/** A whole number's text as a number; anything else passes on as text, for the schema to refuse in words. */
function wholeNumber(text: string | undefined): number | string | undefined {
  return text !== undefined && /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : text;
}
