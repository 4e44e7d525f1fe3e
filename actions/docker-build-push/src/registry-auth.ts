/**
 * The registries to log in to. `registry-auth` is docker/login-action's input of that name: a YAML
 * list of `registry` (default Docker Hub), `username` and `password`, one entry per registry, so one
 * step pushes to several registries, each image with its own registry's credentials. Values are
 * read as plain text (YAML's failsafe schema), so a password like `0123` stays `0123`.
 */
import { inputError, maskSecret } from '@conveyor/core';
import yaml from 'js-yaml';
import { DOCKER_HUB, isEcrHost } from './image-name';

export interface RegistryAuth {
  /** The registry host (`ghcr.io`, `localhost:5000`), `docker.io` for Docker Hub. */
  registry: string;
  /** Both empty for an ECR host: its token comes from the ambient AWS credentials. */
  username: string;
  password: string;
  /** The input the credentials were given in (for the fix in a refused login's message). */
  input: 'registry-auth' | 'username';
}

const INPUT = 'registry-auth';
const KEYS = ['registry', 'username', 'password'];
const FIX = "Give a YAML list of entries with 'registry', 'username' and 'password'; quote a value that holds YAML characters";

/** A registry as `docker login` takes it: lower case, without scheme or trailing slash. */
export function normaliseRegistry(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
}

/**
 * The YAML reason without the part of the input it may quote (an alias or tag name could be the
 * start of a password that is not masked yet, the text having failed to parse).
 */
function reasonWithoutInput(error: yaml.YAMLException): string {
  const where = `line ${error.mark.line + 1}, column ${error.mark.column + 1}`;
  return `${error.reason.split(/ ?["!]|: /)[0]} at ${where}`;
}

function parse(raw: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = yaml.load(raw, { schema: yaml.FAILSAFE_SCHEMA });
  } catch (error) {
    if (error instanceof yaml.YAMLException) throw inputError(INPUT, `is not valid YAML (${reasonWithoutInput(error)})`, FIX);
    throw error;
  }
  if (parsed === null || parsed === undefined) throw inputError(INPUT, 'lists no registry', FIX);
  if (!Array.isArray(parsed)) throw inputError(INPUT, 'is not a YAML list', FIX);
  if (parsed.length === 0) throw inputError(INPUT, 'lists no registry', FIX);
  return parsed;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One entry's value for `key`: text ('' when left out or empty). */
function text(entry: Record<string, unknown>, key: string, number: number): string {
  const value = entry[key] ?? '';
  if (typeof value !== 'string') throw inputError(INPUT, `entry ${number}: '${key}' is not a single value`, FIX);
  return value;
}

/** Parses `registry-auth`; every password is masked before any entry is checked. */
export function parseRegistryAuth(raw: string): RegistryAuth[] {
  const entries = parse(raw);
  for (const entry of entries) {
    if (isMapping(entry) && typeof entry.password === 'string') {
      maskSecret(entry.password, typeof entry.username === 'string' ? entry.username : undefined);
    }
  }
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const number = index + 1;
    if (!isMapping(entry)) throw inputError(INPUT, `entry ${number} is not a mapping`, FIX);
    const unknown = Object.keys(entry).find((key) => !KEYS.includes(key));
    if (unknown !== undefined) {
      throw inputError(INPUT, `entry ${number} has an unknown key '${unknown}'`, "Each entry takes 'registry', 'username' and 'password'");
    }
    const registry = normaliseRegistry(text(entry, 'registry', number)) || DOCKER_HUB;
    const username = text(entry, 'username', number);
    const password = text(entry, 'password', number);
    const which = `entry ${number} (${registry})`;
    if (Boolean(username) !== Boolean(password)) {
      throw inputError(INPUT, `${which} has a ${username ? 'username' : 'password'} but no ${username ? 'password' : 'username'}`, FIX);
    }
    if (!username && !isEcrHost(registry)) {
      throw inputError(
        INPUT,
        `${which} has no username and password`,
        'Only an ECR host may leave them out, to use the ambient AWS credentials',
      );
    }
    if (seen.has(registry)) throw inputError(INPUT, `lists ${registry} twice`, 'Give one entry per registry');
    seen.add(registry);
    return { registry, username, password, input: INPUT };
  });
}
