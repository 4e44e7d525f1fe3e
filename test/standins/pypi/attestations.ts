/**
 * The PyPI stand-in's handling of the `attestations` upload field, as Warehouse does it
 * (`warehouse/attestations/services.py` `_extract_attestations_from_request` and
 * `IntegrityService.parse_attestations`, which call pypi-attestations' `Attestation.verify` with the
 * upload's trusted publisher as `GitHubPublisher(repository, workflow)`). Each refusal is Warehouse's
 * message, which the upload view prefixes with "Invalid attestations supplied during upload: ".
 * Cryptographic verification is @sigstore/verify's, given the Sigstore stand-ins' trust material
 * (PyPI uses the public instance's); its messages are sigstore-js's rather than sigstore-python's.
 * Not modelled: the pydantic text of a malformed-attestation error (reduced to its first problem),
 * the SLSA provenance predicate's own checks, GitLab and Google publishers, the SCT check (the Fulcio
 * stand-in embeds none).
 */
import { bundleFromJSON } from '@sigstore/bundle';
import { ASN1Obj, X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { GITHUB_ISSUER } from './oidc-issuer';

export const PUBLISH_V1 = 'https://docs.pypi.org/attestations/publish/v1';
const SUPPORTED_TYPES = new Set([PUBLISH_V1, 'https://slsa.dev/provenance/v1']);

/** The trusted publisher an upload token was minted for (Warehouse's `attestation_identity`). */
export interface GitHubPublisher {
  kind: 'GitHub';
  repository: string;
  workflow: string;
  environment: string | null;
}

interface AttestationObject {
  version: 1;
  verification_material: { certificate: string; transparency_entries: unknown[] };
  envelope: { statement: string; signature: string };
}

export class AttestationRefusal extends Error {}

/**
 * The attestations of an upload of `file` (name and SHA-256), verified; throws AttestationRefusal
 * with Warehouse's message.
 */
export function parseAttestations(
  field: string,
  publisher: GitHubPublisher | undefined,
  file: { fileName: string; sha256: string },
  trustedRoot: Record<string, unknown> | undefined,
): AttestationObject[] {
  if (!publisher) throw new AttestationRefusal('Attestations are only supported when using Trusted Publishing');
  let attestations: AttestationObject[];
  try {
    attestations = malformed(JSON.parse(field));
  } catch (error) {
    throw new AttestationRefusal(`Malformed attestations: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (attestations.length === 0) throw new AttestationRefusal('Malformed attestations: an empty attestation set is not permitted');
  if (attestations.length > SUPPORTED_TYPES.size) {
    throw new AttestationRefusal(`A maximum of ${SUPPORTED_TYPES.size} attestations per file are supported`);
  }
  const seen = new Set<string>();
  for (const attestation of attestations) {
    let predicateType: string;
    try {
      predicateType = verify(attestation, publisher, file, trustedRoot);
    } catch (error) {
      throw new AttestationRefusal(
        `Could not verify the uploaded artifact using the included attestation: Verification failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (seen.has(predicateType)) {
      throw new AttestationRefusal(
        `Multiple attestations for the same file with the same predicate type (${predicateType}) are not supported`,
      );
    }
    seen.add(predicateType);
  }
  return attestations;
}

/** The list when every item has the Attestation model's shape; throws naming the first problem. */
function malformed(value: unknown): AttestationObject[] {
  if (!Array.isArray(value)) throw new Error('Input should be a valid list');
  value.forEach((item: Partial<AttestationObject>, index) => {
    if (item?.version !== 1) throw new Error(`${index}.version: Input should be 1`);
    const material = item.verification_material;
    if (typeof material?.certificate !== 'string') throw new Error(`${index}.verification_material.certificate: Field required`);
    if (!Array.isArray(material.transparency_entries) || material.transparency_entries.length === 0) {
      throw new Error(`${index}.verification_material.transparency_entries: List should have at least 1 item after validation, not 0`);
    }
    if (typeof item.envelope?.statement !== 'string' || typeof item.envelope.signature !== 'string') {
      throw new Error(`${index}.envelope: Field required`);
    }
  });
  return value as AttestationObject[];
}

/** pypi-attestations' `Attestation.verify`: returns the predicate type, throws with its message. */
function verify(
  attestation: AttestationObject,
  publisher: GitHubPublisher,
  file: { fileName: string; sha256: string },
  trustedRoot: Record<string, unknown> | undefined,
): string {
  if (!trustedRoot) throw new Error('the stand-in was given no Sigstore trust material');
  // `to_bundle`, then sigstore's `verify_dsse` with the publisher's policy.
  const bundle = bundleFromJSON({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      certificate: { rawBytes: attestation.verification_material.certificate },
      tlogEntries: [attestation.verification_material.transparency_entries[0]],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: {
      payload: attestation.envelope.statement,
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: attestation.envelope.signature, keyid: '' }],
    },
  });
  new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)), { ctlogThreshold: 0 }).verify(toSignedEntity(bundle));
  githubPublisherPolicy(X509Certificate.parse(Buffer.from(attestation.verification_material.certificate, 'base64')), publisher);

  const statement = JSON.parse(Buffer.from(attestation.envelope.statement, 'base64').toString('utf8')) as {
    subject?: Array<{ name?: string; digest?: Record<string, string> }>;
    predicateType?: string;
  };
  if (statement.subject?.length !== 1) throw new Error('too many subjects in statement (must be exactly one)');
  const [subject] = statement.subject as [{ name?: string; digest?: Record<string, string> }];
  if (!subject.name) throw new Error('invalid subject: missing name');
  if (subject.name !== file.fileName) throw new Error(`subject does not match distribution name: ${subject.name} != ${file.fileName}`);
  if (subject.digest?.sha256 !== file.sha256) throw new Error('subject does not match distribution digest');
  if (!statement.predicateType || !SUPPORTED_TYPES.has(statement.predicateType)) {
    throw new Error(`unknown attestation type: ${statement.predicateType}`);
  }
  return statement.predicateType;
}

/** pypi-attestations' `_GitHubTrustedPublisherPolicy.verify`, with sigstore-python's messages. */
function githubPublisherPolicy(certificate: X509Certificate, publisher: GitHubPublisher): void {
  const extension = (oid: number) => {
    const value = certificate.extension(`1.3.6.1.4.1.57264.1.${oid}`)?.value;
    return value ? ASN1Obj.parseBuffer(Buffer.from(value)).value.toString('utf8') : undefined;
  };
  const expect = (name: string, oid: number, expected: string) => {
    const got = extension(oid);
    if (got === undefined) throw new Error(`Certificate does not contain ${name} (1.3.6.1.4.1.57264.1.${oid}) extension`);
    if (got !== expected) throw new Error(`Certificate's ${name} does not match (got ${got}, expected ${expected})`);
  };
  expect('OIDCIssuerV2', 8, GITHUB_ISSUER);
  expect('OIDCSourceRepositoryURI', 12, `https://github.com/${publisher.repository}`);
  const buildConfigUri = extension(18);
  const suffixes = [extension(13), extension(14)].filter((suffix): suffix is string => Boolean(suffix));
  if (suffixes.length === 0) throw new Error('Certificate must contain either Source Repository Digest or Source Repository Ref');
  const accepted = suffixes.map((suffix) => `https://github.com/${publisher.repository}/.github/workflows/${publisher.workflow}@${suffix}`);
  if (!buildConfigUri || !accepted.includes(buildConfigUri)) {
    throw new Error(
      `Certificate's Build Config URI (${buildConfigUri}) does not match expected Trusted Publisher (${publisher.workflow} @ ${publisher.repository})`,
    );
  }
}

/** PEP 740's provenance object, as the Integrity API serves it. */
export function provenance(publisher: GitHubPublisher, attestations: AttestationObject[]): Record<string, unknown> {
  return { version: 1, attestation_bundles: [{ publisher, attestations }] };
}
