// The PyPI stand-in's `attestations` upload field, as Warehouse handles it: accepted and served by the
// Integrity API when it verifies for the upload's trusted publisher; refused with 400 and Warehouse's
// message (in the status line, as every upload refusal) for a wrong digest, a wrong identity, a bad
// signature, an API-token upload or an empty set. The attestations are made with @sigstore/sign
// through the Sigstore stand-ins; the stand-in verifies them with @sigstore/verify.
import { signDistributions, type Attestation } from '../../../actions/pypi-publish/src/attest';
import type { OidcIssuerStandIn } from './oidc-issuer';
import type { PyPIStandIn } from './server';
import { startTrustedPublishing, stopTrustedPublishing } from './trusted-publishing';
import type { FulcioStandIn } from '../sigstore/fulcio';
import type { RekorStandIn } from '../sigstore/rekor';
import { createHash } from 'node:crypto';

const REPOSITORY = 'views3/views3-client';
const API_TOKEN = 'pypi-api-token-for-the-stand-in';
const WHEEL = 'views3_client-1.4.0-py3-none-any.whl';
const CONTENT = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('a wheel, as far as the stand-in looks')]);
const SHA256 = createHash('sha256').update(CONTENT).digest('hex');

let issuer: OidcIssuerStandIn;
let fulcio: FulcioStandIn;
let rekor: RekorStandIn;
let index: PyPIStandIn;
async function start(workflow?: string) {
  ({ issuer, fulcio, rekor, index } = await startTrustedPublishing({ repository: REPOSITORY, tokens: [API_TOKEN], workflow }));
}
afterEach(() => stopTrustedPublishing({ issuer, fulcio, rekor, index }));

async function oidcToken(audience: string): Promise<string> {
  const response = await fetch(`${issuer.url}/idtoken?audience=${audience}`, {
    headers: { authorization: `Bearer ${issuer.requestToken}` },
  });
  return ((await response.json()) as { value: string }).value;
}

async function mint(): Promise<string> {
  const response = await fetch(`${index.url}/_/oidc/mint-token`, {
    method: 'POST',
    body: JSON.stringify({ token: await oidcToken('pypi') }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function attest(sha256 = SHA256): Promise<Attestation> {
  const made = await signDistributions([{ fileName: WHEEL, sha256 }], {
    fulcioUrl: fulcio.url,
    rekorUrl: rekor.url,
    retries: 0,
    timeoutMs: 10_000,
    signal: new AbortController().signal,
    getIdToken: oidcToken,
  });
  return made.get(WHEEL) as Attestation;
}

/** A legacy-API upload of the wheel with `attestations` (as twine ≥ 5.1 sends it: a JSON array). */
async function upload(token: string, attestations: unknown[]): Promise<{ status: number; reason: string }> {
  const form = new FormData();
  const fields: Record<string, string> = {
    ':action': 'file_upload',
    protocol_version: '1',
    metadata_version: '2.1',
    name: 'views3-client',
    version: '1.4.0',
    filetype: 'bdist_wheel',
    pyversion: 'py3',
    sha256_digest: SHA256,
    attestations: JSON.stringify(attestations),
  };
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('content', new Blob([CONTENT]), WHEEL);
  const { request } = await import('node:http');
  // fetch hides the reason phrase, where Warehouse puts its message: read it with node:http.
  const body = new Response(form);
  const bytes = Buffer.from(await body.arrayBuffer());
  return new Promise((resolve, reject) => {
    const outgoing = request(`${index.url}/legacy/`, {
      method: 'POST',
      headers: {
        'content-type': body.headers.get('content-type') ?? '',
        'content-length': String(bytes.length),
        authorization: `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`,
      },
    });
    outgoing.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, reason: response.statusMessage ?? '' });
    });
    outgoing.on('error', reject);
    outgoing.end(bytes);
  });
}

const PREFIX = 'Invalid attestations supplied during upload: ';

test('an attestation that verifies for the trusted publisher is stored, and served by the Integrity API', async () => {
  await start();
  const attestation = await attest();
  expect(await upload(await mint(), [attestation])).toEqual({ status: 200, reason: 'OK' });
  const response = await fetch(`${index.url}/integrity/views3-client/1.4.0/${WHEEL}/provenance`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    version: 1,
    attestation_bundles: [
      { publisher: { kind: 'GitHub', repository: REPOSITORY, workflow: 'release.yml', environment: 'pypi' }, attestations: [attestation] },
    ],
  });
});

test("a wrong digest, a bad signature, an empty set: 400 with Warehouse's messages, nothing stored", async () => {
  await start();
  const token = await mint();
  expect(await upload(token, [await attest('0'.repeat(64))])).toEqual({
    status: 400,
    reason: `${PREFIX}Could not verify the uploaded artifact using the included attestation: Verification failed: subject does not match distribution digest`,
  });
  const forged = { ...(await attest()), envelope: { ...(await attest()).envelope, signature: Buffer.from('forged').toString('base64') } };
  const refused = await upload(token, [forged]);
  expect(refused.status).toBe(400);
  expect(refused.reason).toMatch(
    /^Invalid attestations supplied during upload: Could not verify .*: Verification failed: .*signature mismatch/,
  );
  expect(await upload(token, [])).toEqual({
    status: 400,
    reason: `${PREFIX}Malformed attestations: an empty attestation set is not permitted`,
  });
  expect(index.stored).toHaveLength(0);
  const provenance = await fetch(`${index.url}/integrity/views3-client/1.4.0/${WHEEL}/provenance`);
  expect(provenance.status).toBe(404);
});

test('attestations on an API-token upload are refused: PyPI accepts them only with trusted publishing', async () => {
  await start();
  expect(await upload(API_TOKEN, [await attest()])).toEqual({
    status: 400,
    reason: `${PREFIX}Attestations are only supported when using Trusted Publishing`,
  });
  expect(await upload(API_TOKEN, [])).toEqual({
    status: 400,
    reason: `${PREFIX}Attestations are only supported when using Trusted Publishing`,
  });
});

test('a reusable workflow: the token matched pypi.yml, the certificate names release.yml as Build Config: refused', async () => {
  await start('pypi.yml');
  expect(await upload(await mint(), [await attest()])).toEqual({
    status: 400,
    reason:
      `${PREFIX}Could not verify the uploaded artifact using the included attestation: Verification failed: ` +
      `Certificate's Build Config URI (https://github.com/${REPOSITORY}/.github/workflows/release.yml@refs/heads/main) does not match expected Trusted Publisher (pypi.yml @ ${REPOSITORY})`,
  });
});
