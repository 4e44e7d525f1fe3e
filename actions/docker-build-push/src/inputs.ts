/**
 * docker-build-push's inputs: one typed object, every input validated (and the password masked)
 * before anything is built, pushed or logged in.
 */
import * as core from '@actions/core';
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
import { DOCKER_HUB, parseImageName, type ImageName } from './image-name';
import { computeTags, parseTagRules } from './tags';

export interface Inputs {
  images: ImageName[];
  tags: string[];
  version: string;
  /** Every `image:tag`, in image order then tag order. */
  references: string[];
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
  /** Where to log in (undefined: Docker Hub). */
  registry: string | undefined;
  username: string;
  password: string;
  builder: Builder | 'auto';
  attempts: number;
  git: GitContext;
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

export function getInputs(logger: Logger): Inputs {
  // Secrets first, so no later error message can print them unmasked.
  const username = getString('username');
  const password = core.getInput('password');
  maskSecret(password, username);
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
    { eventName: process.env.GITHUB_EVENT_NAME ?? '', ref: process.env.GITHUB_REF ?? '', sha: process.env.GITHUB_SHA ?? '' },
    readEvent(process.env.GITHUB_EVENT_PATH),
  );
  if (!/^[0-9a-f]{40}$/.test(git.sha))
    throw new ConfigurationError(`GITHUB_SHA '${git.sha}' is not a commit id; run this action in a workflow`);
  const latest = getEnum('latest', ['auto', 'true', 'false'] as const, 'auto');
  const { tags, version } = computeTags(parseTagRules(core.getInput('tags')), git, latest);

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
  const registryInput = getString('registry');
  const registry = (registryInput || images[0]?.registry || DOCKER_HUB)
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');

  return {
    images,
    tags,
    version,
    references: images.flatMap((image) => tags.map((tag) => `${image.name}:${tag}`)),
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
    registry: registry === DOCKER_HUB ? undefined : registry,
    username,
    password,
    builder: getEnum('builder', ['auto', 'buildx', 'docker'] as const, 'auto'),
    attempts: getInteger('retries', { min: 1, max: 10 }, 3),
    git,
    repository: process.env.GITHUB_REPOSITORY ?? '',
    serverUrl: process.env.GITHUB_SERVER_URL ?? 'https://github.com',
  };
}
