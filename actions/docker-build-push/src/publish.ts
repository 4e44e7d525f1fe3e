/**
 * Build and push: the tags (tags.ts), then choose the builder, log in (login.ts), build with buildx
 * or the classic builder, push every reference with retries.
 */
import { inputError } from '@conveyor/core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildxArguments, classicArguments, ociLabels, withLabels, type BuildOptions, type Builder } from './build-args';
import type { DockerCli } from './docker';
import type { Inputs } from './inputs';
import { logIn, type LoginHost } from './login';
import type { TagDependencies } from './tags';

export interface Result {
  /** The tags, highest priority first, and the version (the first tag). */
  tags: string[];
  version: string;
  /** Every `image:tag`, in image order then tag order. */
  references: string[];
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

export function newResult(): Result {
  return { tags: [], version: '', references: [], digests: new Map() };
}

/** The tags of every image, first of all: a tag rule may need the GitHub API, so they are not inputs. */
export async function tagImages(inputs: Inputs, result: Result, dependencies: TagDependencies): Promise<void> {
  // The tag engine (Handlebars, semver, pep440) loads once the inputs are valid.
  const { resolveTags } = await import('./tags');
  const { tags, version } = await resolveTags(inputs.tagPlan, inputs.git, dependencies);
  Object.assign(result, { tags, version, references: inputs.images.flatMap((image) => tags.map((tag) => `${image.name}:${tag}`)) });
}

/** Chooses the builder, logs in, builds and pushes every reference, filling in `result` as it goes. */
export async function buildAndPush(inputs: Inputs, result: Result, host: LoginHost): Promise<void> {
  const { logger, runnerTemp } = host;
  result.builder = await chooseBuilder(inputs, host.docker);
  logger.info(`Tags: ${result.tags.join(', ')} (version ${result.version}); builder: ${result.builder}; push: ${inputs.push}`);
  const docker = await logIn(inputs, host);

  const iidFile = join(runnerTemp, `docker-build-push-${process.pid}.iid`);
  const metadataFile = join(runnerTemp, `docker-build-push-${process.pid}.metadata.json`);
  const created = inputs.git.commitTimestamp ?? new Date().toISOString();
  // The build settings are the inputs'; the labels are the OCI ones overridden by the user's.
  const labels = { ...ociLabels({ ...inputs, version: result.version }, created), ...inputs.labels };
  const options: BuildOptions = { ...inputs, references: result.references, labels, iidFile, metadataFile };

  if (result.builder === 'buildx') {
    const args = buildxArguments(options);
    await logger.group('Build (buildx)', () => (inputs.push ? docker.buildAndPush(args) : docker.build(args)));
    result.imageId = readIfExists(iidFile);
    const digest = buildxDigest(readIfExists(metadataFile));
    if (inputs.push && digest) for (const reference of result.references) result.digests.set(reference, digest);
    return;
  }
  const dockerfile = withLabels(readFileSync(inputs.file, 'utf8'), options.labels, options.target);
  await logger.group('Build', () => docker.build(classicArguments(options, dockerfile !== undefined), dockerfile));
  result.imageId = readIfExists(iidFile);
  if (!inputs.push) return logger.info(inputs.git.prNumber ? 'Pull request: built, not pushed' : 'push is false: built, not pushed');
  await logger.group('Push', () => docker.pushAll(result.references, (reference, digest) => result.digests.set(reference, digest)));
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
