/**
 * PEP 740 publish attestations, made as pypa/gh-action-pypi-publish makes them (pypi-attestations'
 * `Attestation.sign`): for each distribution an in-toto Statement v1 naming the file and its SHA-256
 * with PyPI's publish predicate, signed as a DSSE envelope by an ephemeral key whose certificate
 * Fulcio issues for the job's OIDC identity (audience `sigstore`), entered in Rekor, all through
 * @sigstore/sign; the Sigstore bundle is then converted to PEP 740's attestation object as
 * pypi-attestations' `Attestation.from_bundle` does. Sigstore's libraries are loaded only here, when
 * attestations are made (they are a separate chunk of the bundle).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { SerializedBundle } from '@sigstore/bundle';
import type { Signature, Signer } from '@sigstore/sign';
import { errorMessage, maskSecret } from '@conveyor/core';

export const PUBLISH_PREDICATE_TYPE = 'https://docs.pypi.org/attestations/publish/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** Sigstore requires the `sigstore` audience on the token Fulcio certifies. */
const SIGSTORE_AUDIENCE = 'sigstore';
/** Fulcio certificates live 10 minutes; a new one is requested well before the old one ends. */
const CERTIFICATE_REUSE_MS = 5 * 60_000;

/** PEP 740's attestation object (pypi-attestations' `Attestation` model, as JSON). */
export interface Attestation {
  version: 1;
  verification_material: {
    /** base64(DER) of the signing certificate. */
    certificate: string;
    /** The Rekor entries in Sigstore's protobuf-JSON form (`TransparencyLogEntry`, as in a bundle). */
    transparency_entries: Array<Record<string, unknown>>;
  };
  envelope: {
    /** base64 of the in-toto statement (the DSSE payload). */
    statement: string;
    /** base64 of the DSSE signature. */
    signature: string;
  };
}

export interface Distribution {
  fileName: string;
  sha256: string;
}

export interface SigstoreServices {
  fulcioUrl: string;
  rekorUrl: string;
}

export interface SigningOptions extends SigstoreServices {
  /** The runner's OIDC token for an audience (`core.getIDToken`). */
  getIdToken(audience: string): Promise<string>;
  /** Retries of a Sigstore request after a transient failure (5xx, 408, 429, a lost connection). */
  retries: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/** A Sigstore service failed or refused; the message names which and why. */
export class AttestationError extends Error {
  override name = 'AttestationError';
}

/** The in-toto Statement v1 PyPI expects, serialized as sigstore-python's StatementBuilder does. */
export function publishStatement(file: Distribution): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: STATEMENT_TYPE,
      subject: [{ name: file.fileName, digest: { sha256: file.sha256 } }],
      predicateType: PUBLISH_PREDICATE_TYPE,
      predicate: null,
    }),
  );
}

/** PEP 740's attestation object for a Sigstore bundle holding one DSSE-signed statement. */
export function toAttestation(bundle: SerializedBundle): Attestation {
  const { verificationMaterial } = bundle;
  if (!bundle.dsseEnvelope) throw new AttestationError('the Sigstore bundle holds no DSSE envelope');
  if (bundle.dsseEnvelope.signatures.length !== 1) {
    throw new AttestationError(`expected exactly one signature, got ${bundle.dsseEnvelope.signatures.length}`);
  }
  if (!verificationMaterial.certificate) throw new AttestationError('the Sigstore bundle holds no signing certificate');
  if (verificationMaterial.tlogEntries.length === 0) throw new AttestationError('the Sigstore bundle holds no transparency log entry');
  return {
    version: 1,
    verification_material: {
      certificate: verificationMaterial.certificate.rawBytes,
      transparency_entries: [verificationMaterial.tlogEntries[0] as unknown as Record<string, unknown>],
    },
    envelope: { statement: bundle.dsseEnvelope.payload, signature: (bundle.dsseEnvelope.signatures[0] as { sig: string }).sig },
  };
}

/**
 * Signs each distribution's statement. One ephemeral P-256 key (in memory only) is certified once
 * and signs every file, as sigstore-python's cached signer does for pypa's action: one OIDC token and
 * one Fulcio request for the whole set, one Rekor entry per file.
 */
export async function signDistributions(files: Distribution[], options: SigningOptions): Promise<Map<string, Attestation>> {
  const [{ DSSEBundleBuilder, FulcioSigner, RekorWitness }, { bundleToJSON }] = await Promise.all([
    import('@sigstore/sign'),
    import('@sigstore/bundle'),
  ]);
  const key = new EphemeralKey();
  const fetchOptions = { retry: options.retries, timeout: options.timeoutMs };
  const fulcio = new FulcioSigner({
    fulcioBaseURL: options.fulcioUrl,
    keyHolder: key,
    identityProvider: {
      getToken: async () => {
        const token = await options.getIdToken(SIGSTORE_AUDIENCE);
        maskSecret(token);
        return token;
      },
    },
    ...fetchOptions,
  });
  const builder = new DSSEBundleBuilder({
    signer: new CertifiedKey(fulcio, key),
    // A retried entry that had landed is answered 409: fetch the entry instead of failing.
    witnesses: [new RekorWitness({ rekorBaseURL: options.rekorUrl, entryType: 'dsse', fetchOnConflict: true, ...fetchOptions })],
  });
  const attestations = new Map<string, Attestation>();
  for (const file of files) {
    options.signal.throwIfAborted();
    let bundle;
    try {
      bundle = await builder.create({ data: publishStatement(file), type: IN_TOTO_PAYLOAD_TYPE });
    } catch (error) {
      throw new AttestationError(describeSigstoreFailure(error, options));
    }
    attestations.set(file.fileName, toAttestation(bundleToJSON(bundle)));
  }
  return attestations;
}

/** Which service failed and what it said, from @sigstore/sign's InternalError and its cause. */
export function describeSigstoreFailure(error: unknown, services: SigstoreServices): string {
  const { code, cause } = error as { code?: string; cause?: unknown };
  const said = cause === undefined ? errorMessage(error) : errorMessage(cause);
  switch (code) {
    case 'IDENTITY_TOKEN_READ_ERROR':
      return `could not get the job's OIDC token for Sigstore (${said}); the job needs 'permissions: id-token: write'`;
    case 'CA_CREATE_SIGNING_CERTIFICATE_ERROR':
      return `Fulcio (${services.fulcioUrl}) did not issue a signing certificate: ${said}`;
    case 'TLOG_CREATE_ENTRY_ERROR':
    case 'TLOG_FETCH_ENTRY_ERROR':
      return `Rekor (${services.rekorUrl}) did not record the signature: ${said}`;
    default:
      return `signing failed: ${errorMessage(error)}`;
  }
}

/** The ephemeral signing key: generated in memory, never exported, gone with the process. */
class EphemeralKey implements Signer {
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  sign(data: Buffer): Promise<Signature> {
    return Promise.resolve({
      signature: sign('sha256', data, this.keys.privateKey),
      key: { $case: 'publicKey', publicKey: this.keys.publicKey.export({ format: 'pem', type: 'spki' }).toString() },
    });
  }
}

/** Signs with `key` under the certificate Fulcio issued for it, asking Fulcio again only when it nears its end. */
class CertifiedKey implements Signer {
  private certificate?: { key: Signature['key']; issuedAt: number };

  constructor(
    private readonly fulcio: Signer,
    private readonly key: Signer,
  ) {}

  async sign(data: Buffer): Promise<Signature> {
    if (this.certificate && Date.now() - this.certificate.issuedAt < CERTIFICATE_REUSE_MS) {
      return { signature: (await this.key.sign(data)).signature, key: this.certificate.key };
    }
    const signature = await this.fulcio.sign(data);
    this.certificate = { key: signature.key, issuedAt: Date.now() };
    return signature;
  }
}
