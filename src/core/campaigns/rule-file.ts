import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import { AppError } from '../errors.js';
import { jsonSyntaxProblem } from './json-syntax.js';
import { type FieldNamer, rulePath, ruleRefusal } from './rule-problems.js';
import { checkSelectionRule, type SelectionRule } from './selection-rule.js';

/**
 * Reads a rule file (`--rule FILE`): JSON when its name ends in `.json`, YAML when in `.yaml` or `.yml`, both
 * checked by the same schema, so the same rule written either way is the same rule. A file that does not parse
 * is refused with the line and column of the problem; a YAML file's rule problems carry their line too.
 *
 * JSON is read by `JSON.parse`, so a `.json` file means exactly what JSON says, once `json-syntax.ts` has
 * found no mistake and no key given twice (each refused with its line). YAML is read by the `yaml`
 * package (YAML 1.2 core schema: `2025-12-03` stays text, `yes` is not true), which refuses duplicate keys and
 * caps alias expansion.
 * @see https://eemeli.org/yaml/
 */
export function parseRuleFile(text: string, fileName: string, now: number): SelectionRule {
  const source = text.replace(/^\uFEFF/, '');
  const kind = /\.(json|ya?ml)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (kind === undefined) {
    throw invalid(
      `Rule file ${fileName}: name it *.json, *.yaml or *.yml, so that vod-ops knows whether to read JSON or YAML.`,
    );
  }
  if (source.trim() === '') throw invalid(`Rule file ${fileName} is empty: write a rule in it.`);
  const { data, lineOf } = kind === 'json' ? readJson(source, fileName) : readYaml(source, fileName);
  const name: FieldNamer = (path) => {
    const line = lineOf(path);
    return line === undefined ? rulePath(path) : `${rulePath(path)} (line ${line})`;
  };
  const checked = checkSelectionRule(data, now, rulePath);
  if (checked.ok) return checked.rule;
  throw ruleRefusal(`Rule file ${fileName} not accepted`, checked.problems, name);
}

interface ReadFile {
  data: unknown;
  /** The line a field is written on, when the format keeps track of it. */
  lineOf: (path: readonly (string | number)[]) => number | undefined;
}

function readJson(source: string, fileName: string): ReadFile {
  const problem = jsonSyntaxProblem(source);
  if (problem) {
    throw invalid(
      `Rule file ${fileName} is not valid JSON at line ${problem.line}, column ${problem.column}: ${problem.problem}.`,
    );
  }
  try {
    return { data: JSON.parse(source), lineOf: () => undefined };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw invalid(`Rule file ${fileName} is not valid JSON: check its quotes, commas and brackets.`);
  }
}

function readYaml(source: string, fileName: string): ReadFile {
  const { doc, lineCounter, problem } = readYamlDocument(source);
  if (problem)
    throw invalid(`Rule file ${fileName} is not valid YAML at ${problem.where}: ${problem.reason}.`);
  if (doc.contents === null) throw invalid(`Rule file ${fileName} is empty: write a rule in it.`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw invalid(
      `Rule file ${fileName} expands its YAML aliases too far: write the rule out, or use fewer aliases.`,
    );
  }
  return { data, lineOf: (path) => lineInYaml(doc, lineCounter, path) };
}

/** `source` read as YAML, with where its first error is and what it is. */
function readYamlDocument(source: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { prettyErrors: false, lineCounter });
  const [error] = doc.errors;
  if (error === undefined) return { doc, lineCounter, problem: undefined };
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const reason =
    error.code === 'MULTIPLE_DOCS'
      ? 'it holds several documents; put one rule in a file'
      : error.message.replace(/\.$/, '');
  return { doc, lineCounter, problem: { where: `line ${Math.max(line, 1)}, column ${col}`, reason } };
}

/** The line of the node at `path`, or of its nearest ancestor that is written in the file. */
function lineInYaml(doc: Document, lineCounter: LineCounter, path: readonly (string | number)[]) {
  for (let depth = path.length; depth > 0; depth--) {
    const node: unknown = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return Math.max(lineCounter.linePos(node.range[0]).line, 1);
  }
  return undefined;
}

function invalid(message: string): AppError {
  return new AppError('INVALID_INPUT', message, { detail: { field: 'rule' } });
}
