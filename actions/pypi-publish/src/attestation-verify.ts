/**
 * Verifying an attestation before it is uploaded, as PyPI will (pypi-attestations'
 * `Attestation.verify` with Warehouse's GitHub publisher policy): the attestation is turned back into
 * a Sigstore bundle and @sigstore/verify checks the signature over the statement, the certificate
 * chain and the transparency log entry (its signed entry timestamp, inclusion proof and checkpoint).
 * Then the statement must name exactly this file with the SHA-256 of the file on disk and PyPI's
 * publish predicate, and the certificate must say what PyPI's policy reads: GitHub's issuer, this
 * repository, a Build Config URI that is this run's workflow (`GITHUB_WORKFLOW_REF`), and the workflow
 * PyPI matched the trusted publisher on (the job's `job_workflow_ref`, the certificate's Build Signer
 * URI) at the certificate's ref or commit. In a reusable workflow the last two differ, and PyPI
 * refuses the attestation: that is caught here, before anything is uploaded.
 *
 * The trust material is what the Sigstore instance itself publishes: Fulcio's CA chain
 * (`/api/v2/trustBundle`) and Rekor's log key (`/api/v1/log/publicKey`), fetched over TLS from the
 * configured URLs. SCTs are not checked here (no CT log keys are published that way); PyPI checks
 * them against the public instance's TUF-distributed trusted root.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { errorMessage, type HttpClient } from '@conveyor/core';
import {
  AttestationError,
  IN_TOTO_PAYLOAD_TYPE,
  PUBLISH_PREDICATE_TYPE,
  type Attestation,
  type Distribution,
  type SigstoreServices,
} from './attest';

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
const GITHUB = 'https://github.com/';
const FULCIO_OID = '1.3.6.1.4.1.57264.1';
const OID = {
  issuer: `${FULCIO_OID}.8`,
  buildSignerUri: `${FULCIO_OID}.9`,
  sourceRepositoryUri: `${FULCIO_OID}.12`,
  sourceRepositoryDigest: `${FULCIO_OID}.13`,
  sourceRepositoryRef: `${FULCIO_OID}.14`,
  buildConfigUri: `${FULCIO_OID}.18`,
};

/** The publishing run: what the certificate must name. */
export interface PublishingIdentity {
  /** `owner/repo` (GITHUB_REPOSITORY). */
  repository: string;
  /** `owner/repo/.github/workflows/file.yml@ref` (GITHUB_WORKFLOW_REF: the run's top-level workflow). */
  workflowRef: string;
}

/** A Sigstore TrustedRoot in its JSON form (protobuf-specs `trusted_root.proto`). */
export type TrustedRootJson = Record<string, unknown>;

/** The trust material the configured Fulcio and Rekor publish. */
export async function fetchTrustedRoot(services: SigstoreServices, http: HttpClient): Promise<TrustedRootJson> {
  let chains: Array<{ certificates?: string[] }>;
  let logKeyPem: string;
  try {
    const bundle = await http.get<{ chains?: Array<{ certificates?: string[] }> }>(
      new URL('api/v2/trustBundle', withSlash(services.fulcioUrl)).toString(),
    );
    chains = bundle.data?.chains ?? [];
    const logKey = await http.get<string>(new URL('api/v1/log/publicKey', withSlash(services.rekorUrl)).toString(), {
      headers: { accept: 'application/x-pem-file' },
    });
    logKeyPem = String(logKey.data);
  } catch (error) {
    throw new AttestationError(`could not read the Sigstore instance's trust material: ${errorMessage(error)}`);
  }
  if (chains.length === 0) throw new AttestationError(`Fulcio (${services.fulcioUrl}) published no certificate chain`);
  let logKey: Buffer;
  try {
    logKey = createPublicKey(logKeyPem).export({ format: 'der', type: 'spki' });
  } catch {
    throw new AttestationError(`Rekor (${services.rekorUrl}) published no readable log key`);
  }
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: services.rekorUrl,
        hashAlgorithm: 'SHA2_256',
        // The key details only tell @sigstore/verify how the key is encoded: SPKI here.
        publicKey: { rawBytes: logKey.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256' },
        // Rekor's log id is the SHA-256 of its DER public key.
        logId: { keyId: createHash('sha256').update(logKey).digest('base64') },
      },
    ],
    certificateAuthorities: chains.map((chain) => ({
      uri: services.fulcioUrl,
      certChain: { certificates: (chain.certificates ?? []).map((pem) => ({ rawBytes: pemBody(pem) })) },
    })),
    ctlogs: [],
    timestampAuthorities: [],
  };
}

/** Throws an AttestationError naming the first check `attestation` fails for `file`. */
export async function verifyAttestation(
  attestation: Attestation,
  file: Distribution,
  identity: PublishingIdentity,
  trustedRoot: TrustedRootJson,
): Promise<void> {
  const [{ bundleFromJSON }, { TrustedRoot }, { toSignedEntity, toTrustMaterial, Verifier }, { ASN1Obj, X509Certificate }] =
    await Promise.all([
      import('@sigstore/bundle'),
      import('@sigstore/protobuf-specs'),
      import('@sigstore/verify'),
      import('@sigstore/core'),
    ]);
  const fail = (problem: string) => new AttestationError(`${file.fileName}: the attestation does not verify: ${problem}`);
  try {
    // pypi-attestations' `Attestation.to_bundle`: the PEP 740 object back into a bundle.
    const bundle = bundleFromJSON({
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: {
        certificate: { rawBytes: attestation.verification_material.certificate },
        tlogEntries: attestation.verification_material.transparency_entries.slice(0, 1),
        timestampVerificationData: { rfc3161Timestamps: [] },
      },
      dsseEnvelope: {
        payload: attestation.envelope.statement,
        payloadType: IN_TOTO_PAYLOAD_TYPE,
        signatures: [{ sig: attestation.envelope.signature, keyid: '' }],
      },
    });
    new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)), { ctlogThreshold: 0 }).verify(toSignedEntity(bundle));
  } catch (error) {
    throw fail(errorMessage(error));
  }

  const statement = parseStatement(Buffer.from(attestation.envelope.statement, 'base64'));
  if (!statement) throw fail('the statement is not an in-toto Statement v1');
  if (statement.subject.length !== 1) throw fail(`the statement has ${statement.subject.length} subjects, not exactly one`);
  const [subject] = statement.subject as [{ name?: unknown; digest?: { sha256?: unknown } }];
  if (subject.name !== file.fileName) throw fail(`the statement names ${String(subject.name)}, not ${file.fileName}`);
  if (subject.digest?.sha256 !== file.sha256) throw fail(`the statement's SHA-256 is not the file's (${file.sha256})`);
  if (statement.predicateType !== PUBLISH_PREDICATE_TYPE) throw fail(`unknown predicate type ${String(statement.predicateType)}`);

  const certificate = X509Certificate.parse(Buffer.from(attestation.verification_material.certificate, 'base64'));
  const claim = (oid: string): string | undefined => {
    const value = certificate.extension(oid)?.value;
    return value ? ASN1Obj.parseBuffer(Buffer.from(value)).value.toString('utf8') : undefined;
  };
  const problem = identityProblem(
    {
      issuer: claim(OID.issuer),
      sourceRepositoryUri: claim(OID.sourceRepositoryUri),
      buildConfigUri: claim(OID.buildConfigUri),
      buildSignerUri: claim(OID.buildSignerUri),
      refs: [claim(OID.sourceRepositoryDigest), claim(OID.sourceRepositoryRef)].filter((ref): ref is string => Boolean(ref)),
    },
    identity,
  );
  if (problem) throw fail(problem);
}

/** The identity claims of a Fulcio certificate that PyPI's GitHub policy reads. */
export interface CertificateIdentity {
  issuer?: string;
  sourceRepositoryUri?: string;
  buildConfigUri?: string;
  /** Where the signing job's workflow lives (`job_workflow_ref`); the SAN holds the same. */
  buildSignerUri?: string;
  /** Source Repository Digest and Ref, whichever are present. */
  refs: string[];
}

/** Why PyPI (or this run) would not accept a certificate with these claims, or undefined. */
export function identityProblem(claims: CertificateIdentity, identity: PublishingIdentity): string | undefined {
  // Fulcio and PyPI's policy both spell GitHub identities on github.com.
  const repositoryUri = `${GITHUB}${identity.repository}`;
  const runWorkflow = `${GITHUB}${identity.workflowRef}`;
  if (claims.issuer !== GITHUB_ACTIONS_ISSUER) {
    return `the certificate's issuer is ${claims.issuer ?? 'missing'}, not GitHub Actions (${GITHUB_ACTIONS_ISSUER})`;
  }
  if (claims.sourceRepositoryUri !== repositoryUri) {
    return `the certificate's Source Repository URI is ${claims.sourceRepositoryUri ?? 'missing'}, not this repository (${repositoryUri})`;
  }
  if (claims.buildConfigUri !== runWorkflow) {
    return `the certificate's Build Config URI is ${claims.buildConfigUri ?? 'missing'}, not this run's workflow (${runWorkflow})`;
  }
  if (claims.refs.length === 0) return 'Certificate must contain either Source Repository Digest or Source Repository Ref';
  // PyPI matched the trusted publisher on the job's workflow file (job_workflow_ref, the Build Signer
  // URI) and wants the Build Config URI to be that file at the certificate's commit or ref.
  const publisherWorkflow = workflowFile(claims.buildSignerUri) ?? '?';
  const accepted = claims.refs.map((ref) => `${repositoryUri}/.github/workflows/${publisherWorkflow}@${ref}`);
  if (accepted.includes(claims.buildConfigUri)) return undefined;
  const pypiSays = `Certificate's Build Config URI (${claims.buildConfigUri}) does not match expected Trusted Publisher (${publisherWorkflow} @ ${identity.repository})`;
  const callerWorkflow = workflowFile(claims.buildConfigUri);
  if (callerWorkflow === publisherWorkflow) return `PyPI would refuse it: ${pypiSays}`;
  return (
    `this job runs in the reusable workflow ${publisherWorkflow} called from ${callerWorkflow ?? '?'}; PyPI matches the trusted ` +
    `publisher on ${publisherWorkflow} but checks attestations against the calling workflow, so it would refuse them ` +
    `(${pypiSays}). Publish from a job of the top-level workflow to attest`
  );
}

/** The file name of a `…/.github/workflows/<file>@ref` reference. */
function workflowFile(reference: string | undefined): string | undefined {
  return /\/\.github\/workflows\/([^/@]+)@/.exec(reference ?? '')?.[1];
}

function parseStatement(payload: Buffer): { _type?: unknown; subject: unknown[]; predicateType?: unknown } | undefined {
  try {
    const statement = JSON.parse(payload.toString('utf8')) as { _type?: unknown; subject?: unknown; predicateType?: unknown };
    return statement._type === 'https://in-toto.io/Statement/v1' && Array.isArray(statement.subject)
      ? { ...statement, subject: statement.subject as unknown[] }
      : undefined;
  } catch {
    return undefined;
  }
}

function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
