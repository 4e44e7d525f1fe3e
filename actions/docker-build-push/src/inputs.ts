/**
 * docker-build-push's inputs: one typed object, every input validated (and the password and token
 * masked) before anything is built, pushed or logged in. The tag rules are checked here; the tags
 * themselves come first thing in the run (a rule may need the GitHub API).
 */
import {
  ConfigurationError,
  getBoolean,
  getEnum,
  getInteger,
  getList,
  getString,
  inputError,
  maskSecret,
  type Logger,
} from '@conveyor/core';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseKeyValueLines, type Builder } from './build-args';
import { isPullRequestEvent, readGitContext, type GitContext } from './git-context';
import { DOCKER_HUB, isEcrHost, parseImageName, type ImageName } from './image-name';
import { normaliseRegistry, parseRegistryAuth, type RegistryAuth } from './registry-auth';
import { parseFlavor, parseTagRules } from './tag-rules';
import type { TagPlan } from './tags';

export interface Inputs {
  images: ImageName[];
  context: string;
  file: string;
  target: string;
  buildArgs: string[];
  labels: Record<string, string>;
  platforms: string[];
  cacheFrom: string[];
  cacheTo: string[];
  noCache: boolean;
  pull: boolean;
  push: boolean;
  /** The registries to log in to (none: push with the runner's existing Docker login). */
  logins: RegistryAuth[];
  builder: Builder | 'auto';
  attempts: number;
  git: GitContext;
  /** The tag rules, flavor and latest policy, for resolveTags. */
  tagPlan: TagPlan;
  /** Read-only API access for what the event payload lacks (default branch, commit date). */
  githubToken: string;
  repository: string;
  serverUrl: string;
}

function readEvent(path: string | undefined): unknown {
  if (!path || !existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

/** The login of `registry`, `username` and `password`: with the credentials, with an ECR token, or none. */
function singleLogin(registry: string, username: string, password: string): RegistryAuth[] {
  if (username) return [{ registry, username, password, input: 'username' }];
  return isEcrHost(registry) ? [{ registry, username: '', password: '', input: 'username' }] : [];
}

/** DOCKER_METADATA_SHORT_SHA_LENGTH, as metadata-action reads it (7 when unset). */
function shortShaLength(): number {
  const text = process.env.DOCKER_METADATA_SHORT_SHA_LENGTH ?? '';
  if (!text) return 7;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new ConfigurationError(`DOCKER_METADATA_SHORT_SHA_LENGTH '${text}' is not a whole number of at least 1`);
  }
  return Number(text);
}

export function getInputs(logger: Logger): Inputs {
  // Secrets first, so no later error message can print them unmasked.
  const username = getString('username');
  const password = getString('password');
  maskSecret(password, username);
  const githubToken = getString('github-token');
  maskSecret(githubToken);
  const registryAuth = getString('registry-auth');
  const registryAuthLogins = registryAuth ? parseRegistryAuth(registryAuth) : undefined;
  const registryInput = getString('registry');
  if (registryAuthLogins && (registryInput || username || password)) {
    throw inputError(
      'registry-auth',
      "cannot be combined with 'registry', 'username' or 'password'",
      "List every registry in 'registry-auth', or use those three inputs without it",
    );
  }
  if (Boolean(username) !== Boolean(password)) {
    throw inputError(
      username ? 'password' : 'username',
      'is empty while the other credential is set',
      "Set both 'username' and 'password', or neither",
    );
  }

  const imageNames = getList('images');
  if (imageNames.length === 0) throw inputError('images', 'is required', "Give one or more image names such as 'org/app'");
  const images = imageNames.map((raw) => {
    const parsed = parseImageName('images', raw);
    if (parsed.lowered) logger.warning(`Image name '${raw.trim()}' has upper case; using '${parsed.name}' (Docker requires lower case)`);
    return { name: parsed.name, registry: parsed.registry, repository: parsed.repository };
  });

  const git = readGitContext(
    {
      eventName: process.env.GITHUB_EVENT_NAME ?? '',
      ref: process.env.GITHUB_REF ?? '',
      sha: process.env.GITHUB_SHA ?? '',
      prHeadSha: /true/i.test(process.env.DOCKER_METADATA_PR_HEAD_SHA ?? ''),
    },
    readEvent(process.env.GITHUB_EVENT_PATH),
  );
  if (!/^[0-9a-f]{40}$/.test(git.sha))
    throw new ConfigurationError(`GITHUB_SHA '${git.sha}' is not a commit id; run this action in a workflow`);
  const latest = getEnum('latest', ['auto', 'true', 'false'] as const, 'auto');
  const flavor = parseFlavor(getList('flavor', { commas: false }));
  if (flavor.latest !== undefined && latest !== 'auto') {
    throw inputError(
      'latest',
      `is '${latest}' while flavor sets latest=${flavor.latest}`,
      "Set it in one place: the 'latest' input or flavor's latest=",
    );
  }
  const tagPlan: TagPlan = {
    rules: parseTagRules(getList('tags', { commas: false })),
    flavor,
    latest: flavor.latest ?? latest,
    shortShaLength: shortShaLength(),
  };

  const context = resolve(getString('context') || '.');
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw inputError(
      'context',
      `'${getString('context')}' is not a directory`,
      'Give the build context directory, relative to the workspace',
    );
  }
  const file = getString('file') ? resolve(getString('file')) : join(context, 'Dockerfile');
  if (!existsSync(file))
    throw inputError('file', `'${file}' does not exist`, "Give the Dockerfile's path, or put a Dockerfile in the context");

  const labelError = (line: string) => inputError('labels', `'${line}' is not key=value`, 'Give one label per line as key=value');
  const buildArgs = getList('build-args', { commas: false });
  parseKeyValueLines(buildArgs, (line) =>
    inputError('build-args', `'${line}' is not KEY=value`, 'Give one build argument per line as KEY=value'),
  );

  const pushMode = getEnum('push', ['auto', 'true', 'false'] as const, 'auto');
  const registry = normaliseRegistry(registryInput || images[0]?.registry || DOCKER_HUB);

  return {
    images,
    context,
    file,
    target: getString('target'),
    buildArgs,
    labels: parseKeyValueLines(getList('labels', { commas: false }), labelError),
    platforms: getList('platforms'),
    cacheFrom: getList('cache-from', { commas: false }),
    cacheTo: getList('cache-to', { commas: false }),
    noCache: getBoolean('no-cache', false),
    pull: getBoolean('pull', false),
    push: pushMode === 'auto' ? !isPullRequestEvent(git.eventName) : pushMode === 'true',
    logins: registryAuthLogins ?? singleLogin(registry, username, password),
    builder: getEnum('builder', ['auto', 'buildx', 'docker'] as const, 'auto'),
    attempts: getInteger('retries', { min: 1, max: 10 }, 3),
    git,
    tagPlan,
    githubToken,
    repository: process.env.GITHUB_REPOSITORY ?? '',
    serverUrl: process.env.GITHUB_SERVER_URL ?? 'https://github.com',
  };
}
