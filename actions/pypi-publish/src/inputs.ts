/**
 * pypi-publish's inputs: one typed object, every input validated (and the credentials masked) before
 * anything is built or sent.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { getBoolean, getEnum, getInteger, getString, inputError, maskSecret } from '@conveyor/core';
import { BUILD_MODES, type BuildSettings } from './build';
import { normalizeVersion } from './names';
import { indexEndpoints, isSafeTransport, type IndexEndpoints } from './repository';

export interface Inputs extends BuildSettings {
  endpoints: IndexEndpoints;
  username: string;
  /** Empty: trusted publishing. */
  password: string;
  skipExisting: boolean;
  verifyMetadata: boolean;
  expectedVersion?: string;
  dryRun: boolean;
  retries: number;
}

export function getInputs(): Inputs {
  const password = getString('password');
  const username = getString('username') || '__token__';
  maskSecret(password, username);
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
    username,
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
