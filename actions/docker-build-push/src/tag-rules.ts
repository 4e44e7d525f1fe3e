/**
 * The `tags` and `flavor` inputs in docker/metadata-action's syntax. A rule is one line of CSV
 * fields (a field may be double-quoted, e.g. `"pattern=\d{1,3}"`), each `key=value`; a field without
 * `=` is the value, so `foo` and `type=raw,foo` both mean `type=raw,value=foo`. Lines starting with `#`
 * are comments. Everything that does not depend on the run is checked here (types, attributes,
 * regular expressions, template syntax), so a mistake fails before anything is built.
 */
import { inputError } from '@conveyor/core';
import { parse as parseCsv } from 'csv-parse/sync';
// Handlebars' parser alone: checking a template's syntax needs neither its compiler nor its runtime,
// which are most of its load time; tags.ts loads the whole of Handlebars when there is a tag to render.
import { parse as parseTemplate } from 'handlebars/dist/cjs/handlebars/compiler/base';

export type LatestPolicy = 'auto' | 'true' | 'false';
export type RefEvent = 'branch' | 'tag' | 'pr';

/** A regular expression kept as written and built when used (a sticky one keeps state). */
export interface Pattern {
  source: string;
  flags: string;
}

interface RuleBase {
  /** A template that renders `true` or `false`. */
  enable: string;
  /** Higher first; ties keep the order of the lines. */
  priority: number;
  /** Templates; undefined when not given (the flavor's applies), '' when given empty. */
  prefix?: string;
  suffix?: string;
  /** The line as written, for messages. */
  line: string;
}

export type TagRule = RuleBase &
  (
    | { type: 'schedule'; pattern: string }
    | { type: 'semver' | 'pep440'; pattern: string; value: string; match?: Pattern }
    | { type: 'match'; pattern: Pattern; group: number; value: string }
    | { type: 'edge'; branch: string }
    | { type: 'ref'; event: RefEvent }
    | { type: 'raw'; value: string }
    | { type: 'sha'; format: 'short' | 'long' }
  );

export type RuleType = TagRule['type'];

export interface Flavor {
  /** Undefined when the flavor does not set it. */
  latest?: LatestPolicy;
  prefix: string;
  suffix: string;
  /** Whether `latest` gets the prefix / suffix too. */
  prefixLatest: boolean;
  suffixLatest: boolean;
}

/** metadata-action's default priorities. */
export const PRIORITIES: Record<RuleType, number> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
};
const TYPES = Object.keys(PRIORITIES) as RuleType[];
const COMMON_KEYS = ['type', 'enable', 'priority', 'prefix', 'suffix'];
const KEYS: Record<RuleType, string[]> = {
  schedule: ['pattern'],
  semver: ['pattern', 'value', 'match'],
  pep440: ['pattern', 'value', 'match'],
  match: ['pattern', 'group', 'value'],
  edge: ['branch'],
  ref: ['event'],
  raw: ['value'],
  sha: ['format'],
};
const EVENTS: RefEvent[] = ['branch', 'tag', 'pr'];

/** Input lines without comments (`getList` has already trimmed them and dropped blank ones). */
function withoutComments(lines: string[]): string[] {
  return lines.filter((line) => !line.startsWith('#'));
}

/** The CSV fields of one line, trimmed, empty ones (a trailing comma) dropped. */
function csvFields(input: string, line: string): string[] {
  let records: string[][];
  try {
    records = parseCsv(line, { relaxColumnCount: true, skipEmptyLines: true });
  } catch (error) {
    const reason = (error as Error).message.replace(/:.*$/s, '');
    throw inputError(input, `'${line}' is not valid CSV (${reason})`, 'Quote a whole field ("key=a,b"), not part of it');
  }
  return (records[0] ?? []).map((field) => field.trim()).filter((field) => field.length > 0);
}

/** Checks a template's syntax, so a broken one fails here rather than at render time. */
function checkTemplate(input: string, where: string, key: string, template: string): void {
  try {
    parseTemplate(template);
  } catch (error) {
    // Handlebars points at the error with a line of dashes and a caret.
    const caret = /^-*\^$/m.exec((error as Error).message)?.[0];
    const at = caret ? ` at character ${caret.length}` : '';
    throw inputError(
      input,
      `${where} has a template error in ${key}=${at}`,
      "Write expressions as {{name}} or {{date 'FORMAT' tz='Zone'}}",
    );
  }
}

/** metadata-action's reading of a `type=match` pattern: `/body/flags` or a plain expression. */
function matchPattern(line: string, key: string, text: string): Pattern {
  const literal = /^\/(.+)\/(.*)$/.exec(text);
  const pattern = literal ? { source: literal[1] as string, flags: literal[2] as string } : { source: text, flags: '' };
  try {
    new RegExp(pattern.source, pattern.flags);
  } catch (error) {
    throw inputError(
      'tags',
      `rule '${line}' has an invalid regular expression in ${key}= (${(error as Error).message})`,
      'Fix the pattern',
    );
  }
  return pattern;
}

/** Parses one rule line. */
export function parseTagRule(line: string): TagRule {
  const attrs = new Map<string, string>();
  for (const field of csvFields('tags', line)) {
    const eq = field.indexOf('=');
    const key = eq > 0 ? field.slice(0, eq).trim().toLowerCase() : 'value';
    const value = eq > 0 ? field.slice(eq + 1).trim() : field;
    if (attrs.has(key)) throw inputError('tags', `rule '${line}' sets ${key} twice`, 'Set each attribute once');
    attrs.set(key, value);
  }
  const type = (attrs.get('type') ?? 'raw') as RuleType;
  if (!TYPES.includes(type)) throw inputError('tags', `rule '${line}' has unknown type '${type}'`, `Use one of: ${TYPES.join(', ')}`);
  const known = [...COMMON_KEYS, ...KEYS[type]];
  const unknown = [...attrs.keys()].find((key) => !known.includes(key));
  if (unknown !== undefined) {
    const what = unknown === 'value' ? 'a value (a field without =)' : `unknown attribute '${unknown}'`;
    throw inputError('tags', `rule '${line}' has ${what} for type=${type}`, `Use ${known.slice(1).join(', ')}`);
  }
  const required = (key: string): string => {
    const value = attrs.get(key);
    if (value === undefined) throw inputError('tags', `rule '${line}' needs ${key}=`, `Add ${key}=… to the rule`);
    return value;
  };
  const template = (key: string, fallback?: string): string | undefined => {
    const value = attrs.get(key) ?? fallback;
    if (value !== undefined) checkTemplate('tags', `rule '${line}'`, key, value);
    return value;
  };

  const enable = template('enable', 'true') as string;
  if (!enable.includes('{{') && enable !== 'true' && enable !== 'false') {
    throw inputError('tags', `rule '${line}' has enable='${enable}'`, 'Use true, false or an expression such as {{is_default_branch}}');
  }
  const priorityText = attrs.get('priority');
  const priority = priorityText === undefined ? PRIORITIES[type] : Number(priorityText);
  if (!Number.isFinite(priority))
    throw inputError('tags', `rule '${line}' has priority='${priorityText}'`, 'Use a number (higher comes first)');
  const base: RuleBase = { enable, priority, prefix: template('prefix'), suffix: template('suffix'), line };

  switch (type) {
    case 'schedule':
      return { ...base, type, pattern: template('pattern', 'nightly') as string };
    case 'semver':
    case 'pep440': {
      required('pattern');
      const matchText = attrs.get('match');
      const match = matchText ? matchPattern(line, 'match', matchText) : undefined;
      // metadata-action takes the first group of match= as the version.
      if (match && (new RegExp(`${match.source}|`).exec('')?.length ?? 0) < 2) {
        throw inputError('tags', `rule '${line}' has match= without a group`, 'Put the version in parentheses, e.g. match=v(\\d.\\d.\\d)$');
      }
      return { ...base, type, pattern: template('pattern') as string, value: template('value', '') as string, match };
    }
    case 'match': {
      const groupText = attrs.get('group') ?? '0';
      if (!/^\d+$/.test(groupText)) throw inputError('tags', `rule '${line}' has group='${groupText}'`, 'Use a capture group number');
      const pattern = matchPattern(line, 'pattern', required('pattern'));
      return { ...base, type, pattern, group: Number(groupText), value: template('value', '') as string };
    }
    case 'edge':
      return { ...base, type, branch: attrs.get('branch') ?? '' };
    case 'ref': {
      const event = required('event') as RefEvent;
      if (!EVENTS.includes(event)) throw inputError('tags', `rule '${line}' has event='${event}'`, 'Use branch, tag or pr');
      return { ...base, prefix: base.prefix ?? (event === 'pr' ? 'pr-' : undefined), type, event };
    }
    case 'raw':
      required('value');
      return { ...base, type, value: template('value') as string };
    case 'sha': {
      const format = attrs.get('format') ?? 'short';
      if (format !== 'short' && format !== 'long') throw inputError('tags', `rule '${line}' has format='${format}'`, 'Use short or long');
      return { ...base, prefix: base.prefix ?? 'sha-', type, format };
    }
  }
}

/** The `tags` input's lines as rules, highest priority first (ties in the order written). */
export function parseTagRules(lines: string[]): TagRule[] {
  return withoutComments(lines)
    .map(parseTagRule)
    .sort((a, b) => b.priority - a.priority);
}

/** The `flavor` input: `latest=…`, `prefix=…[,onlatest=…]`, `suffix=…[,onlatest=…]`. */
export function parseFlavor(lines: string[]): Flavor {
  const flavor: Flavor = { prefix: '', suffix: '', prefixLatest: false, suffixLatest: false };
  for (const line of withoutComments(lines)) {
    // onlatest= applies to the prefix or suffix before it on the same line.
    let affix: 'prefix' | 'suffix' | undefined;
    for (const field of csvFields('flavor', line)) {
      const eq = field.indexOf('=');
      if (eq <= 0) throw inputError('flavor', `'${field}' is not key=value`, 'Use latest=, prefix= or suffix=');
      const key = field.slice(0, eq).trim().toLowerCase();
      const value = field.slice(eq + 1).trim();
      if (key === 'latest') {
        if (value !== 'auto' && value !== 'true' && value !== 'false') {
          throw inputError('flavor', `latest='${value}'`, 'Use latest=auto, latest=true or latest=false');
        }
        flavor.latest = value;
      } else if (key === 'prefix' || key === 'suffix') {
        checkTemplate('flavor', `'${line}'`, key, value);
        flavor[key] = value;
        affix = key;
      } else if (key === 'onlatest') {
        if (value !== 'true' && value !== 'false') throw inputError('flavor', `onlatest='${value}'`, 'Use onlatest=true or onlatest=false');
        if (affix) flavor[affix === 'prefix' ? 'prefixLatest' : 'suffixLatest'] = value === 'true';
      } else {
        throw inputError('flavor', `unknown entry '${key}'`, 'Use latest=, prefix= or suffix= (with onlatest=)');
      }
    }
  }
  return flavor;
}
