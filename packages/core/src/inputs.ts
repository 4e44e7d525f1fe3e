/**
 * Inputs: read and validate `with:` values. Every parser names the input in its error and says what
 * would be valid, so a typo fails in one line before the action does anything.
 * The `parse*` functions are pure (name + raw text); the `get*` functions read the runner's input.
 */
import { inputError } from './errors';
import { getInput } from './workflow-commands';

/** The raw, trimmed text of an input ('' when unset). */
export function getString(name: string): string {
  return getInput(name);
}

/** An input that must be set. */
export function getRequired(name: string): string {
  const value = getString(name);
  if (!value) throw inputError(name, 'is required', `Set it in the step's 'with:'`);
  return value;
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** YAML 1.2 core schema booleans only: a `yes` or `1` is an error, not a silent false. */
export function parseBoolean(name: string, raw: string, fallback?: boolean): boolean {
  const value = raw.trim();
  if (!value && fallback !== undefined) return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw inputError(name, `'${value}' is not a boolean`, 'Use true or false');
}

export function getBoolean(name: string, fallback?: boolean): boolean {
  return parseBoolean(name, getString(name), fallback);
}

export interface IntegerRange {
  min?: number;
  max?: number;
}

/** A whole number inside an optional range. */
export function parseInteger(name: string, raw: string, range: IntegerRange = {}, fallback?: number): number {
  const value = raw.trim();
  if (!value && fallback !== undefined) return fallback;
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  const bounds = `a whole number from ${min} to ${max}`;
  if (!/^[+-]?\d+$/.test(value)) throw inputError(name, `'${value}' is not a whole number`, `Use ${bounds}`);
  const number = Number(value);
  if (number < min || number > max) throw inputError(name, `${number} is out of range`, `Use ${bounds}`);
  return number;
}

export function getInteger(name: string, range?: IntegerRange, fallback?: number): number {
  return parseInteger(name, getString(name), range, fallback);
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** A duration in milliseconds: `90s`, `10m`, `1h30m` or plain seconds (`600`). */
export function parseDuration(name: string, raw: string, fallback?: number): number {
  const value = raw.trim().toLowerCase();
  if (!value && fallback !== undefined) return fallback;
  const fix = "Use plain seconds or a duration like '90s', '10m' or '1h30m'";
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const match = DURATION.exec(value);
  if (!value || !match || match.slice(1).every((part) => part === undefined)) {
    throw inputError(name, `'${raw.trim()}' is not a duration`, fix);
  }
  const [hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number];
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

export function getDuration(name: string, fallback?: number): number {
  return parseDuration(name, getString(name), fallback);
}

export interface ListOptions {
  /** Split on commas too (default true); false where an item may hold one (a tag rule, a build arg). */
  commas?: boolean;
}

/** A list given one item per line or comma-separated; blank items are dropped. */
export function parseList(raw: string, { commas = true }: ListOptions = {}): string[] {
  return raw
    .split(commas ? /\r?\n|,/ : /\r?\n/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function getList(name: string, options?: ListOptions): string[] {
  return parseList(getInput(name), options);
}

/** One of a fixed set of values (case-insensitive, returned as listed). */
export function parseEnum<T extends string>(name: string, raw: string, allowed: readonly T[], fallback?: T): T {
  const value = raw.trim();
  if (!value && fallback !== undefined) return fallback;
  const match = allowed.find((option) => option.toLowerCase() === value.toLowerCase());
  if (!match) throw inputError(name, `'${value}' is not allowed`, `Use one of: ${allowed.join(', ')}`);
  return match;
}

export function getEnum<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
  return parseEnum(name, getString(name), allowed, fallback);
}

/** `owner/repo` split, validated (here rather than in github.ts, so reading inputs does not load Octokit). */
export function splitRepository(repository: string): { owner: string; repo: string } | undefined {
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(repository.trim());
  return match ? { owner: match[1] as string, repo: match[2] as string } : undefined;
}
