import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../../src/core/campaigns/rule-file.js';
import { parseSelectionRule } from '../../../src/core/campaigns/selection-rule.js';
import { NOW, refusal } from './fixtures.js';

const YAML_RULE = `# Old re-transcodes of promotional videos
streams:
  status: [Invisible]
  definitions:
    - 2K
    - 4k
  createdBefore: 1y
videos:
  createdBefore: 2025-12-03
  tags: [promo, "2019"]
guards:
  keepDefinitions: [SD, HD]
`;

const JSON_RULE = `{
  "streams": { "status": ["Invisible"], "definitions": ["2K", "4k"], "createdBefore": "1y" },
  "videos": { "createdBefore": "2025-12-03", "tags": ["promo", "2019"] },
  "guards": { "keepDefinitions": ["SD", "HD"] }
}
`;

const EXPECTED = {
  streams: {
    status: ['Invisible'],
    definitions: ['2K', '4K'],
    createdBefore: '2025-03-01T12:00:00Z',
  },
  videos: { createdBefore: '2025-12-03T00:00:00Z', tags: ['promo', '2019'] },
  guards: { keepLastPlayable: true, keepDefinitions: ['SD', 'HD'] },
};

describe('parseRuleFile', () => {
  it('reads the same rule from YAML and from JSON, and from the object they both describe', () => {
    const fromYaml = parseRuleFile(YAML_RULE, 'old-promos.yaml', NOW);
    const fromJson = parseRuleFile(JSON_RULE, 'old-promos.json', NOW);
    expect(fromYaml).toStrictEqual(EXPECTED);
    expect(fromJson).toStrictEqual(EXPECTED);
    expect(parseSelectionRule(JSON.parse(JSON_RULE), NOW)).toStrictEqual(EXPECTED);
  });

  it.each(['rule.yml', 'RULE.YAML', 'dir.json/rule.Yaml'])('reads %s as YAML', (name) => {
    expect(parseRuleFile(YAML_RULE, name, NOW)).toStrictEqual(EXPECTED);
  });

  it('ignores a byte-order mark at the start', () => {
    expect(parseRuleFile(`\uFEFF${JSON_RULE}`, 'rule.json', NOW)).toStrictEqual(EXPECTED);
  });

  it('reads YAML 1.2: no and yes are text, not booleans', () => {
    const error = refusal(() =>
      parseRuleFile('streams: { status: [Invisible] }\nguards: { keepLastPlayable: no }\n', 'r.yaml', NOW),
    );
    expect(error.message).toBe(
      'Rule file r.yaml not accepted: guards.keepLastPlayable (line 2): must be true or false, not the text "no".',
    );
  });

  it.each([
    [
      'a name that says neither JSON nor YAML',
      YAML_RULE,
      'rule.txt',
      'Rule file rule.txt: name it *.json, *.yaml or *.yml, so that vod-ops knows whether to read JSON or YAML.',
    ],
    ['an empty file', ' \n', 'rule.json', 'Rule file rule.json is empty: write a rule in it.'],
    [
      'a YAML file of comments only',
      '# nothing yet\n',
      'rule.yaml',
      'Rule file rule.yaml is empty: write a rule in it.',
    ],
  ])('refuses %s', (_name, text, fileName, expected) => {
    const error = refusal(() => parseRuleFile(text, fileName, NOW));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(expected);
  });

  describe('a file that does not parse, refused with its line', () => {
    it.each([
      [
        'a trailing comma in a list',
        '{\n  "streams": {\n    "status": ["Invisible",]\n  }\n}\n',
        'at line 3, column 28: a value was expected.',
      ],
      [
        'a trailing comma in an object',
        '{\n  "streams": { "status": ["Invisible"], }\n}\n',
        'at line 2, column 41: a property name in double quotes was expected.',
      ],
      ['a bare word', '{"streams": {"status": [Invisible]}}', 'at line 1, column 25: a value was expected.'],
      [
        'single quotes',
        "{\n  'streams': {}\n}",
        'at line 2, column 3: a property name in double quotes was expected.',
      ],
      [
        'a missing brace at the end',
        '{"streams": {"status": ["Invisible"]}',
        "at line 1, column 38: it ends where ',' or '}' should follow.",
      ],
      ['a missing colon', '{\n"streams" {}}', "at line 2, column 11: ':' was expected."],
      ['text after the rule', '{}\n{}', 'at line 2, column 1: the end of the text was expected.'],
      [
        'a key given twice, which JSON.parse would let the second win',
        '{"streams": {"status": ["Invisible"]},\n "streams": {"formats": ["flv"]}}',
        'at line 2, column 2: "streams" is given a second time: give each key once.',
      ],
      [
        'a key given twice, spelt two ways',
        '{"streams": {"formats": ["flv"], "form\\u0061ts": ["mp4"]}}',
        'at line 1, column 34: "form\\u0061ts" is given a second time: give each key once.',
      ],
    ])('JSON with %s', (_name, text, expected) => {
      const error = refusal(() => parseRuleFile(text, 'rule.json', NOW));
      expect(error.message).toBe(`Rule file rule.json is not valid JSON ${expected}`);
    });

    it('YAML with a key given twice', () => {
      const error = refusal(() =>
        parseRuleFile('streams:\n  status: [Invisible]\n  status: [Normal]\n', 'rule.yaml', NOW),
      );
      expect(error.message).toBe(
        'Rule file rule.yaml is not valid YAML at line 3, column 3: Map keys must be unique.',
      );
    });

    it('YAML with a bad indentation', () => {
      const error = refusal(() =>
        parseRuleFile('streams:\n  status: [Invisible]\n definitions: [SD]\n', 'rule.yaml', NOW),
      );
      expect(error.message).toMatch(/^Rule file rule\.yaml is not valid YAML at line 3, column \d+: /);
    });

    it('YAML with several documents', () => {
      const error = refusal(() =>
        parseRuleFile('streams: {status: [Invisible]}\n---\nstreams: {status: [Normal]}\n', 'rule.yaml', NOW),
      );
      expect(error.message).toMatch(
        /^Rule file rule\.yaml is not valid YAML at line \d+, column \d+: it holds several documents; put one rule in a file\.$/,
      );
    });

    it('YAML whose aliases would expand without end', () => {
      const ten = (name: string) => `[${Array.from({ length: 10 }, () => `*${name}`).join(', ')}]`;
      const text = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b ${ten('a')}\nc: &c ${ten('b')}\nd: &d ${ten('c')}\nstreams: ${ten('d')}\n`;
      const error = refusal(() => parseRuleFile(text, 'rule.yaml', NOW));
      expect(error.message).toBe(
        'Rule file rule.yaml expands its YAML aliases too far: write the rule out, or use fewer aliases.',
      );
    });
  });

  describe('a rule the schema refuses', () => {
    it('names the field and its line in a YAML file', () => {
      const text =
        'streams:\n  status: [Invisible]\n  defintions: [SD]\nvideos:\n  tags:\n    - promo\n    - "it\'s"\n';
      const error = refusal(() => parseRuleFile(text, 'rule.yaml', NOW));
      expect(error.message).toBe(
        'Rule file rule.yaml not accepted: streams.defintions (line 3): is not a field of streams: its fields are ' +
          'status, definitions, formats, streamType and createdBefore; videos.tags[1] (line 7): "it\'s" holds "\'", ' +
          "which cannot go safely into SearchMedia's Match expression: a tag may hold only letters, digits, spaces, " +
          "'-', '_' and '.'.",
      );
    });

    it('names the field in a JSON file', () => {
      const error = refusal(() => parseRuleFile('{"streams": {"formats": ["mp5"]}}', 'rule.json', NOW));
      expect(error.message).toBe(
        'Rule file rule.json not accepted: streams.formats[0]: "mp5" is not a format Alibaba documents: ' +
          'use mp4, m3u8, mp3, flv, mpd or m4a.',
      );
    });

    it('refuses a file that holds no stream criterion', () => {
      const error = refusal(() => parseRuleFile('videos:\n  title: old\n', 'rule.yaml', NOW));
      expect(error.message).toMatch(
        /^Rule file rule\.yaml not accepted: a rule with no stream criterion would delete every stream: /,
      );
    });
  });
});
