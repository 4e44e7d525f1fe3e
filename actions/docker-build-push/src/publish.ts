/**
 * Build and push: choose the builder, log in (inputs, ECR token or none) into a temporary Docker
 * config, build with buildx or the classic builder, push every reference with retries.
 */
import { errorMessage, inputError, type Logger } from '@conveyor/core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildxArguments, classicArguments, ociLabels, withLabels, type BuildOptions, type Builder } from './build-args';
import { createDockerConfig } from './docker-config';
import { DockerCli } from './docker';
import { ecrLogin, type RegistryLogin } from './ecr';
import { DOCKER_HUB, parseEcrHost } from './image-name';
import type { Inputs } from './inputs';

/** What the build needs from the machine it runs on. */
export interface DockerHost {
  logger: Logger;
  signal: AbortSignal;
  /** The environment docker runs with. */
  env: NodeJS.ProcessEnv;
  /** Where the temporary Docker config and build files go (RUNNER_TEMP). */
  runnerTemp: string;
  /** The user's Docker config, whose CLI plugins and builders the temporary one links to. */
  userDockerConfig: string;
  /** Records the temporary config and registry for the post step's logout. */
  saveLogin(configDir: string, registry: string): void;
}

export interface Result {
  builder?: Builder;
  imageId?: string;
  /** Reference → digest, for what was pushed. */
  digests: Map<string, string>;
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

export async function buildAndPush(inputs: Inputs, result: Result, host: DockerHost): Promise<void> {
  const { logger, signal, runnerTemp, env: baseEnv } = host;
  const probe = new DockerCli({ env: baseEnv, logger, signal, attempts: inputs.attempts });
  result.builder = await chooseBuilder(inputs, probe);
  logger.info(`Tags: ${inputs.tags.join(', ')} (version ${inputs.version}); builder: ${result.builder}; push: ${inputs.push}`);

  let env = baseEnv;
  const login = await registryLogin(inputs, logger, signal);
  if (login) {
    const configDir = createDockerConfig(runnerTemp, host.userDockerConfig);
    // Saved before logging in, so the post step removes it whatever happens next.
    host.saveLogin(configDir, login.registry);
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
