// The Fulcio and Rekor stand-ins checked against Sigstore's own JavaScript client: @sigstore/sign
// signs a DSSE envelope through them, @sigstore/verify verifies the bundle with their trust material
// (and rejects what does not verify), and their refusals are the services' own.
import { DSSEBundleBuilder, FulcioSigner, RekorWitness } from '@sigstore/sign';
import { bundleToJSON, bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { dsse, X509Certificate } from '@sigstore/core';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { githubClaims, OidcIssuerStandIn, GITHUB_ISSUER } from '../pypi/oidc-issuer';
import { FulcioStandIn } from './fulcio';
import { RekorStandIn } from './rekor';
import { trustedRoot } from './trust';

const CLAIMS = githubClaims({ repository: 'views3/views3-client', workflowFile: 'release.yml', environment: 'pypi' });
const STATEMENT = Buffer.from(
  JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: 'x', predicate: null }),
);

let issuer: OidcIssuerStandIn;
let fulcio: FulcioStandIn;
let rekor: RekorStandIn;
beforeEach(async () => {
  issuer = new OidcIssuerStandIn(CLAIMS);
  fulcio = new FulcioStandIn([{ issuer: GITHUB_ISSUER, publicKey: issuer.publicKey }]);
  rekor = new RekorStandIn();
  await Promise.all([issuer.start(), fulcio.start(), rekor.start()]);
});
afterEach(() => Promise.all([issuer.stop(), fulcio.stop(), rekor.stop()]));

const tokenFor = (audience: string, claims = CLAIMS) => {
  const now = Math.floor(Date.now() / 1000);
  return issuer.sign({ ...claims, iss: GITHUB_ISSUER, aud: audience, iat: now, exp: now + 300 });
};

function builder(token = () => tokenFor('sigstore')): DSSEBundleBuilder {
  return new DSSEBundleBuilder({
    signer: new FulcioSigner({ fulcioBaseURL: fulcio.url, identityProvider: { getToken: () => Promise.resolve(token()) }, retry: 0 }),
    witnesses: [new RekorWitness({ rekorBaseURL: rekor.url, entryType: 'dsse', retry: 0 })],
  });
}

function verifier(): Verifier {
  return new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot(fulcio, rekor))), { ctlogThreshold: 0 });
}

const sign_ = (data = STATEMENT) => builder().create({ data, type: 'application/vnd.in-toto+json' });

test('@sigstore/sign signs through the stand-ins and @sigstore/verify accepts the bundle with their trust material', async () => {
  const bundle = await sign_();
  const signer = verifier().verify(toSignedEntity(bundle), {
    subjectAlternativeName: `https://github.com/${CLAIMS.job_workflow_ref}`,
    extensions: { issuer: GITHUB_ISSUER },
  });
  expect(signer.identity?.subjectAlternativeName).toBe(`https://github.com/${CLAIMS.job_workflow_ref}`);
  expect(fulcio.requests('POST', /signingCert/).map((entry) => entry.outcome)).toEqual([201]);
  expect(rekor.requests('POST', /entries/).map((entry) => entry.outcome)).toEqual([201]);

  const entry = bundle.verificationMaterial.tlogEntries[0];
  expect(entry?.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
  // The global index is past the inactive shards; the proof's index is the leaf's in the active tree.
  expect(Number(entry?.logIndex)).toBe(rekor.inactiveShardsSize + Number(entry?.inclusionProof?.logIndex));
  expect(entry?.inclusionProof?.checkpoint?.envelope).toMatch(
    new RegExp(`^${rekor.host} - ${rekor.treeId}\\n\\d+\\n[A-Za-z0-9+/=]+\\n\\n\u2014 ${rekor.host} [A-Za-z0-9+/=]+\\n$`),
  );
});

test('the certificate carries the GitHub workflow identity as Fulcio renders it', async () => {
  const bundle = await sign_();
  const material = bundle.verificationMaterial.content;
  if (material.$case !== 'certificate') throw new Error(`unexpected ${material.$case}`);
  const cert = X509Certificate.parse(Buffer.from(material.certificate.rawBytes));
  const text = (oid: string) => cert.extension(`1.3.6.1.4.1.57264.1.${oid}`)?.value.toString('latin1');
  expect(cert.subjectAltName).toBe(`https://github.com/${CLAIMS.job_workflow_ref}`);
  expect(text('1')).toBe(GITHUB_ISSUER);
  expect(text('8')).toBe(`\x0c${String.fromCharCode(GITHUB_ISSUER.length)}${GITHUB_ISSUER}`);
  expect(text('12')).toContain('https://github.com/views3/views3-client');
  expect(text('18')).toContain(`https://github.com/${CLAIMS.workflow_ref}`);
  expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBe(10 * 60_000);
});

test('inclusion proofs stay valid as the log grows (several entries, each proof against its own tree head)', async () => {
  const bundles: Bundle[] = [];
  for (let i = 0; i < 5; i++) bundles.push(await sign_(Buffer.from(`${STATEMENT.toString()} ${i}`)));
  for (const bundle of bundles) expect(() => verifier().verify(toSignedEntity(bundle))).not.toThrow();
  expect(bundles.map((bundle) => bundle.verificationMaterial.tlogEntries[0]?.inclusionProof?.treeSize)).toEqual(['6', '7', '8', '9', '10']);
});

test('@sigstore/verify rejects a bundle whose payload, signature or log entry was changed', async () => {
  const json = bundleToJSON(await sign_()) as unknown as {
    dsseEnvelope: { payload: string; signatures: Array<{ sig: string }> };
    verificationMaterial: { tlogEntries: Array<{ integratedTime: string }> };
  };
  const tampered = (change: (copy: typeof json) => void) => {
    const copy = structuredClone(json);
    change(copy);
    return toSignedEntity(bundleFromJSON(copy));
  };
  expect(() => verifier().verify(tampered((copy) => (copy.dsseEnvelope.payload = Buffer.from('{}').toString('base64'))))).toThrow(
    /DSSE payload hash mismatch/,
  );
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  expect(() =>
    verifier().verify(tampered((copy) => (copy.dsseEnvelope.signatures[0]!.sig = sign('sha256', STATEMENT, other).toString('base64')))),
  ).toThrow(/signature mismatch/);
  expect(() =>
    verifier().verify(
      tampered((copy) => (copy.verificationMaterial.tlogEntries[0]!.integratedTime = String(Math.floor(Date.now() / 1000) + 1))),
    ),
  ).toThrow(/inclusion promise could not be verified/);
});

test("Fulcio refuses a token for another audience, an unsigned token and missing claims with Fulcio's messages", async () => {
  await expect(builder(() => tokenFor('pypi')).create({ data: STATEMENT, type: 'x' })).rejects.toMatchObject({
    code: 'CA_CREATE_SIGNING_CERTIFICATE_ERROR',
    cause: { statusCode: 400, message: '(400) There was an error processing the identity token' },
  });
  const forged = `${tokenFor('sigstore').split('.').slice(0, 2).join('.')}.${Buffer.from('forged').toString('base64url')}`;
  await expect(builder(() => forged).create({ data: STATEMENT, type: 'x' })).rejects.toMatchObject({
    cause: { message: '(400) There was an error processing the identity token' },
  });
  await expect(
    builder(() => tokenFor('sigstore', { ...CLAIMS, job_workflow_sha: undefined })).create({ data: STATEMENT, type: 'x' }),
  ).rejects.toMatchObject({
    cause: { message: '(400) missing job_workflow_sha claim in ID token' },
  });
  expect(fulcio.issued).toHaveLength(0);
  expect(rekor.entries).toHaveLength(0);
});

test('Rekor answers 409 with the Location of an entry it has, and refuses an envelope its verifier did not sign', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const payloadType = 'application/vnd.in-toto+json';
  const envelope = JSON.stringify({
    payloadType,
    payload: STATEMENT.toString('base64'),
    signatures: [{ keyid: '', sig: sign('sha256', dsse.preAuthEncoding(payloadType, STATEMENT), privateKey).toString('base64') }],
  });
  const propose = (verifier: KeyObject) =>
    fetch(`${rekor.url}/api/v1/log/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          proposedContent: { envelope, verifiers: [Buffer.from(verifier.export({ format: 'pem', type: 'spki' })).toString('base64')] },
        },
      }),
    });
  const created = await propose(publicKey);
  expect(created.status).toBe(201);
  const again = await propose(publicKey);
  expect(again.status).toBe(409);
  const location = again.headers.get('location') ?? '';
  expect(location).toBe(created.headers.get('location'));
  const id = location.split('/').pop() as string;
  expect(((await again.json()) as { message: string }).message).toBe(
    `An equivalent entry already exists in the transparency log with UUID ${id}`,
  );
  expect(Object.keys((await (await fetch(`${rekor.url}${location}`)).json()) as object)).toEqual([id]);

  const refused = await propose(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { message: string }).message).toMatch(/could not verify envelope/);
  expect(rekor.entries).toHaveLength(1);
});
