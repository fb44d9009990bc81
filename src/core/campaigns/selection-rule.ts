import { z } from 'zod';
import { joinWords } from '../format.js';
import type { VideoId } from '../vod/input-rules.js';
import { alibabaInstant, type DateBound, resolveDateBound } from './rule-dates.js';
import {
  categoryField,
  dateField,
  documentedField,
  listField,
  tagsField,
  titleField,
  videoIdsField,
} from './rule-fields.js';
import {
  type FieldNamer,
  type FieldPath,
  issueProblems,
  type RuleProblem,
  rulePath,
  ruleRefusal,
  typeProblem,
} from './rule-problems.js';
import {
  DEFINITIONS,
  type Definition,
  FORMATS,
  STREAM_STATUSES,
  STREAM_TYPES,
  type StreamFormat,
  type StreamStatus,
  type StreamType,
} from './stream-vocabulary.js';

/**
 * A selection rule: which streams of which videos a campaign deletes, and the guards that hold some back. This
 * is the rule resolved: its dates are absolute instants (`2025-12-03T00:00:00Z`), its values in Alibaba's
 * spelling, its lists without duplicates. It is what a campaign stores, what approvers are shown, and what the
 * planner applies; checking it again gives it back unchanged.
 */
export interface SelectionRule {
  /** Every criterion given must hold for a stream to be selected; at least one is always given. */
  streams: StreamCriteria;
  /** Which videos SearchMedia lists (see `match-expression.ts`). Never given together with `videoIds`. */
  videos?: VideoFilters;
  /** An explicit set of videos, read directly instead of searched for. */
  videoIds?: VideoId[];
  guards: Guards;
}

export interface StreamCriteria {
  status?: StreamStatus[];
  definitions?: Definition[];
  formats?: StreamFormat[];
  streamType?: StreamType;
  /** Streams created strictly before this instant. */
  createdBefore?: string;
}

export interface VideoFilters {
  /** Videos created strictly before this instant. */
  createdBefore?: string;
  /** Videos created strictly after this instant. */
  createdAfter?: string;
  category?: number;
  /** Videos with any of these tags (SearchMedia matches tags loosely). */
  tags?: string[];
  /** Videos whose title contains this. */
  title?: string;
}

export interface Guards {
  /** A video that has a playable stream keeps one. */
  keepLastPlayable: boolean;
  /** A video that has a playable stream of one of these definitions keeps one, preferring them in this order. */
  keepDefinitions?: Definition[];
}

const StreamCriteriaInput = z.strictObject({
  status: listField(documentedField(STREAM_STATUSES, 'a stream status')).optional(),
  definitions: listField(documentedField(DEFINITIONS, 'a definition')).optional(),
  formats: listField(documentedField(FORMATS, 'a format')).optional(),
  streamType: documentedField(STREAM_TYPES, 'a stream type').optional(),
  createdBefore: dateField.optional(),
});

const VideoFiltersInput = z.strictObject({
  createdBefore: dateField.optional(),
  createdAfter: dateField.optional(),
  category: categoryField.optional(),
  tags: tagsField.optional(),
  title: titleField.optional(),
});

const GuardsInput = z.strictObject({
  keepLastPlayable: z.boolean().optional(),
  keepDefinitions: listField(documentedField(DEFINITIONS, 'a definition')).optional(),
});

/**
 * A selection rule as written, in a rule file (JSON or YAML alike) or built from command-line flags. Unknown
 * fields are refused, so a misspelt criterion cannot silently widen a selection. {@link checkSelectionRule}
 * adds what no field can say alone: the checks across fields, and dates resolved against now.
 */
export const SelectionRuleInput = z.strictObject({
  streams: StreamCriteriaInput.optional(),
  videos: VideoFiltersInput.optional(),
  videoIds: videoIdsField.optional(),
  guards: GuardsInput.optional(),
});

/** A rule as {@link SelectionRuleInput} parses it: each field read, nothing checked across fields, dates unresolved. */
export type SelectionRuleFields = z.output<typeof SelectionRuleInput>;

const FIELDS: Record<string, readonly string[]> = {
  '': Object.keys(SelectionRuleInput.shape),
  streams: Object.keys(StreamCriteriaInput.shape),
  videos: Object.keys(VideoFiltersInput.shape),
  guards: Object.keys(GuardsInput.shape),
};
const CRITERIA = ['status', 'definitions', 'formats', 'streamType', 'createdBefore'] as const;
const VIDEO_FILTERS = ['createdBefore', 'createdAfter', 'category', 'tags', 'title'] as const;

export type RuleCheck = { ok: true; rule: SelectionRule } | { ok: false; problems: RuleProblem[] };

/**
 * Checks a rule as written and resolves it at `now` (ms since the epoch): ages become instants, and no date
 * may lie after `now`. Refused, beyond each field's own checks: a rule with no stream criterion (or only lists
 * naming every value Alibaba documents), which would delete every stream; `videoIds` together with `videos`
 * filters, which a list read as given would silently ignore; `videos.createdAfter` not before
 * `videos.createdBefore`. `name` words the fields in the problems.
 */
export function checkSelectionRule(input: unknown, now: number, name: FieldNamer = rulePath): RuleCheck {
  const parsed = SelectionRuleInput.safeParse(input, { error: typeProblem, reportInput: true });
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.flatMap((issue) => issueProblems(issue, FIELDS)) };
  }
  return resolveSelectionRule(parsed.data, now, name);
}

/**
 * The second half of {@link checkSelectionRule}, for a front end whose framework parses its input with
 * {@link SelectionRuleInput}'s fields itself: the checks across fields, and dates resolved against `now`.
 */
export function resolveSelectionRule(
  fields: SelectionRuleFields,
  now: number,
  name: FieldNamer = rulePath,
): RuleCheck {
  const streams: NonNullable<SelectionRuleFields['streams']> = fields.streams ?? {};
  const videos: NonNullable<SelectionRuleFields['videos']> = fields.videos ?? {};
  const guards: NonNullable<SelectionRuleFields['guards']> = fields.guards ?? {};
  const { videoIds } = fields;
  const problems: RuleProblem[] = [];
  const filters = VIDEO_FILTERS.filter((field) => videos[field] !== undefined);
  if (videoIds && filters.length > 0) {
    const named = joinWords(
      filters.map((field) => name(['videos', field])),
      'or',
    );
    problems.push({
      path: ['videoIds'],
      message:
        `cannot be combined with ${named}: listed videos are read as they are, without a search, so ` +
        'those filters would be silently ignored; give either the list or the filters',
    });
  }
  if (!narrowsStreams(streams)) {
    const criteria = joinWords(
      CRITERIA.map((field) => name(['streams', field])),
      'or',
    );
    const listsEverything = streams.status ?? streams.definitions ?? streams.formats;
    problems.push({
      path: [],
      message:
        `a rule with no stream criterion would delete every stream: give at least one of ${criteria}` +
        (listsEverything ? ' (a list of every value Alibaba documents narrows nothing)' : ''),
    });
  }
  const resolve = (path: FieldPath, bound: DateBound | undefined, side: 'before' | 'after') => {
    if (bound === undefined) return undefined;
    const instant = resolveDateBound(bound, now, side);
    if (Date.parse(instant) > now) {
      problems.push({
        path,
        message: `${instant} is in the future (it is now ${alibabaInstant(now)}): give a date in the past`,
      });
    }
    return instant;
  };
  const streamsBefore = resolve(['streams', 'createdBefore'], streams.createdBefore, 'before');
  const videosBefore = resolve(['videos', 'createdBefore'], videos.createdBefore, 'before');
  const videosAfter = resolve(['videos', 'createdAfter'], videos.createdAfter, 'after');
  if (videosBefore && videosAfter && Date.parse(videosAfter) >= Date.parse(videosBefore)) {
    problems.push({
      path: ['videos', 'createdAfter'],
      message: `${videosAfter} is not before ${name(['videos', 'createdBefore'])} (${videosBefore}), so no video would match`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const rule: SelectionRule = {
    streams: definedOnly({
      status: streams.status,
      definitions: streams.definitions,
      formats: streams.formats,
      streamType: streams.streamType,
      createdBefore: streamsBefore,
    }),
    ...(filters.length > 0
      ? {
          videos: definedOnly({
            createdBefore: videosBefore,
            createdAfter: videosAfter,
            category: videos.category,
            tags: videos.tags,
            title: videos.title,
          }),
        }
      : {}),
    ...(videoIds ? { videoIds } : {}),
    guards: {
      keepLastPlayable: guards.keepLastPlayable ?? true,
      ...(guards.keepDefinitions ? { keepDefinitions: guards.keepDefinitions } : {}),
    },
  };
  return { ok: true, rule };
}

/**
 * {@link checkSelectionRule}, throwing `INVALID_INPUT` with one sentence naming each field at fault, e.g.
 * `Rule not accepted: streams.definitions[1]: "8K" is not a definition Alibaba documents: use FD, … or AUTO.`
 */
export function parseSelectionRule(input: unknown, now: number): SelectionRule {
  const checked = checkSelectionRule(input, now);
  if (checked.ok) return checked.rule;
  throw ruleRefusal('Rule not accepted', checked.problems, rulePath);
}

/** Whether the criteria leave some stream out: a list naming every documented value leaves none out. */
function narrowsStreams(streams: NonNullable<SelectionRuleFields['streams']>): boolean {
  return (
    (streams.status?.length ?? STREAM_STATUSES.length) < STREAM_STATUSES.length ||
    (streams.definitions?.length ?? DEFINITIONS.length) < DEFINITIONS.length ||
    (streams.formats?.length ?? FORMATS.length) < FORMATS.length ||
    streams.streamType !== undefined ||
    streams.createdBefore !== undefined
  );
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
