/**
 * The tag engine: docker/metadata-action's tag rules and flavor applied to the git context, giving
 * the tags metadata-action gives, with one deliberate difference: under `latest: auto`, `latest` goes
 * only on a tag push whose name is a release semver (`v1.2.3`, `1.0.3`).
 *
 * `computeTags` is pure. `resolveTags` first asks the injected RepositoryFacts for what the rules
 * need and the event payload lacks (the default branch, the commit date), and nothing else, and loads
 * moment-timezone only when a rule renders a date.
 * Templates are Handlebars, as in metadata-action, so its expressions, quoting and escaping all hold.
 */
import { errorMessage, inputError, shortSha, type Logger } from '@conveyor/core';
import * as pep440 from '@renovatebot/pep440';
import Handlebars from 'handlebars';
import type momentTimezone from 'moment-timezone';
import semver from 'semver';
import type { GitContext } from './git-context';
import { parseTagRule, type Flavor, type LatestPolicy, type TagRule } from './tag-rules';

export interface TagPlan {
  /** The rules, highest priority first; none means the defaults. */
  rules: TagRule[];
  flavor: Flavor;
  latest: LatestPolicy;
  /** DOCKER_METADATA_SHORT_SHA_LENGTH (7 by default). */
  shortShaLength: number;
}

/** The git context with what the rules need resolved. */
export interface TagContext extends GitContext {
  now: Date;
  /** The commit's date, when a rule renders {{commit_date}}. */
  commitDate?: Date;
  /** moment-timezone, when a rule renders a date (its zone data is most of this bundle's start-up cost). */
  moment?: typeof momentTimezone;
}

export interface TagResult {
  /** Highest priority first, `latest` last, no duplicates. */
  tags: string[];
  /** The first tag. */
  version: string;
  /** What metadata-action warns about (a tag that is not semver for a semver rule, …). */
  warnings: string[];
}

/** Answers from the GitHub API, for what the event payload lacks. */
export interface RepositoryFacts {
  defaultBranch(): Promise<string>;
  /** The committer date of commit `sha`. */
  commitDate(sha: string): Promise<Date>;
}

const MAX_TAG_LENGTH = 128;
const VALID_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Events that only run on the default branch, so {{is_default_branch}} holds without asking. */
const DEFAULT_BRANCH_EVENTS = /create|discussion|issues|schedule/;

interface Where {
  input: 'tags' | 'flavor';
  line: string;
}

/** Whether `auto` adds `latest`: only on a tag push whose name is a release semver (`v1.2.3`, `1.0.3`). */
export function autoLatest(context: GitContext): boolean {
  const version = context.tag !== undefined ? semver.parse(context.tag) : null;
  return version !== null && version.prerelease.length === 0;
}

/** The contract's rules when `tags` is empty; `type=ref,event=tag` replaces semver on other tags. */
export function defaultRules(context: GitContext): TagRule[] {
  const semverTag = context.tag === undefined || semver.valid(context.tag.replace(/\//g, '-'));
  const version = semverTag ? 'type=semver,pattern={{version}}' : 'type=ref,event=tag';
  return ['type=ref,event=branch', 'type=ref,event=pr', version, 'type=sha'].map(parseTagRule);
}

/** As metadata-action: each run of characters a tag cannot hold becomes one `-`; case is kept. */
export function sanitizeTag(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '-');
}

function render(template: string, data: object, where: Where): string {
  try {
    return Handlebars.compile(template)(data);
  } catch (error) {
    // Handlebars' own errors (a missing helper, …) are the rule's; ours pass through.
    if (!(error instanceof Handlebars.Exception)) throw error;
    throw inputError(where.input, `'${where.line}' cannot be rendered (${errorMessage(error)})`, 'See the expressions in the README');
  }
}

function resolved<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The ${what} was needed but not resolved`);
  return value;
}

/** A `{{date 'FORMAT' tz='ZONE'}}` helper over `date`, with moment's tokens and IANA zones. */
function dateHelper(context: TagContext, date: () => Date, where: Where) {
  return (format: unknown, options?: { hash?: Record<string, unknown> }): string => {
    const moment = resolved(context.moment, 'date library');
    let zone = 'UTC';
    for (const [key, value] of Object.entries(options?.hash ?? {})) {
      if (key !== 'tz') throw inputError(where.input, `'${where.line}' has ${key}= in a date expression`, "Use only tz='Zone'");
      zone = String(value);
    }
    if (!moment.tz.zone(zone))
      throw inputError(where.input, `'${where.line}' has an unknown time zone '${zone}'`, 'Use an IANA name such as Asia/Tokyo');
    return moment(date())
      .tz(zone)
      .format(typeof format === 'string' ? format : undefined);
  };
}

/** The ref's name after `prefix` (`refs/heads/`, `refs/tags/`, `refs/pull/`), if it has that prefix. */
function refName(context: GitContext, prefix: string): string | undefined {
  return context.ref.startsWith(prefix) ? context.ref.slice(prefix.length) : undefined;
}

function isDefaultBranch(context: TagContext): boolean {
  const branch = context.ref.replace(/^refs\/heads\//, '');
  if (!branch) return false;
  if (DEFAULT_BRANCH_EVENTS.test(context.eventName)) return true;
  const onBranch = refName(context, 'refs/heads/');
  return onBranch !== undefined && onBranch === resolved(context.defaultBranch, 'default branch');
}

/** One computation: what it works from, and the warnings it collects. */
interface Run {
  plan: TagPlan;
  context: TagContext;
  warnings: string[];
}

/** The expressions of `value`, `prefix`, `suffix` and `enable`. */
function globalExpressions({ context, plan }: Run, where: Where) {
  return {
    branch: () => refName(context, 'refs/heads/') ?? '',
    tag: () => refName(context, 'refs/tags/') ?? '',
    sha: () => shortSha(context.sha, plan.shortShaLength),
    base_ref: () => context.baseRef,
    is_default_branch: () => String(isDefaultBranch(context)),
    is_not_default_branch: () => String(!isDefaultBranch(context)),
    date: dateHelper(context, () => context.now, where),
    commit_date: dateHelper(context, () => resolved(context.commitDate, 'commit date'), where),
  };
}

function renderGlobal(template: string, run: Run, where: Where): string {
  return render(template, globalExpressions(run, where), where);
}

/** Whether a pattern is `{{raw}}` alone (which a pre-release keeps, where other patterns give the full version). */
function isRawPattern(pattern: string): boolean {
  const body = Handlebars.parseWithoutProcessing(pattern).body;
  const only = body[0];
  if (body.length !== 1 || only?.type !== 'MustacheStatement') return false;
  const path = (only as hbs.AST.MustacheStatement).path;
  return path.type === 'PathExpression' && (path as hbs.AST.PathExpression).parts.join('.') === 'raw';
}

type Rule<T extends TagRule['type']> = Extract<TagRule, { type: T }>;
type VersionRule = Rule<'semver' | 'pep440'>;

const ruleWhere = (rule: TagRule): Where => ({ input: 'tags', line: rule.line });

/** The text a semver, pep440 or match rule reads: its value=, else the pushed tag's name. */
function versionSource(rule: VersionRule | Rule<'match'>, run: Run): string | undefined {
  if (rule.value.length > 0) return renderGlobal(rule.value, run, ruleWhere(rule));
  return refName(run.context, 'refs/tags/');
}

/** A semver or pep440 rule's version text: match='s group 1 when it matches, `/` as `-`. */
function versionText(rule: VersionRule, run: Run): string | undefined {
  let text = versionSource(rule, run);
  if (text === undefined) return undefined;
  if (rule.match) {
    const found = text.match(new RegExp(rule.match.source, rule.match.flags))?.[1];
    if (found === undefined) run.warnings.push(`${rule.match.source} does not match ${text}.`);
    else text = found;
  }
  return text.replace(/\//g, '-');
}

function semverValue(rule: VersionRule, run: Run): string | undefined {
  const text = versionText(rule, run);
  if (text === undefined) return undefined;
  if (!semver.valid(text)) {
    run.warnings.push(`${text} is not a valid semver. More info: https://semver.org/`);
    return undefined;
  }
  const version = semver.parse(text, { loose: true }) as semver.SemVer;
  // A pre-release gets only its full version, whatever the pattern, unless the pattern is {{raw}}.
  const pattern = version.prerelease.length > 0 && !isRawPattern(rule.pattern) ? '{{version}}' : rule.pattern;
  return render(pattern, version, ruleWhere(rule));
}

function pep440Value(rule: VersionRule, run: Run): string | undefined {
  const text = versionText(rule, run);
  if (text === undefined) return undefined;
  if (!pep440.valid(text)) {
    run.warnings.push(`${text} does not conform to PEP 440. More info: https://www.python.org/dev/peps/pep-0440`);
    return undefined;
  }
  const explained = pep440.explain(text);
  // Pre-, post- and dev releases get only their full (normalised) version, unless the pattern is {{raw}}.
  if (explained?.is_prerelease || explained?.is_postrelease || explained?.is_devrelease) {
    return isRawPattern(rule.pattern) ? text : (pep440.clean(text) ?? text);
  }
  const parts = {
    raw: () => text,
    version: () => pep440.clean(text),
    major: () => pep440.major(text),
    minor: () => pep440.minor(text),
    patch: () => pep440.patch(text),
  };
  return render(rule.pattern, parts, ruleWhere(rule));
}

function matchValue(rule: Rule<'match'>, run: Run): string | undefined {
  const text = versionSource(rule, run);
  if (text === undefined) return undefined;
  const found = text.match(new RegExp(rule.pattern.source, rule.pattern.flags));
  if (!found) {
    run.warnings.push(`${rule.pattern.source} does not match ${text}.`);
    return undefined;
  }
  const group = found[rule.group];
  if (group === undefined) run.warnings.push(`Group ${rule.group} does not exist for ${rule.pattern.source} pattern.`);
  return group;
}

/** The value a rule gives in this context, before prefix and suffix; undefined when it does not apply. */
function ruleValue(rule: TagRule, run: Run): string | undefined {
  const { context, plan } = run;
  switch (rule.type) {
    case 'schedule': {
      if (!context.eventName.includes('schedule')) return undefined;
      // A schedule pattern knows only the dates.
      const { date, commit_date } = globalExpressions(run, ruleWhere(rule));
      return render(rule.pattern, { date, commit_date }, ruleWhere(rule));
    }
    case 'semver':
      return semverValue(rule, run);
    case 'pep440':
      return pep440Value(rule, run);
    case 'match':
      return matchValue(rule, run);
    case 'edge': {
      const branch = refName(context, 'refs/heads/');
      if (branch === undefined) return undefined;
      return branch === (rule.branch || resolved(context.defaultBranch, 'default branch')) ? 'edge' : undefined;
    }
    case 'ref':
      if (rule.event === 'branch') return refName(context, 'refs/heads/');
      if (rule.event === 'tag') return refName(context, 'refs/tags/');
      return refName(context, 'refs/pull/')?.replace(/\/merge$/, '');
    case 'raw':
      return renderGlobal(rule.value, run, ruleWhere(rule));
    case 'sha':
      if (!context.sha) return undefined;
      return rule.format === 'long' ? context.sha : shortSha(context.sha, plan.shortShaLength);
  }
}

/** The rule's own prefix and suffix, else the flavor's. */
function affixed(value: string, rule: TagRule, run: Run): string {
  const affix = (key: 'prefix' | 'suffix'): string => {
    const own = rule[key];
    if (own !== undefined) return renderGlobal(own, run, ruleWhere(rule));
    const flavor = run.plan.flavor[key];
    return flavor.length > 0 ? renderGlobal(flavor, run, { input: 'flavor', line: `${key}=${flavor}` }) : '';
  };
  return `${affix('prefix')}${value}${affix('suffix')}`;
}

/** A sanitized tag Docker accepts: at most 128 characters, not starting with `.` or `-`. */
function dockerTag(text: string, where: Where): string {
  const tag = sanitizeTag(text).slice(0, MAX_TAG_LENGTH);
  if (!VALID_TAG.test(tag)) {
    throw inputError(where.input, `'${where.line}' gives '${tag}', which is not a valid tag`, 'A tag cannot start with . or -');
  }
  return tag;
}

/** Applies the rules (the defaults when there are none), the flavor and the latest policy. */
export function computeTags(plan: TagPlan, context: TagContext): TagResult {
  const run: Run = { plan, context, warnings: [] };
  const tags: string[] = [];
  for (const rule of plan.rules.length > 0 ? plan.rules : defaultRules(context)) {
    const enabled = renderGlobal(rule.enable, run, ruleWhere(rule));
    if (enabled !== 'true' && enabled !== 'false') {
      throw inputError('tags', `rule '${rule.line}' has enable= giving '${enabled}'`, 'It must give true or false');
    }
    if (enabled === 'false') continue;
    const value = ruleValue(rule, run);
    if (value === undefined) continue;
    const text = affixed(value, rule, run);
    if (text.length > 0) tags.push(dockerTag(text, ruleWhere(rule)));
  }
  const unique = [...new Set(tags)];
  const version = unique[0];
  if (version === undefined) {
    throw inputError(
      'tags',
      `no rule gives a tag for this ${context.eventName || 'run'} (${context.ref || 'no ref'})`,
      "Add a rule that applies, such as 'type=sha'",
    );
  }
  if (plan.latest === 'true' || (plan.latest === 'auto' && autoLatest(context))) {
    const { flavor } = plan;
    const latest = `${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`;
    const tag = dockerTag(latest, { input: 'flavor', line: latest });
    if (!unique.includes(tag)) unique.push(tag);
  }
  return { tags: unique, version, warnings: run.warnings };
}

/** The template texts of a plan (rule values, patterns, affixes, enables, the flavor's affixes). */
function templates(plan: TagPlan, rules: TagRule[]): string[] {
  const texts = [plan.flavor.prefix, plan.flavor.suffix];
  for (const rule of rules) {
    texts.push(rule.enable, rule.prefix ?? '', rule.suffix ?? '');
    if ('value' in rule) texts.push(rule.value);
    if (rule.type === 'schedule') texts.push(rule.pattern);
  }
  return texts;
}

export interface TagDependencies {
  facts: RepositoryFacts;
  now: Date;
  logger: Logger;
}

/**
 * The tags for this run: resolves the default branch and the commit date only when a rule needs
 * them and the payload does not have them, then computes the tags and logs metadata-action's warnings.
 */
export async function resolveTags(plan: TagPlan, git: GitContext, { facts, now, logger }: TagDependencies): Promise<TagResult> {
  const rules = plan.rules.length > 0 ? plan.rules : defaultRules(git);
  const texts = templates(plan, rules);
  const context: TagContext = { ...git, now };

  const onBranch = /^refs\/heads\/./.test(git.ref);
  const asksDefaultBranch =
    texts.some((text) => /\{\{[^}]*is_(not_)?default_branch/.test(text)) && !DEFAULT_BRANCH_EVENTS.test(git.eventName);
  const edgeOnDefault = rules.some((rule) => rule.type === 'edge' && rule.branch === '');
  if (context.defaultBranch === undefined && onBranch && (asksDefaultBranch || edgeOnDefault)) {
    context.defaultBranch = await facts.defaultBranch();
  }

  if (texts.some((text) => /\{\{[^}]*commit_date/.test(text))) {
    if (git.commitTimestamp !== undefined) context.commitDate = new Date(git.commitTimestamp);
    else {
      try {
        context.commitDate = await facts.commitDate(git.sha);
      } catch (error) {
        // As metadata-action: without the commit's date, {{commit_date}} renders the current date.
        logger.warning(`Could not read the date of commit ${git.sha} (${errorMessage(error)}); {{commit_date}} uses the current date`);
        context.commitDate = now;
      }
    }
  }

  if (texts.some((text) => /\{\{[^}]*date/.test(text))) context.moment = (await import('moment-timezone')).default;

  const result = computeTags(plan, context);
  for (const warning of result.warnings) logger.warning(warning);
  return result;
}
