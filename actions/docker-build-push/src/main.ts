// docker-build-push: compute the tags from git, log in, build, push every tag, log out (post step).
import * as core from '@actions/core';
import {
  ConfigurationError,
  errorMessage,
  escapeCell,
  getBoolean,
  getEnum,
  getInteger,
  getList,
  getString,
  inputError,
  link,
  maskSecret,
  runAction,
  type Logger,
  type StepContext,
} from '@conveyor/core';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  buildxArguments,
  classicArguments,
  ociLabels,
  parseKeyValueLines,
  withLabels,
  type BuildOptions,
  type Builder,
} from './build-args';
import { createDockerConfig, removeDockerConfig } from './docker-config';
import { DockerCli } from './docker';
import { ecrLogin, type RegistryLogin } from './ecr';
import { isPullRequestEvent, readGitContext, type GitContext } from './git-context';
import { DOCKER_HUB, imagePageUrl, parseEcrHost, parseImageName, type ImageName } from './image-name';
import { computeTags, parseTagRules } from './tags';

const STATE_CONFIG = 'docker-config';
const STATE_REGISTRY = 'registry';

interface Inputs {
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

/** Input lines without comma splitting (build args and labels may contain commas). */
function getLines(name: string): string[] {
  return core
    .getInput(name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

function readEvent(path: string | undefined): unknown {
  if (!path || !existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

function getInputs(logger: Logger): Inputs {
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
  const buildArgs = getLines('build-args');
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
    labels: parseKeyValueLines(getLines('labels'), labelError),
    platforms: getList('platforms'),
    cacheFrom: getLines('cache-from'),
    cacheTo: getLines('cache-to'),
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

/** The builder to use, and the checks that depend on it (before anything is built or pushed). */
async function chooseBuilder(inputs: Inputs, docker: DockerCli): Promise<Builder> {
  const hasBuildx = inputs.builder === 'docker' ? false : await docker.hasBuildx();
  if (inputs.builder === 'buildx' && !hasBuildx) {
    throw inputError(
      'builder',
      'is buildx but the buildx plugin is not installed',
      "Add docker/setup-buildx-action before this step, or use 'auto'",
    );
  }
  const builder: Builder = hasBuildx ? 'buildx' : 'docker';
  if (builder === 'docker') {
    if (inputs.platforms.length > 1)
      throw inputError('platforms', 'lists several platforms, which needs buildx', 'Add docker/setup-buildx-action before this step');
    if (inputs.cacheTo.length > 0)
      throw inputError(
        'cache-to',
        'needs buildx (the classic builder cannot export a cache)',
        'Add docker/setup-buildx-action before this step',
      );
  }
  return builder;
}

/**
 * The credentials to log in with: the inputs, an ECR token, or none (use the existing docker login).
 * A build that pushes nothing (a pull request from a fork has no AWS credentials) goes on without
 * an ECR login that failed.
 */
async function registryLogin(inputs: Inputs, logger: Logger, signal: AbortSignal): Promise<RegistryLogin | undefined> {
  if (inputs.username) return { registry: inputs.registry ?? DOCKER_HUB, username: inputs.username, password: inputs.password };
  const ecr = inputs.registry ? parseEcrHost(inputs.registry) : undefined;
  if (!ecr || !inputs.registry) return undefined;
  try {
    return await ecrLogin(inputs.registry, ecr.region, signal);
  } catch (error) {
    if (inputs.push || signal.aborted) throw error;
    logger.warning(`No ECR login (${errorMessage(error)}); this build pushes nothing, so it goes on without one`);
    return undefined;
  }
}

interface Result {
  builder?: Builder;
  imageId?: string;
  /** Reference → digest, for what was pushed. */
  digests: Map<string, string>;
}

async function main({ logger, signal, summary, setOutput }: StepContext): Promise<void> {
  const inputs = getInputs(logger);
  const result: Result = { digests: new Map() };
  try {
    await buildAndPush(inputs, result, logger, signal);
  } finally {
    report(inputs, result, summary, setOutput);
  }
}

async function buildAndPush(inputs: Inputs, result: Result, logger: Logger, signal: AbortSignal): Promise<void> {
  const runnerTemp = process.env.RUNNER_TEMP || tmpdir();
  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  const probe = new DockerCli({ env: baseEnv, logger, signal, attempts: inputs.attempts });
  result.builder = await chooseBuilder(inputs, probe);
  logger.info(`Tags: ${inputs.tags.join(', ')} (version ${inputs.version}); builder: ${result.builder}; push: ${inputs.push}`);

  let env = baseEnv;
  const login = await registryLogin(inputs, logger, signal);
  if (login) {
    const userConfig = process.env.DOCKER_CONFIG || join(homedir(), '.docker');
    const configDir = createDockerConfig(runnerTemp, userConfig);
    // Saved before logging in, so the post step removes it whatever happens next.
    core.saveState(STATE_CONFIG, configDir);
    core.saveState(STATE_REGISTRY, login.registry);
    env = { ...baseEnv, DOCKER_CONFIG: configDir };
    const server = login.registry === DOCKER_HUB ? undefined : login.registry;
    await new DockerCli({ env, logger, signal, attempts: inputs.attempts }).login(server, login.username, login.password);
    logger.info(`Logged in to ${login.registry} as ${login.username}`);
  }
  const docker = new DockerCli({ env, logger, signal, attempts: inputs.attempts });

  const iidFile = join(runnerTemp, `docker-build-push-${process.pid}.iid`);
  const metadataFile = join(runnerTemp, `docker-build-push-${process.pid}.metadata.json`);
  const created = inputs.git.commitTimestamp ?? new Date().toISOString();
  const options: BuildOptions = {
    context: inputs.context,
    file: inputs.file,
    references: inputs.references,
    buildArgs: inputs.buildArgs,
    labels: {
      ...ociLabels({ serverUrl: inputs.serverUrl, repository: inputs.repository, sha: inputs.git.sha, version: inputs.version, created }),
      ...inputs.labels,
    },
    target: inputs.target || undefined,
    platforms: inputs.platforms,
    cacheFrom: inputs.cacheFrom,
    cacheTo: inputs.cacheTo,
    noCache: inputs.noCache,
    pull: inputs.pull,
    iidFile,
    metadataFile,
    push: inputs.push,
  };

  if (result.builder === 'buildx') {
    const args = buildxArguments(options);
    await logger.group('Build (buildx)', () => (inputs.push ? docker.buildAndPush(args) : docker.build(args)));
    result.imageId = readIfExists(iidFile);
    const digest = buildxDigest(readIfExists(metadataFile));
    if (inputs.push && digest) for (const reference of inputs.references) result.digests.set(reference, digest);
    return;
  }
  const dockerfile = withLabels(readFileSync(inputs.file, 'utf8'), options.labels, options.target);
  await logger.group('Build', () => docker.build(classicArguments(options, dockerfile !== undefined), dockerfile));
  result.imageId = readIfExists(iidFile);
  if (!inputs.push) return logger.info(inputs.git.prNumber ? 'Pull request: built, not pushed' : 'push is false: built, not pushed');
  await logger.group('Push', async () => {
    for (const reference of inputs.references) result.digests.set(reference, await docker.push(reference));
  });
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

/** The pushed digest from buildx's metadata file. */
function buildxDigest(metadata: string | undefined): string | undefined {
  if (!metadata) return undefined;
  const digest = (JSON.parse(metadata) as Record<string, unknown>)['containerimage.digest'];
  return typeof digest === 'string' ? digest : undefined;
}

function report(inputs: Inputs, result: Result, summary: StepContext['summary'], setOutput: StepContext['setOutput']): void {
  const pushed = inputs.references.filter((reference) => result.digests.has(reference));
  const digest = pushed.length > 0 ? (result.digests.get(pushed[0] as string) as string) : '';
  const imageRefs = [
    ...new Set(pushed.map((reference) => `${reference.slice(0, reference.lastIndexOf(':'))}@${result.digests.get(reference)}`)),
  ];
  setOutput('digest', digest);
  setOutput('image-id', result.imageId ?? '');
  setOutput('tags', (inputs.push ? pushed : inputs.references).join('\n'));
  setOutput('image-refs', JSON.stringify(imageRefs));
  setOutput('version', inputs.version);

  summary.heading('Docker image');
  summary.keyValues([
    ['Version', escapeCell(inputs.version)],
    ['Image id', escapeCell(result.imageId ?? '(not built)')],
    ['Builder', escapeCell(result.builder ?? '(not chosen)')],
    ['Pushed', inputs.push ? `${pushed.length} of ${inputs.references.length} references` : 'no (build only)'],
  ]);
  summary.table(
    ['Reference', 'Digest'],
    inputs.images.flatMap((image) =>
      inputs.tags.map((tag) => {
        const reference = `${image.name}:${tag}`;
        const digest = result.digests.get(reference) ?? (inputs.push ? 'not pushed' : 'built only');
        return [link(reference, imagePageUrl(image)), `\`${escapeCell(digest)}\``];
      }),
    ),
  );
}

async function post({ logger }: StepContext): Promise<void> {
  const configDir = core.getState(STATE_CONFIG);
  if (!configDir) return;
  const registry = core.getState(STATE_REGISTRY);
  const docker = new DockerCli({ env: { ...process.env, DOCKER_CONFIG: configDir }, logger, attempts: 1 });
  const logout = await docker.logout(registry && registry !== DOCKER_HUB ? registry : undefined);
  if (logout.exitCode !== 0) logger.warning(`docker logout failed: ${logout.stderr.trim()}; removing the credentials anyway`);
  removeDockerConfig(configDir);
  logger.info(`Logged out of ${registry || DOCKER_HUB} and removed ${configDir}`);
}

export const run = () => runAction({ main, post });
