/**
 * Attesting a release before it is uploaded: read the Sigstore instance's trust material, sign every
 * file, verify every attestation as PyPI will, and only then write each beside its file as
 * `<file>.publish.attestation` (pypa's name). Nothing is written unless all of them verify.
 * When attestations are required a failure stops the step before any upload; otherwise it is one
 * warning naming the cause and the files go out without attestations (pypa's action fails instead).
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { HttpClient, Logger } from '@conveyor/core';
import { AttestationError, signDistributions, type Attestation, type Distribution, type SigningOptions } from './attest';
import { fetchTrustedRoot, verifyAttestation, type PublishingIdentity } from './attestation-verify';

export const ATTESTATION_SUFFIX = '.publish.attestation';

export interface AttestationContext extends SigningOptions {
  /** `attestations: true`: a failure fails the step. */
  required: boolean;
  identity: PublishingIdentity;
  /** Reads the trust material (GET, retried). */
  http: HttpClient;
  logger: Logger;
}

export interface AttestedFile {
  attestation: Attestation;
  /** Where it was written. */
  path: string;
}

/**
 * The verified attestation of each file, by file name; undefined when they could not be made and are
 * not required (the warning has been given).
 */
export async function attestDistributions(
  files: Array<Distribution & { path: string }>,
  context: AttestationContext,
): Promise<Map<string, AttestedFile> | undefined> {
  const { logger } = context;
  let attestations: Map<string, Attestation>;
  try {
    const trustedRoot = await fetchTrustedRoot(context, context.http);
    attestations = await signDistributions(files, context);
    for (const file of files) await verifyAttestation(attestations.get(file.fileName) as Attestation, file, context.identity, trustedRoot);
  } catch (error) {
    if (!(error instanceof AttestationError)) throw error;
    if (context.required)
      throw new AttestationError(`Attestations could not be made (attestations: true), nothing was uploaded: ${error.message}`);
    logger.warning(`Publishing without attestations: ${error.message}`);
    return undefined;
  }
  const attested = new Map<string, AttestedFile>();
  for (const file of files) {
    const attestation = attestations.get(file.fileName) as Attestation;
    const path = `${file.path}${ATTESTATION_SUFFIX}`;
    // A file left by an earlier attempt is replaced: this run's attestation is the one uploaded.
    writeFileSync(path, JSON.stringify(attestation));
    attested.set(file.fileName, { attestation, path });
  }
  const written = [...attested.values()].map(({ path }) => basename(path)).join(', ');
  logger.info(`Attested ${files.length} file(s) through ${context.fulcioUrl} and ${context.rekorUrl}, verified as PyPI will: ${written}`);
  return attested;
}
