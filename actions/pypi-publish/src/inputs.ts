/**
 * pypi-publish's inputs: one typed object, every input validated (and the credentials masked) before
 * anything is built or sent.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { getBoolean, getEnum, getInteger, getString, inputError, maskSecret } from '@conveyor/core';
import type { SigstoreServices } from './attest';
import type { PublishingIdentity } from './attestation-verify';
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
  /** PEP 740 attestations: `auto` exactly when trusted publishing is used. */
  attestations: AttestationMode;
  sigstore: SigstoreServices;
  /** The run the attestations' certificate must name. */
  identity: PublishingIdentity;
}

export const ATTESTATION_MODES = ['auto', 'true', 'false'] as const;
export type AttestationMode = (typeof ATTESTATION_MODES)[number];

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
  const attestations = getEnum('attestations', ATTESTATION_MODES, 'auto');
  if (attestations === 'true' && password) {
    throw inputError(
      'attestations',
      'is true, but a password is given and PyPI accepts attestations only with trusted publishing',
      'Remove the password (and register a trusted publisher), or set attestations: auto',
    );
  }
  if (attestations === 'true' && !process.env.ACTIONS_ID_TOKEN_REQUEST_URL) {
    throw inputError('attestations', 'is true, but the job cannot request an OIDC token', "Give the job 'permissions: id-token: write'");
  }
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
    attestations,
    sigstore: {
      fulcioUrl: serviceUrl('fulcio-url', 'https://fulcio.sigstore.dev'),
      rekorUrl: serviceUrl('rekor-url', 'https://rekor.sigstore.dev'),
    },
    identity: { repository: process.env.GITHUB_REPOSITORY ?? '', workflowRef: process.env.GITHUB_WORKFLOW_REF ?? '' },
  };
}

/** A Sigstore service's base URL (no trailing slash), https or this machine. */
function serviceUrl(name: string, fallback: string): string {
  const raw = getString(name) || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw inputError(name, `'${raw}' is not a URL`, `Give the service's base URL, e.g. ${fallback}`);
  }
  if (!isSafeTransport(url)) throw inputError(name, `'${raw}' would send the OIDC token unencrypted`, 'Use an https:// URL');
  return url.toString().replace(/\/$/, '');
}
