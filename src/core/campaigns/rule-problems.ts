import type { z } from 'zod';
import { AppError } from '../errors.js';
import { joinWords } from '../format.js';

/**
 * What is wrong with a rule, worded for the person who wrote it. A problem is a path and a sentence fragment;
 * each way of writing a rule names the path its own way (`streams.definitions[1]` in a file, `--definition`
 * on the command line), and the refusal joins them into one sentence.
 */
export type FieldPath = readonly (string | number)[];
/** Names a field for a person: `streams.definitions[1]` in a rule file, `--definition` on the command line. */
export type FieldNamer = (path: FieldPath) => string;
/** One thing wrong with a rule: where, and a sentence fragment saying what and how to fix it. */
export interface RuleProblem {
  path: FieldPath;
  message: string;
}

/** A value quoted for a message, clipped, with control characters escaped. */
export const quote = (value: string) =>
  JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);

/** A field's path as a rule file writes it: `streams.definitions[1]`. */
export const rulePath: FieldNamer = (path) =>
  path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : name === '' ? key : `${name}.${key}`),
    '',
  );

/**
 * The refusal for `problems`: `${opening}: streams.formats[0]: "mp5" is not a format…; videos.title: ….`, at
 * most five problems, with the first one's path (as a rule file writes it) in `detail.field`.
 */
export function ruleRefusal(opening: string, problems: readonly RuleProblem[], name: FieldNamer): AppError {
  const shown = problems
    .slice(0, 5)
    .map((problem) =>
      problem.path.length === 0 ? problem.message : `${name(problem.path)}: ${problem.message}`,
    );
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  return new AppError('INVALID_INPUT', `${opening}: ${shown.join('; ')}${more}.`, {
    detail: { field: rulePath(problems[0]?.path ?? []) },
  });
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  array: 'a list',
  object: 'a set of fields',
  boolean: 'true or false',
  number: 'a number',
  int: 'a whole number',
};

/** Words for zod's own issues (a wrong type, a number out of range); the rule's fields word all others. */
export function typeProblem(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'too_big' || issue.code === 'too_small') return 'is out of range';
  if (issue.code !== 'invalid_type') return undefined;
  const { input } = issue;
  if (input === undefined) return 'is required';
  if (input === null) return 'is empty: give a value, or leave the field out';
  const hint =
    issue.expected === 'string' && typeof input === 'number'
      ? ` (in YAML, put it in quotes: "${input}")`
      : '';
  return `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${kindOf(input)}${hint}`;
}

/**
 * The problems of one zod issue. An unknown field is one problem per field, at its own path, naming the fields
 * its object has (`fieldsOf`, by the object's path: '' for the rule itself, `streams`…).
 */
export function issueProblems(
  issue: z.core.$ZodIssue,
  fieldsOf: Readonly<Record<string, readonly string[]>>,
): RuleProblem[] {
  const path = issue.path.map((key) => (typeof key === 'number' ? key : String(key)));
  const fields = joinWords(fieldsOf[path.join('.')] ?? [], 'and');
  if (issue.code === 'unrecognized_keys') {
    const owner = path.length === 0 ? 'a rule' : rulePath(path);
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: `is not a field of ${owner}: its fields are ${fields}`,
    }));
  }
  if (path.length === 0 && issue.code === 'invalid_type') {
    return [{ path, message: `a rule must be a set of fields (${fields}), not ${kindOf(issue.input)}` }];
  }
  return [{ path, message: issue.message }];
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${quote(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'a set of fields' : typeof value;
}
