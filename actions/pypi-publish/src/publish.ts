/**
 * Publishing: build if asked, read and verify every distribution, ask the index what it already has,
 * then upload what is missing (with the API token or a token minted by trusted publishing).
 * Nothing is uploaded unless every file passes.
 */
import { join } from 'node:path';
import { ConfigurationError, HttpClient, inputError, maskSecret, type Logger } from '@conveyor/core';
import { inspectProject, listDistributions, planBuild, runBuild } from './build';
import type { Inputs } from './inputs';
import { readDistributionMetadata, type CoreMetadata } from './metadata';
import { filesToSkip } from './skip-existing';
import { mintUploadToken } from './trusted-publishing';
import { digestFile, PackageIndex, type FileDigests } from './upload';
import { verifyDistributions, type Release } from './verify';

export interface FileReport {
  fileName: string;
  path: string;
  metadata: CoreMetadata;
  digests: FileDigests;
  result: 'pending' | 'uploaded' | 'skipped' | 'would upload' | 'would skip';
}

/** What the step found and did, kept for the outputs and the summary whatever happens. */
export interface PublishState {
  files: FileReport[];
  release?: Release;
}

export interface PublishContext {
  logger: Logger;
  signal: AbortSignal;
  /** The runner's OIDC token for an audience (trusted publishing). */
  getIdToken(audience: string): Promise<string>;
  /** Called once the release (name and version) is known, before anything is uploaded. */
  onRelease(release: Release): void;
}

export async function publish(inputs: Inputs, state: PublishState, context: PublishContext): Promise<void> {
  const { logger, signal, getIdToken, onRelease } = context;
  const files = state.files;
  const plan = planBuild(inspectProject(inputs.workingDirectory, inputs.packagesDir), {
    mode: inputs.build,
    python: inputs.python,
    workingDirectory: inputs.workingDirectory,
    packagesDir: inputs.packagesDir,
    isolation: inputs.buildIsolation,
  });
  if (plan.tool === 'none') logger.info(`Not building: ${plan.reason}`);
  else
    await logger.group(`Building with ${plan.tool} (${plan.reason})`, () =>
      runBuild(plan, { cwd: inputs.workingDirectory, logger, signal }),
    );

  files.push(...(await readDistributions(inputs.packagesDir, signal)));
  const verification = verifyDistributions(files, inputs.expectedVersion);
  const { release } = verification;
  state.release = release;
  if (release) onRelease(release);
  if (inputs.verifyMetadata && verification.problems.length > 0) {
    for (const problem of verification.problems) logger.error(problem);
    throw new ConfigurationError(
      `${verification.problems.length} problem(s) in the distributions, nothing was uploaded: ${verification.problems.join('; ')}`,
    );
  }
  if (!release) throw new ConfigurationError(`${files[0]?.fileName}: the metadata has no Name or Version`);
  logger.info(
    `${files.length} file(s) of ${release.name} ${release.version}${inputs.verifyMetadata ? ' verified' : ''}: ${files.map((file) => file.fileName).join(', ')}`,
  );

  const reads = new HttpClient({ retries: inputs.retries, signal, logger });
  const index = new PackageIndex(inputs.endpoints, reads, logger);
  const onIndex = await index.releaseFiles(release.name, release.version);
  const skipped = filesToSkip(
    files.map((file) => ({ fileName: file.fileName, sha256: file.digests.sha256 })),
    onIndex,
    inputs.skipExisting,
  );
  for (const file of files.filter((candidate) => skipped.has(candidate.fileName))) {
    file.result = inputs.dryRun ? 'would skip' : 'skipped';
    logger.info(`Skipping ${file.fileName}: already on the index with the same SHA-256`);
  }

  const pending = files.filter((file) => file.result === 'pending');
  if (inputs.dryRun) {
    for (const file of pending) file.result = 'would upload';
    logger.info(`Dry run: would upload ${pending.length} file(s) to ${inputs.endpoints.upload}`);
    return;
  }
  if (pending.length === 0) return;
  const password =
    inputs.password ||
    (await mintUploadToken(inputs.endpoints.oidc, { http: reads, getIdToken, logger, attempts: inputs.retries + 1, signal }));
  maskSecret(password, inputs.username);
  const uploads = new HttpClient({
    retries: inputs.retries,
    signal,
    logger,
    headers: { authorization: `Basic ${Buffer.from(`${inputs.username}:${password}`).toString('base64')}` },
  });
  for (const file of pending) {
    await index.upload(uploads, release, file, signal);
    file.result = 'uploaded';
  }
}

/** Every distribution in `dir` with its metadata and digests (each file read as a stream). */
async function readDistributions(dir: string, signal: AbortSignal): Promise<FileReport[]> {
  const fileNames = listDistributions(dir);
  if (fileNames.length === 0) throw inputError('packages-dir', `${dir} holds no .whl or .tar.gz file`, 'Build first, or set build: auto');
  const files: FileReport[] = [];
  for (const fileName of fileNames) {
    const path = join(dir, fileName);
    files.push({
      fileName,
      path,
      metadata: await readDistributionMetadata(path),
      digests: await digestFile(path, signal),
      result: 'pending',
    });
  }
  return files;
}
