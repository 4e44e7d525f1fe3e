/**
 * Tag schemes: the names of candidate and release tags, and their order. Pure functions.
 *
 * - `date-id`: `<candidate-prefix>YYYY.MM.DD-ID` → `<release-prefix>YYYY.MM.DD-ID` (Neco).
 * - `semver`: `<candidate-prefix>X.Y.Z-rc.N` → `<release-prefix>X.Y.Z` (Fragalysis, with the default empty prefixes).
 */
export const SCHEMES = ['date-id', 'semver'] as const;
export type SchemeName = (typeof SCHEMES)[number];

export interface SchemeConfig {
  scheme: SchemeName;
  candidatePrefix: string;
  releasePrefix: string;
}

/**
 * The prefixes when the inputs leave them empty. Under semver the candidate's `-rc.N` already tells
 * the two kinds apart, so plain `1.0.3-rc.1` → `1.0.3` needs no prefix; date-id names need one.
 */
export const DEFAULT_PREFIXES: Record<SchemeName, Omit<SchemeConfig, 'scheme'>> = {
  'date-id': { candidatePrefix: 'test-', releasePrefix: 'release-' },
  semver: { candidatePrefix: '', releasePrefix: '' },
};

export interface ParsedTag {
  name: string;
  kind: 'candidate' | 'release';
  /** date-id: `YYYY.MM.DD`. */
  date?: string;
  /** date-id: the ID part. */
  id?: string;
  /** semver: [major, minor, patch]. */
  version?: readonly [number, number, number];
  /** semver candidates: the N of `-rc.N`. */
  rc?: number;
}

const ID = '[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*';
const DATE = '(\\d{4})\\.(\\d{2})\\.(\\d{2})';
const NUMBER = '(0|[1-9]\\d{0,14})';
const VERSION = `${NUMBER}\\.${NUMBER}\\.${NUMBER}`;
const MAX_ID_LENGTH = 64;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `name` is a tag name git and GitHub accept (the rules of `git check-ref-format` that can occur here). */
export function isValidTagName(name: string): boolean {
  if (!name || name.length > 250) return false;
  // Control characters, space and the characters git gives a meaning in revisions.
  if ([...name].some((char) => char <= ' ' || char === '\x7f') || /[~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//') || name === '@') return false;
  if (name.startsWith('/') || name.startsWith('-') || name.endsWith('/') || name.endsWith('.')) return false;
  return name.split('/').every((part) => part.length > 0 && !part.startsWith('.') && !part.endsWith('.lock'));
}

/** Why `prefix` cannot start a tag name, or undefined when it can. */
export function prefixProblem(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  if (!/^[A-Za-z0-9._/-]+$/.test(prefix)) return `'${prefix}' may only contain letters, digits, '.', '_', '-' and '/'`;
  if (prefix.length > 100) return 'is longer than 100 characters';
  if (!isValidTagName(`${prefix}0`) || prefix.includes('.lock/')) return `'${prefix}' cannot start a git tag name`;
  return undefined;
}

/** Why a date-id ID is unusable, or undefined when it is fine. */
export function idProblem(id: string): string | undefined {
  if (id.length > MAX_ID_LENGTH) return `'${id}' is longer than ${MAX_ID_LENGTH} characters`;
  if (!new RegExp(`^${ID}$`).test(id) || id.endsWith('.lock')) {
    return `'${id}' is not a valid ID (letters and digits, optionally separated by single '.', '_' or '-')`;
  }
  return undefined;
}

/** Whether `text` is a plain `X.Y.Z` version. */
export function isVersion(text: string): boolean {
  return new RegExp(`^${VERSION}$`).test(text);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parse(config: SchemeConfig, name: string, kind: ParsedTag['kind']): ParsedTag | undefined {
  const prefix = escapeRegExp(kind === 'candidate' ? config.candidatePrefix : config.releasePrefix);
  if (config.scheme === 'date-id') {
    const match = new RegExp(`^${prefix}${DATE}-(${ID})$`).exec(name);
    if (!match) return undefined;
    const [, year, month, day, id] = match as unknown as [string, string, string, string, string];
    if (!isCalendarDate(Number(year), Number(month), Number(day)) || idProblem(id)) return undefined;
    return { name, kind, date: `${year}.${month}.${day}`, id };
  }
  const match = new RegExp(`^${prefix}${VERSION}${kind === 'candidate' ? `-rc\\.${NUMBER}` : ''}$`).exec(name);
  if (!match) return undefined;
  const [major, minor, patch, rc] = match.slice(1).map(Number) as [number, number, number, number | undefined];
  return { name, kind, version: [major, minor, patch], ...(kind === 'candidate' ? { rc } : {}) };
}

/** The candidate tag `name` under `config`, or undefined when it does not follow the scheme. */
export function parseCandidate(config: SchemeConfig, name: string): ParsedTag | undefined {
  return parse(config, name, 'candidate');
}

/** The release tag `name` under `config`, or undefined when it does not follow the scheme. */
export function parseRelease(config: SchemeConfig, name: string): ParsedTag | undefined {
  return parse(config, name, 'release');
}

/** The release tag a candidate is promoted to. */
export function releaseTagFor(config: SchemeConfig, candidate: ParsedTag): string {
  if (config.scheme === 'date-id') return `${config.releasePrefix}${candidate.date}-${candidate.id}`;
  return `${config.releasePrefix}${(candidate.version ?? []).join('.')}`;
}

/** The UTC date as the date-id scheme writes it: `YYYY.MM.DD`. */
export function formatDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getUTCFullYear()}.${pad(date.getUTCMonth() + 1)}.${pad(date.getUTCDate())}`;
}

/** A date-id candidate tag: `<candidate-prefix>YYYY.MM.DD-ID` for `date` (UTC). */
export function dateIdCandidate(config: SchemeConfig, date: Date, id: string): string {
  return `${config.candidatePrefix}${formatDate(date)}-${id}`;
}

/** A semver candidate tag: `<candidate-prefix>X.Y.Z-rc.N`. */
export function semverCandidate(config: SchemeConfig, version: string, rc: number): string {
  return `${config.candidatePrefix}${version}-rc.${rc}`;
}

/** The release tag of `version` (semver scheme). */
export function semverRelease(config: SchemeConfig, version: string): string {
  return `${config.releasePrefix}${version}`;
}

/** How candidate (or release) tags look, for error messages. */
export function describePattern(config: SchemeConfig, kind: ParsedTag['kind']): string {
  const prefix = kind === 'candidate' ? config.candidatePrefix : config.releasePrefix;
  if (config.scheme === 'date-id') return `${prefix}YYYY.MM.DD-ID`;
  return `${prefix}X.Y.Z${kind === 'candidate' ? '-rc.N' : ''}`;
}

/** Why the two prefixes cannot work together, or undefined. */
export function prefixesProblem(config: SchemeConfig): string | undefined {
  if (config.scheme === 'date-id' && config.candidatePrefix === config.releasePrefix) {
    return `with the date-id scheme, candidate and release tags would have the same name ('${config.candidatePrefix}YYYY.MM.DD-ID')`;
  }
  return undefined;
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two all-digit strings as numbers (any length). */
function compareDigits(a: string, b: string): number {
  const left = a.replace(/^0+(?=\d)/, '');
  const right = b.replace(/^0+(?=\d)/, '');
  return compareNumbers(left.length, right.length) || compareStrings(left, right);
}

/**
 * Orders two tags of the same scheme and kind by what their names always decide: the version
 * (semver), or the day (date-id). Negative when `a` is older; zero for the same version or day.
 */
export function compareSlots(a: ParsedTag, b: ParsedTag): number {
  if (a.version && b.version) {
    for (let i = 0; i < 3; i++) {
      const order = compareNumbers(a.version[i] as number, b.version[i] as number);
      if (order) return order;
    }
    return compareNumbers(a.rc ?? -1, b.rc ?? -1);
  }
  return compareStrings(a.date ?? '', b.date ?? '');
}

/**
 * Orders two tags of the same slot (date-id tags of one day) when their names can: numeric IDs (run
 * numbers) order as numbers. Undefined otherwise, since a short sha says nothing about which is newer.
 */
export function compareWithinSlot(a: ParsedTag, b: ParsedTag): number | undefined {
  if (a.version) return 0;
  const [left, right] = [a.id ?? '', b.id ?? ''];
  return /^\d+$/.test(left) && /^\d+$/.test(right) ? compareDigits(left, right) : undefined;
}

/**
 * semver, candidate mode without a version: the newest version among the tags, for another rc while
 * it is not released, or the next patch version once it is. Undefined when there are no tags yet.
 */
export function defaultVersion(candidates: readonly ParsedTag[], releases: readonly ParsedTag[]): string | undefined {
  const newest = [...candidates, ...releases].reduce<ParsedTag | undefined>(
    (best, tag) => (!best || compareSlots(tag, best) > 0 ? tag : best),
    undefined,
  );
  if (!newest?.version) return undefined;
  const [major, minor, patch] = newest.version;
  const version = `${major}.${minor}.${patch}`;
  return releases.some((tag) => tag.version?.join('.') === version) ? `${major}.${minor}.${patch + 1}` : version;
}
