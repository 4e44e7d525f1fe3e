/**
 * Publishing: build if asked, read and verify every distribution, ask the index what it already has,
 * then upload what is missing (with the API token or a token minted by trusted publishing).
 * Nothing is uploaded unless every file passes.
 */
import { join } from 'node:path';
import { ConfigurationError, inputError, maskSecret, type HttpClient, type Logger } from '@conveyor/core';
import type { Attestation } from './attest';
import { attestDistributions } from './attestations';
import { inspectProject, listDistributions, planBuild, runBuild } from './build';
import type { Inputs } from './inputs';
import { readDistributionMetadata, type CoreMetadata } from './metadata';
import { filesToSkip } from './skip-existing';
import { mintUploadToken } from './trusted-publishing';
import { digestFile, type FileDigests, type PackageIndex } from './upload';
import { verifyDistributions, type Release } from './verify';

export interface FileReport {
  fileName: string;
  path: string;
  metadata: CoreMetadata;
  digests: FileDigests;
  result: 'pending' | 'uploaded' | 'skipped' | 'would upload' | 'would skip';
  /** Its verified PEP 740 attestation, uploaded with it. */
  attestation?: Attestation;
}

/** What the step found and did, kept for the outputs and the summary whatever happens. */
export interface PublishResult {
  files: FileReport[];
  release?: Release;
  /** The attestation files written (`<file>.publish.attestation`). */
  attestations: string[];
}

export interface PublishContext {
  /** The index's JSON API and upload endpoint. */
  index: PackageIndex;
  /** A client without credentials for the index's trusted-publishing endpoints. */
  http: HttpClient;
  /** The runner's OIDC token for an audience (trusted publishing). */
  getIdToken: (audience: string) => Promise<string>;
  logger: Logger;
  signal: AbortSignal;
}

/** Bound on one Fulcio or Rekor request (as @actions/attest sets it). */
const SIGSTORE_TIMEOUT_MS = 10_000;

export async function publish(inputs: Inputs, result: PublishResult, context: PublishContext): Promise<void> {
  const { index, logger, signal } = context;
  // Files the index stored after this moment were uploaded by a concurrent run (see filesToSkip).
  const startedAt = Date.now();
  const files = result.files;
  const plan = planBuild(inspectProject(inputs.workingDirectory, inputs.packagesDir), inputs);
  if (plan.tool === 'none') logger.info(`Not building: ${plan.reason}`);
  else
    await logger.group(`Building with ${plan.tool} (${plan.reason})`, () =>
      runBuild(plan, { cwd: inputs.workingDirectory, logger, signal }),
    );

  files.push(...(await readDistributions(inputs.packagesDir, signal)));
  const verification = verifyDistributions(files, inputs.expectedVersion);
  const { release } = verification;
  result.release = release;
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

  const onIndex = await index.releaseFiles(release.name, release.version);
  const skipped = filesToSkip(
    files.map((file) => ({ fileName: file.fileName, sha256: file.digests.sha256 })),
    onIndex,
    { skipExisting: inputs.skipExisting, startedAt },
  );
  for (const file of files) {
    const reason = skipped.get(file.fileName);
    if (reason === undefined) continue;
    file.result = inputs.dryRun ? 'would skip' : 'skipped';
    logger.info(`Skipping ${file.fileName}: ${reason}`);
  }

  const pending = files.filter((file) => file.result === 'pending');
  if (inputs.dryRun) {
    for (const file of pending) file.result = 'would upload';
    logger.info(`Dry run: would upload ${pending.length} file(s) to ${inputs.endpoints.upload}`);
    return;
  }
  if (pending.length === 0) return;
  let password = inputs.password;
  if (!password) {
    password = await mintUploadToken(inputs.endpoints.oidc, {
      http: context.http,
      getIdToken: context.getIdToken,
      logger,
      attempts: inputs.retries + 1,
      signal,
    });
    // A minted token is masked as it arrives; this adds its user:token (Basic authorization) forms,
    // as getInputs does for a given password.
    maskSecret(password, inputs.username);
  }
  // PEP 740: PyPI accepts attestations only with trusted publishing (pypa's `auto`).
  if (inputs.attestations === 'true' || (inputs.attestations === 'auto' && !inputs.password)) {
    const attested = await attestDistributions(
      pending.map((file) => ({ fileName: file.fileName, sha256: file.digests.sha256, path: file.path })),
      {
        required: inputs.attestations === 'true',
        ...inputs.sigstore,
        identity: inputs.identity,
        retries: inputs.retries,
        timeoutMs: SIGSTORE_TIMEOUT_MS,
        getIdToken: context.getIdToken,
        http: context.http,
        logger,
        signal,
      },
    );
    for (const file of pending) file.attestation = attested?.get(file.fileName)?.attestation;
    result.attestations.push(...[...(attested?.values() ?? [])].map(({ path }) => path));
  }
  for (const file of pending) {
    await index.upload(release, file, { username: inputs.username, password }, signal);
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
