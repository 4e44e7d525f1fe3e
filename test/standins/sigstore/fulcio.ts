/**
 * Fulcio stand-in: Sigstore's certificate authority as `@sigstore/sign` and the action call it.
 * - `POST /api/v2/signingCert` (Fulcio's v2 API, `fulcio.proto` CreateSigningCertificate over
 *   grpc-gateway): `{credentials: {oidcIdentityToken}, publicKeyRequest: {publicKey: {algorithm,
 *   content: PEM}, proofOfPossession: base64(sig over the token's sub)}}`. The token is checked as
 *   Fulcio does (signature by a configured issuer's key, audience `sigstore`, expiry), then the proof
 *   of possession, then GitHub's claims (fulcio `pkg/identity/github/principal.go`: every claim it
 *   needs, with its "missing … claim in ID token" message). The answer is `201
 *   {signedCertificateEmbeddedSct: {chain: {certificates: [leaf, intermediate, root]}}}` (PEM), the
 *   leaf made as Fulcio makes it: 10 minutes, empty subject, digitalSignature, codeSigning, SAN URI
 *   `https://github.com/<job_workflow_ref>` (critical), extensions 1.3.6.1.4.1.57264.1.1–.6 as raw
 *   strings and .8–.22 as DER UTF8String (principal.go `Embed`; compare the certificate in
 *   pypi-attestations' test asset pypi_attestations-0.0.19.tar.gz.publish.attestation). It is signed
 *   ECDSA P-384/SHA-384 by an intermediate `O=sigstore.dev, CN=sigstore-intermediate` under a root
 *   `O=sigstore.dev, CN=sigstore`, as the public instance's chain is.
 * - `GET /api/v2/trustBundle`: `{chains: [{certificates: [intermediate, root]}]}`.
 * Errors are grpc-gateway's `{code, message, details: []}` with Fulcio's messages (`pkg/server/error.go`).
 * Not modelled: the embedded SCT (there is no CT log here; verifiers are told to expect none), CSRs,
 * other identity providers.
 * Checked against Sigstore's own client in `sigstore.test.ts`.
 */
import 'reflect-metadata';
import { createPublicKey, createVerify, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { StandIn, type Reply } from '../../kit/standin';
import { GITHUB_ISSUER } from '../pypi/oidc-issuer';

x509.cryptoProvider.set(webcrypto);

const CA_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' } as const;
const LEAF_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const FULCIO_OID = '1.3.6.1.4.1.57264.1';
// grpc-gateway's mapping of the gRPC codes Fulcio uses.
const INVALID_ARGUMENT = { code: 3, status: 400 };
const INVALID_IDENTITY_TOKEN = 'There was an error processing the identity token';
const INVALID_SIGNATURE = 'The signature supplied in the request could not be verified';
const INVALID_PUBLIC_KEY = 'The public key supplied in the request could not be parsed';

export interface TrustedIssuer {
  issuer: string;
  publicKey: KeyObject;
}

export class FulcioStandIn extends StandIn {
  /** Every leaf certificate issued (PEM). */
  readonly issued: string[] = [];
  private root?: x509.X509Certificate;
  private intermediate?: x509.X509Certificate;
  private intermediateKeys?: webcrypto.CryptoKeyPair;

  constructor(private readonly issuers: TrustedIssuer[]) {
    super();
    this.route('POST', '/api/v2/signingCert', (request) => this.signingCert(request.body.toString('utf8')));
    this.route('GET', '/api/v2/trustBundle', () => ({ status: 200, json: { chains: [{ certificates: this.chainPem() }] } }));
  }

  override async start(options: Parameters<StandIn['start']>[0] = {}): Promise<string> {
    const notBefore = new Date(Date.now() - 86_400_000);
    const notAfter = new Date(Date.now() + 365 * 86_400_000);
    const rootKeys = await webcrypto.subtle.generateKey(CA_ALGORITHM, true, ['sign', 'verify']);
    this.root = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomBytes(8).toString('hex'),
      name: 'O=sigstore.dev, CN=sigstore',
      notBefore,
      notAfter,
      keys: rootKeys,
      signingAlgorithm: CA_ALGORITHM,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        new x509.BasicConstraintsExtension(true, 1, true),
        await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
      ],
    });
    this.intermediateKeys = await webcrypto.subtle.generateKey(CA_ALGORITHM, true, ['sign', 'verify']);
    this.intermediate = await x509.X509CertificateGenerator.create({
      serialNumber: randomBytes(8).toString('hex'),
      subject: 'O=sigstore.dev, CN=sigstore-intermediate',
      issuer: this.root.subject,
      notBefore,
      notAfter,
      publicKey: this.intermediateKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: CA_ALGORITHM,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
        new x509.BasicConstraintsExtension(true, 0, true),
        await x509.SubjectKeyIdentifierExtension.create(this.intermediateKeys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
      ],
    });
    return super.start(options);
  }

  /** The CA chain above the leaves, intermediate first (DER), for a verifier's trusted root. */
  chainDer(): Buffer[] {
    return [this.intermediate, this.root].map((cert) => Buffer.from(this.required(cert).rawData));
  }

  private chainPem(): string[] {
    return [this.intermediate, this.root].map((cert) => `${this.required(cert).toString('pem')}\n`);
  }

  private required<T>(value: T | undefined): T {
    if (!value) throw new Error('FulcioStandIn: start() it first');
    return value;
  }

  private async signingCert(body: string): Promise<Reply> {
    const refuse = (message: string): Reply => ({
      status: INVALID_ARGUMENT.status,
      json: { code: INVALID_ARGUMENT.code, message, details: [] },
    });
    let request: {
      credentials?: { oidcIdentityToken?: string };
      publicKeyRequest?: { publicKey?: { content?: string }; proofOfPossession?: string };
    };
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      return refuse('unexpected end of JSON input');
    }
    const claims = this.verifiedClaims(request.credentials?.oidcIdentityToken ?? '');
    if (!claims) return refuse(INVALID_IDENTITY_TOKEN);

    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(request.publicKeyRequest?.publicKey?.content ?? '');
    } catch {
      return refuse(INVALID_PUBLIC_KEY);
    }
    const proof = Buffer.from(request.publicKeyRequest?.proofOfPossession ?? '', 'base64');
    if (!createVerify('SHA256').update(String(claims.sub)).verify(publicKey, proof)) return refuse(INVALID_SIGNATURE);

    const required = [
      'job_workflow_ref',
      'sha',
      'event_name',
      'repository',
      'workflow',
      'ref',
      'job_workflow_sha',
      'runner_environment',
      'repository_id',
      'repository_owner',
      'repository_owner_id',
      'repository_visibility',
      'workflow_ref',
      'workflow_sha',
      'run_id',
      'run_attempt',
    ];
    const missing = required.find((claim) => typeof claims[claim] !== 'string' || !claims[claim]);
    if (missing) return refuse(`missing ${missing} claim in ID token`);

    const leaf = await this.issue(publicKey, claims as Record<string, string>);
    this.issued.push(leaf);
    return { status: 201, json: { signedCertificateEmbeddedSct: { chain: { certificates: [leaf, ...this.chainPem()] } } } };
  }

  /** The token's claims when it is signed by a trusted issuer, for audience `sigstore`, unexpired. */
  private verifiedClaims(jwt: string): Record<string, unknown> | undefined {
    const [header, payload, signature] = jwt.split('.');
    if (!header || !payload || !signature) return undefined;
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const issuer = this.issuers.find((candidate) => candidate.issuer === claims.iss);
    if (!issuer) return undefined;
    const signed = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(issuer.publicKey, Buffer.from(signature, 'base64url'));
    const audiences = Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
    const fresh = typeof claims.exp === 'number' && claims.exp > Date.now() / 1000;
    return signed && audiences.includes('sigstore') && fresh ? claims : undefined;
  }

  private async issue(publicKey: KeyObject, claims: Record<string, string>): Promise<string> {
    const github = (path: string) => new URL(path, 'https://github.com/').toString();
    const key = await webcrypto.subtle.importKey('spki', publicKey.export({ format: 'der', type: 'spki' }), LEAF_KEY, true, ['verify']);
    const now = new Date();
    const raw = (oid: number, value: string) => new x509.Extension(`${FULCIO_OID}.${oid}`, false, Buffer.from(value));
    const utf8 = (oid: number, value: string) => new x509.Extension(`${FULCIO_OID}.${oid}`, false, derUtf8String(value));
    const intermediate = this.required(this.intermediate);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomBytes(20)
        .toString('hex')
        .replace(/^[89a-f]/, '1'),
      subject: '',
      issuer: intermediate.subject,
      notBefore: now,
      notAfter: new Date(now.getTime() + 10 * 60_000),
      publicKey: key,
      signingKey: this.required(this.intermediateKeys).privateKey,
      signingAlgorithm: CA_ALGORITHM,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
        await x509.SubjectKeyIdentifierExtension.create(key),
        await x509.AuthorityKeyIdentifierExtension.create(intermediate),
        new x509.SubjectAlternativeNameExtension([{ type: 'url', value: github(claims.job_workflow_ref as string) }], true),
        raw(1, GITHUB_ISSUER),
        raw(2, claims.event_name as string),
        raw(3, claims.sha as string),
        raw(4, claims.workflow as string),
        raw(5, claims.repository as string),
        raw(6, claims.ref as string),
        utf8(8, GITHUB_ISSUER),
        utf8(9, github(claims.job_workflow_ref as string)),
        utf8(10, claims.job_workflow_sha as string),
        utf8(11, claims.runner_environment as string),
        utf8(12, github(claims.repository as string)),
        utf8(13, claims.sha as string),
        utf8(14, claims.ref as string),
        utf8(15, claims.repository_id as string),
        utf8(16, github(claims.repository_owner as string)),
        utf8(17, claims.repository_owner_id as string),
        utf8(18, github(claims.workflow_ref as string)),
        utf8(19, claims.workflow_sha as string),
        utf8(20, claims.event_name as string),
        utf8(21, github(`${claims.repository}/actions/runs/${claims.run_id}/attempts/${claims.run_attempt}`)),
        utf8(22, claims.repository_visibility as string),
      ],
    });
    return `${cert.toString('pem')}\n`;
  }
}

/** A DER UTF8String (tag 12), as Fulcio renders its newer extensions. */
function derUtf8String(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const length = bytes.length < 0x80 ? Buffer.from([bytes.length]) : Buffer.from([0x81, bytes.length]);
  if (bytes.length > 0xff) throw new Error('derUtf8String: value too long for this stand-in');
  return Buffer.concat([Buffer.from([0x0c]), length, bytes]);
}
