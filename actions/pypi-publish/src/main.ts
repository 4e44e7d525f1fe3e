// pypi-publish: build (optionally), verify every distribution, then upload them with an API token or
// a token minted by trusted publishing. Nothing is uploaded unless every file passes.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  ConfigurationError,
  escapeCell,
  getBoolean,
  getEnum,
  getInteger,
  getString,
  HttpClient,
  inputError,
  link,
  maskSecret,
  runAction,
  type StepContext,
} from '@conveyor/core';
import { BUILD_MODES, inspectProject, listDistributions, planBuild, runBuild, type BuildMode } from './build';
import { readDistributionMetadata, type CoreMetadata } from './metadata';
import { normalizeName, normalizeVersion } from './names';
import { indexEndpoints, isSafeTransport, type IndexEndpoints } from './repository';
import { mintUploadToken } from './trusted-publishing';
import { filesToSkip } from './skip-existing';
import { digestFile, PackageIndex, type FileDigests } from './upload';
import { verifyDistributions, type Release } from './verify';

interface Inputs {
  packagesDir: string;
  build: BuildMode;
  workingDirectory: string;
  endpoints: IndexEndpoints;
  username: string;
  /** Empty: trusted publishing. */
  password: string;
  skipExisting: boolean;
  verifyMetadata: boolean;
  expectedVersion?: string;
  dryRun: boolean;
  retries: number;
  python: string;
  buildIsolation: boolean;
}

function getInputs(): Inputs {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const workingDirectory = resolve(workspace, getString('working-directory') || '.');
  if (!existsSync(workingDirectory) || !statSync(workingDirectory).isDirectory()) {
    throw inputError('working-directory', `${workingDirectory} is not a directory`, 'Give the project root, relative to the workspace');
  }
  const rawUrl = getString('repository-url') || 'https://upload.pypi.org/legacy/';
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw inputError('repository-url', `'${rawUrl}' is not a URL`, 'Give the upload endpoint, e.g. https://upload.pypi.org/legacy/');
  }
  if (!isSafeTransport(url)) throw inputError('repository-url', `'${rawUrl}' would send credentials unencrypted`, 'Use an https:// URL');
  const expectedVersion = getString('expected-version') || undefined;
  if (expectedVersion && !normalizeVersion(expectedVersion)) {
    throw inputError('expected-version', `'${expectedVersion}' is not a PEP 440 version`, 'Give a version such as 1.4.0 or v1.4.0');
  }
  const password = getString('password');
  const dryRun = getBoolean('dry-run', false);
  if (!password && !dryRun && !process.env.ACTIONS_ID_TOKEN_REQUEST_URL) {
    throw inputError(
      'password',
      'is empty, so trusted publishing is used, but the job cannot request an OIDC token',
      "Give the job 'permissions: id-token: write' (and register it as a trusted publisher), or set password to an API token",
    );
  }
  return {
    packagesDir: resolve(workingDirectory, getString('packages-dir') || 'dist'),
    build: getEnum('build', BUILD_MODES, 'auto'),
    workingDirectory,
    endpoints: indexEndpoints(url.toString()),
    username: getString('username') || '__token__',
    password,
    skipExisting: getBoolean('skip-existing', false),
    verifyMetadata: getBoolean('verify-metadata', true),
    expectedVersion,
    dryRun,
    retries: getInteger('retries', { min: 0, max: 10 }, 3),
    python: getString('python') || (process.platform === 'win32' ? 'python' : 'python3'),
    buildIsolation: getBoolean('build-isolation', true),
  };
}

interface FileReport {
  fileName: string;
  path: string;
  metadata: CoreMetadata;
  digests: FileDigests;
  result: 'pending' | 'uploaded' | 'skipped' | 'would upload' | 'would skip';
}

async function main({ logger, signal, summary, setOutput }: StepContext): Promise<void> {
  const inputs = getInputs();
  maskSecret(inputs.password, inputs.username);
  const files: FileReport[] = [];
  let release: Release | undefined;
  try {
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
    release = verification.release;
    if (release) {
      setOutput('name', release.name);
      setOutput('version', release.version);
    }
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
  } finally {
    const named = (result: FileReport['result']) =>
      JSON.stringify(files.filter((file) => file.result === result).map((file) => file.fileName));
    setOutput('uploaded', named('uploaded'));
    setOutput('skipped', named('skipped'));
    setOutput('hashes', JSON.stringify(Object.fromEntries(files.map((file) => [file.fileName, file.digests.sha256]))));
    writeSummary(summary, inputs, release, files);
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

/** The runner's OIDC token for `audience` (the job needs `id-token: write`). */
const getIdToken = (audience: string) => core.getIDToken(audience);

function writeSummary(summary: StepContext['summary'], inputs: Inputs, release: Release | undefined, files: FileReport[]): void {
  const page = release ? new URL(`project/${normalizeName(release.name)}/${release.version}/`, inputs.endpoints.web).toString() : undefined;
  summary.heading(`pypi-publish: ${release ? `${release.name} ${release.version}` : 'no release'}${inputs.dryRun ? ' (dry run)' : ''}`);
  summary.keyValues([
    ['Index', link(inputs.endpoints.upload, inputs.endpoints.upload)],
    ['Release', release && page ? link(`${release.name} ${release.version}`, page) : 'unknown'],
    ['Authentication', inputs.password ? `API token (user <code>${escapeCell(inputs.username)}</code>)` : 'trusted publishing'],
  ]);
  if (files.length === 0) return;
  summary.table(
    ['File', 'Size', 'SHA-256', 'BLAKE2b-256', 'Result'],
    files.map((file) => [
      escapeCell(file.fileName),
      `${file.digests.size.toLocaleString('en-US')} B`,
      `<code>${file.digests.sha256}</code>`,
      `<code>${file.digests.blake2_256}</code>`,
      file.result === 'pending' ? 'not uploaded' : file.result,
    ]),
  );
}

export const run = () => runAction({ main });
