/**
 * The tag engine: docker/metadata-action's tag rule syntax (the subset in the contract), applied to
 * the git context. Pure: rules in, tags and version out. Rule errors are input errors on `tags`.
 *
 * Rules, one per line, comma-separated `key=value` fields (a field may be double-quoted when its
 * value has a comma, as in metadata-action):
 *   type=raw,value=<text with {{branch}} {{tag}} {{sha}}>
 *   type=sha[,format=short|long]                       prefix `sha-` by default
 *   type=ref,event=branch|tag|pr                       pr gets prefix `pr-` by default
 *   type=semver,pattern=<{{version}} {{major}} {{minor}} {{patch}} {{raw}}>[,value=<version>]
 *   type=match,pattern=<regex>[,group=N][,value=<text>]
 * and on every rule `enable=true|false|{{is_default_branch}}|{{is_not_default_branch}}`,
 * `prefix=`, `suffix=`, `priority=` (higher first; the first tag is the version).
 */
import { inputError } from '@conveyor/core';
import semver from 'semver';
import type { GitContext } from './git-context';

export type LatestPolicy = 'auto' | 'true' | 'false';

type Enable = boolean | 'is_default_branch' | 'is_not_default_branch';

interface Common {
  enable: Enable;
  prefix?: string;
  suffix?: string;
  priority: number;
  /** The line as written, for error messages. */
  line: string;
}

export type TagRule = Common &
  (
    | { type: 'raw'; value: string }
    | { type: 'sha'; format: 'short' | 'long' }
    | { type: 'ref'; event: 'branch' | 'tag' | 'pr' }
    | { type: 'semver'; pattern: string; value?: string }
    | { type: 'match'; pattern: RegExp; group: number; value?: string }
  );

const INPUT = 'tags';
const PRIORITIES = { semver: 900, match: 800, ref: 600, raw: 200, sha: 100 } as const;
const TYPES = Object.keys(PRIORITIES) as Array<keyof typeof PRIORITIES>;
const KEYS: Record<TagRule['type'], string[]> = {
  raw: ['value'],
  sha: ['format'],
  ref: ['event'],
  semver: ['pattern', 'value'],
  match: ['pattern', 'group', 'value'],
};
const COMMON_KEYS = ['type', 'enable', 'prefix', 'suffix', 'priority'];
const SEMVER_PLACEHOLDERS = ['version', 'major', 'minor', 'patch', 'raw'];
const RAW_PLACEHOLDERS = ['branch', 'tag', 'sha'];

export const SHORT_SHA_LENGTH = 7;
export const MAX_TAG_LENGTH = 128;
const VALID_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Splits a rule line on commas outside double quotes; quotes around a field are removed. */
export function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      fields.push(current.trim());
      current = '';
    } else current += char;
  }
  if (quoted) throw inputError(INPUT, `rule '${line}' has an unclosed quote`, 'Close the double quote around the field');
  fields.push(current.trim());
  return fields.filter((field) => field.length > 0);
}

function placeholders(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((match) => match[1] as string);
}

function checkPlaceholders(line: string, template: string, allowed: string[]): void {
  const unknown = placeholders(template).find((name) => !allowed.includes(name));
  if (unknown !== undefined) {
    throw inputError(
      INPUT,
      `rule '${line}' uses unknown placeholder {{${unknown}}}`,
      `Use ${allowed.map((name) => `{{${name}}}`).join(', ')}`,
    );
  }
}

function parseEnable(line: string, raw: string | undefined): Enable {
  if (raw === undefined) return true;
  const value = raw.replace(/\s+/g, '');
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value === '{{is_default_branch}}') return 'is_default_branch';
  if (value === '{{is_not_default_branch}}') return 'is_not_default_branch';
  throw inputError(INPUT, `rule '${line}' has enable='${raw}'`, 'Use true, false, {{is_default_branch}} or {{is_not_default_branch}}');
}

/** Parses one rule line; a line without `=` is shorthand for `type=raw,value=<line>`. */
export function parseTagRule(line: string): TagRule {
  const text = line.trim();
  if (!text.includes('=')) return parseTagRule(`type=raw,value=${text}`);
  const fields = new Map<string, string>();
  for (const field of splitFields(text)) {
    const eq = field.indexOf('=');
    if (eq <= 0) throw inputError(INPUT, `rule '${text}' has a field '${field}' that is not key=value`, 'Write fields as key=value');
    const key = field.slice(0, eq).trim().toLowerCase();
    if (fields.has(key)) throw inputError(INPUT, `rule '${text}' sets '${key}' twice`, 'Set each field once');
    fields.set(key, field.slice(eq + 1).trim());
  }
  const type = fields.get('type') ?? 'raw';
  if (!(TYPES as string[]).includes(type))
    throw inputError(INPUT, `rule '${text}' has unknown type '${type}'`, `Use one of: ${TYPES.join(', ')}`);
  const ruleType = type as TagRule['type'];
  const unknownKey = [...fields.keys()].find((key) => !COMMON_KEYS.includes(key) && !KEYS[ruleType].includes(key));
  if (unknownKey !== undefined) {
    throw inputError(
      INPUT,
      `rule '${text}' has unknown field '${unknownKey}' for type=${ruleType}`,
      `Use ${[...KEYS[ruleType], 'enable', 'prefix', 'suffix', 'priority'].join(', ')}`,
    );
  }
  const priorityText = fields.get('priority');
  if (priorityText !== undefined && !/^\d+$/.test(priorityText)) {
    throw inputError(INPUT, `rule '${text}' has priority='${priorityText}'`, 'Use a whole number (higher comes first)');
  }
  const common: Common = {
    enable: parseEnable(text, fields.get('enable')),
    prefix: fields.get('prefix'),
    suffix: fields.get('suffix'),
    priority: priorityText !== undefined ? Number(priorityText) : PRIORITIES[ruleType],
    line: text,
  };
  const required = (key: string): string => {
    const value = fields.get(key);
    if (!value) throw inputError(INPUT, `rule '${text}' needs ${key}=`, `Add ${key}=… to the rule`);
    return value;
  };
  switch (ruleType) {
    case 'raw': {
      const value = required('value');
      checkPlaceholders(text, value, RAW_PLACEHOLDERS);
      return { ...common, type: 'raw', value };
    }
    case 'sha': {
      const format = fields.get('format') ?? 'short';
      if (format !== 'short' && format !== 'long') throw inputError(INPUT, `rule '${text}' has format='${format}'`, 'Use short or long');
      return { ...common, prefix: common.prefix ?? 'sha-', type: 'sha', format };
    }
    case 'ref': {
      const event = required('event');
      if (event !== 'branch' && event !== 'tag' && event !== 'pr')
        throw inputError(INPUT, `rule '${text}' has event='${event}'`, 'Use branch, tag or pr');
      return { ...common, prefix: common.prefix ?? (event === 'pr' ? 'pr-' : undefined), type: 'ref', event };
    }
    case 'semver': {
      const pattern = required('pattern');
      checkPlaceholders(text, pattern, SEMVER_PLACEHOLDERS);
      if (placeholders(pattern).length === 0)
        throw inputError(INPUT, `rule '${text}' has a pattern without placeholders`, 'Use e.g. {{version}} or {{major}}.{{minor}}');
      return { ...common, type: 'semver', pattern, value: fields.get('value') };
    }
    case 'match': {
      const source = required('pattern');
      let pattern: RegExp;
      try {
        pattern = new RegExp(source);
      } catch (error) {
        throw inputError(INPUT, `rule '${text}' has an invalid regular expression (${(error as Error).message})`, 'Fix the pattern');
      }
      const groupText = fields.get('group') ?? '0';
      if (!/^\d+$/.test(groupText)) throw inputError(INPUT, `rule '${text}' has group='${groupText}'`, 'Use a capture group number');
      return { ...common, type: 'match', pattern, group: Number(groupText), value: fields.get('value') };
    }
  }
}

/** Parses the `tags` input: one rule per line, blank lines ignored. */
export function parseTagRules(text: string): TagRule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map(parseTagRule);
}

/** The version of a tag name if it is semver (`v1.2.3`, `1.2.3-rc.1`), else undefined. */
export function semverOf(tag: string): semver.SemVer | undefined {
  const cleaned = semver.clean(tag, { loose: true });
  return cleaned ? (semver.parse(cleaned) ?? undefined) : undefined;
}

/** The rules used when `tags` is empty; `type=ref,event=tag` stands in for semver on other tags. */
export function defaultRules(context: GitContext): TagRule[] {
  const lines = ['type=ref,event=branch', 'type=ref,event=pr', 'type=semver,pattern={{version}}', 'type=sha'];
  if (context.tag !== undefined && !semverOf(context.tag)) lines.splice(3, 0, 'type=ref,event=tag');
  return lines.map(parseTagRule);
}

/** A git name (branch, tag) as a tag value: lower case, anything Docker rejects becomes `-`. */
export function sanitise(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_.-]/g, '-')
    .replace(/^[.-]+/, '');
}

function shortSha(sha: string): string {
  return sha.slice(0, SHORT_SHA_LENGTH);
}

/** The tag value a rule yields in this context (before prefix/suffix), or undefined. */
function ruleValue(rule: TagRule, context: GitContext): string | undefined {
  switch (rule.type) {
    case 'raw': {
      const known: Record<string, string | undefined> = {
        branch: context.branch !== undefined ? sanitise(context.branch) : undefined,
        tag: context.tag !== undefined ? sanitise(context.tag) : undefined,
        sha: shortSha(context.sha),
      };
      let missing = false;
      const value = rule.value.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => {
        const resolved = known[name];
        if (resolved === undefined) missing = true;
        return resolved ?? '';
      });
      return missing ? undefined : value;
    }
    case 'sha':
      return rule.format === 'long' ? context.sha : shortSha(context.sha);
    case 'ref':
      if (rule.event === 'branch') return context.branch !== undefined ? sanitise(context.branch) : undefined;
      if (rule.event === 'tag') return context.tag !== undefined ? sanitise(context.tag) : undefined;
      return context.prNumber !== undefined ? String(context.prNumber) : undefined;
    case 'semver': {
      const raw = rule.value ?? context.tag;
      const version = raw !== undefined ? semverOf(raw) : undefined;
      if (!raw || !version) return undefined;
      const used = placeholders(rule.pattern);
      const prerelease = version.prerelease.length > 0;
      // As in metadata-action: a pre-release only gets its full version, and a 0.x line gets no bare major.
      if (prerelease && !used.includes('version') && !used.includes('raw')) return undefined;
      if (version.major === 0 && used.every((name) => name === 'major')) return undefined;
      const values: Record<string, string> = {
        // format() leaves out build metadata (`+build.7`): `+` is not allowed in a tag.
        version: version.format(),
        major: String(version.major),
        minor: String(version.minor),
        patch: String(version.patch),
        raw: sanitise(raw),
      };
      return rule.pattern.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => values[name] ?? '');
    }
    case 'match': {
      const source = rule.value ?? context.tag;
      if (source === undefined) return undefined;
      const match = rule.pattern.exec(source);
      const captured = match?.[rule.group];
      return captured ? sanitise(captured) : undefined;
    }
  }
}

function enabled(rule: TagRule, context: GitContext): boolean {
  if (typeof rule.enable === 'boolean') return rule.enable;
  const onDefault = context.branch !== undefined && context.branch === context.defaultBranch;
  return rule.enable === 'is_default_branch' ? onDefault : !onDefault;
}

export interface TagResult {
  /** Tag names, highest priority first, `latest` last; no duplicates. */
  tags: string[];
  /** The first tag (the version the image is labelled with). */
  version: string;
}

/** Whether `auto` adds `latest`: only a pushed tag that is a release (not pre-release) semver. */
export function autoLatest(context: GitContext): boolean {
  if (context.tag === undefined) return false;
  const version = semverOf(context.tag);
  return version !== undefined && version.prerelease.length === 0;
}

/** Applies the rules (or the defaults when there are none) and the latest policy. */
export function computeTags(rules: TagRule[], context: GitContext, latest: LatestPolicy): TagResult {
  const active = (rules.length > 0 ? rules : defaultRules(context)).filter((rule) => enabled(rule, context));
  const candidates: Array<{ tag: string; priority: number }> = [];
  for (const rule of active) {
    const value = ruleValue(rule, context);
    if (value === undefined || value === '') continue;
    let tag = `${rule.prefix ?? ''}${value}${rule.suffix ?? ''}`;
    if (tag.length > MAX_TAG_LENGTH) tag = tag.slice(0, MAX_TAG_LENGTH);
    if (!VALID_TAG.test(tag)) {
      throw inputError(
        INPUT,
        `rule '${rule.line}' gives '${tag}', which is not a valid tag`,
        'Tags use letters, digits, _, . and - and do not start with . or -',
      );
    }
    candidates.push({ tag, priority: rule.priority });
  }
  const ordered = candidates
    .map((candidate, index) => ({ ...candidate, index }))
    .sort((a, b) => b.priority - a.priority || a.index - b.index)
    .map((candidate) => candidate.tag);
  const tags = [...new Set(ordered)];
  const version = tags.find((tag) => tag !== 'latest') ?? tags[0] ?? '';
  if (latest === 'true' || (latest === 'auto' && autoLatest(context))) {
    if (!tags.includes('latest')) tags.push('latest');
  }
  if (tags.length === 0) {
    throw inputError(
      INPUT,
      `no rule gives a tag for this ${context.eventName} event (${context.ref})`,
      "Add a rule that applies, such as 'type=sha'",
    );
  }
  return { tags, version };
}
