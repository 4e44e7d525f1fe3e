// PEP 740 attestations made through the Fulcio and Rekor stand-ins with @sigstore/sign, in
// pypi-attestations' format, and verified as PyPI verifies them (signature, chain, log entry, the
// file's name and digest, PyPI's GitHub publisher policy).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '@conveyor/core';
import { publishStatement, signDistributions, type Attestation, type SigningOptions } from '../../actions/pypi-publish/src/attest';
import {
  fetchTrustedRoot,
  identityProblem,
  verifyAttestation,
  type TrustedRootJson,
} from '../../actions/pypi-publish/src/attestation-verify';
import { attestDistributions, type AttestationContext } from '../../actions/pypi-publish/src/attestations';
import { recordingLogger } from '../kit/logger';
import { githubClaims, GITHUB_ISSUER, OidcIssuerStandIn } from '../standins/pypi/oidc-issuer';
import { FulcioStandIn } from '../standins/sigstore/fulcio';
import { RekorStandIn } from '../standins/sigstore/rekor';

const REPOSITORY = 'views3/views3-client';
const WORKFLOW_REF = `${REPOSITORY}/.github/workflows/release.yml@refs/heads/main`;
const IDENTITY = { repository: REPOSITORY, workflowRef: WORKFLOW_REF };
const WHEEL = { fileName: 'views3_client-1.4.0-py3-none-any.whl', sha256: 'a'.repeat(64) };
const SDIST = { fileName: 'views3_client-1.4.0.tar.gz', sha256: 'b'.repeat(64) };

let issuer: OidcIssuerStandIn;
let fulcio: FulcioStandIn;
let rekor: RekorStandIn;
async function start(claims = githubClaims({ repository: REPOSITORY, workflowFile: 'release.yml', environment: 'pypi' })) {
  issuer = new OidcIssuerStandIn(claims);
  fulcio = new FulcioStandIn([{ issuer: GITHUB_ISSUER, publicKey: issuer.publicKey }]);
  rekor = new RekorStandIn();
  await Promise.all([issuer.start(), fulcio.start(), rekor.start()]);
}
afterEach(() => Promise.all([issuer.stop(), fulcio.stop(), rekor.stop()]));

function signing(retries = 0): SigningOptions {
  return {
    fulcioUrl: fulcio.url,
    rekorUrl: rekor.url,
    retries,
    timeoutMs: 10_000,
    signal: new AbortController().signal,
    getIdToken: async (audience) => {
      const response = await fetch(`${issuer.url}/idtoken?audience=${audience}`, {
        headers: { authorization: `Bearer ${issuer.requestToken}` },
      });
      return ((await response.json()) as { value: string }).value;
    },
  };
}

const trust = (): Promise<TrustedRootJson> =>
  fetchTrustedRoot({ fulcioUrl: fulcio.url, rekorUrl: rekor.url }, new HttpClient({ retries: 0 }));

describe('signing', () => {
  test("each file gets pypi-attestations' object; one OIDC token and one certificate for the set, one Rekor entry per file", async () => {
    await start();
    const made = await signDistributions([WHEEL, SDIST], signing());
    expect([...made.keys()]).toEqual([WHEEL.fileName, SDIST.fileName]);
    expect(issuer.issuedFor('sigstore')).toHaveLength(1);
    expect(fulcio.issued).toHaveLength(1);
    expect(rekor.entries).toHaveLength(2);

    const attestation = made.get(WHEEL.fileName) as Attestation;
    expect(Object.keys(attestation)).toEqual(['version', 'verification_material', 'envelope']);
    expect(attestation.version).toBe(1);
    expect(Object.keys(attestation.verification_material)).toEqual(['certificate', 'transparency_entries']);
    expect(Buffer.from(attestation.envelope.statement, 'base64').toString()).toBe(
      `{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"${WHEEL.fileName}","digest":{"sha256":"${WHEEL.sha256}"}}],"predicateType":"https://docs.pypi.org/attestations/publish/v1","predicate":null}`,
    );
    expect(publishStatement(WHEEL).toString('base64')).toBe(attestation.envelope.statement);
    // The fields (and their protobuf-JSON spelling: 64-bit integers as strings, bytes base64) of the
    // entries in pypi-attestations' test assets, e.g. pypi_attestations-0.0.19.tar.gz.publish.attestation.
    const [entry] = attestation.verification_material.transparency_entries as [Record<string, unknown>];
    expect(Object.keys(entry).sort()).toEqual(
      ['canonicalizedBody', 'inclusionPromise', 'inclusionProof', 'integratedTime', 'kindVersion', 'logId', 'logIndex'].sort(),
    );
    expect(entry.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
    expect(entry.logIndex).toBe(String(rekor.inactiveShardsSize + 5));
    expect(entry.logId).toEqual({ keyId: rekor.logId.toString('base64') });
    expect(Object.keys(entry.inclusionProof as object).sort()).toEqual(['checkpoint', 'hashes', 'logIndex', 'rootHash', 'treeSize']);
    expect(JSON.parse(Buffer.from(entry.canonicalizedBody as string, 'base64').toString())).toMatchObject({
      kind: 'dsse',
      apiVersion: '0.0.1',
    });
  });

  test('Fulcio failing beyond the retries, and Rekor answering 429, are named with what they said', async () => {
    await start();
    fulcio.failNext(2, 503, { match: { path: /signingCert/ }, body: { code: 14, message: 'upstream unavailable', details: [] } });
    await expect(signDistributions([WHEEL], signing(1))).rejects.toThrow(
      `Fulcio (${fulcio.url}) did not issue a signing certificate: (503) upstream unavailable`,
    );
    expect(fulcio.requests('POST').map((entry) => entry.outcome)).toEqual([503, 503]);

    rekor.failNext(1, 429, { retryAfter: 60, body: { code: 429, message: 'rate limit exceeded' } });
    await expect(signDistributions([WHEEL], signing(0))).rejects.toThrow(
      `Rekor (${rekor.url}) did not record the signature: (429) rate limit exceeded`,
    );
  });

  test('a Rekor reply lost after the entry was made is retried, answered 409, and the existing entry used', async () => {
    await start();
    rekor.dropNext(1, { match: { method: 'POST', path: /entries/ }, afterHandling: true });
    const made = await signDistributions([WHEEL], signing(2));
    expect(rekor.entries).toHaveLength(1);
    expect(rekor.requests().map((entry) => `${entry.method} ${entry.outcome}`)).toEqual(['POST dropped', 'POST 409', 'GET 200']);
    await expect(verifyAttestation(made.get(WHEEL.fileName) as Attestation, WHEEL, IDENTITY, await trust())).resolves.toBeUndefined();
  });
});

describe('verification', () => {
  let attestation: Attestation;
  let root: TrustedRootJson;
  const verify = (changed: Partial<Attestation['envelope']> = {}, file = WHEEL, identity = IDENTITY) =>
    verifyAttestation({ ...attestation, envelope: { ...attestation.envelope, ...changed } }, file, identity, root);

  test('an attestation made here verifies with the trust material the instance publishes', async () => {
    await start();
    attestation = (await signDistributions([WHEEL], signing())).get(WHEEL.fileName) as Attestation;
    root = await trust();
    await expect(verify()).resolves.toBeUndefined();

    await expect(verify({}, { ...WHEEL, sha256: 'c'.repeat(64) })).rejects.toThrow(
      `${WHEEL.fileName}: the attestation does not verify: the statement's SHA-256 is not the file's (${'c'.repeat(64)})`,
    );
    await expect(verify({}, { ...WHEEL, fileName: SDIST.fileName })).rejects.toThrow(
      `the statement names ${WHEEL.fileName}, not ${SDIST.fileName}`,
    );
    const otherStatement = publishStatement({ ...WHEEL, sha256: 'c'.repeat(64) }).toString('base64');
    await expect(verify({ statement: otherStatement })).rejects.toThrow(/does not verify: .*DSSE payload hash mismatch/);
    await expect(verify({ signature: Buffer.from('forged').toString('base64') })).rejects.toThrow(/does not verify: .*signature mismatch/);
    await expect(verify({}, WHEEL, { ...IDENTITY, repository: 'views3/other' })).rejects.toThrow(
      `the certificate's Source Repository URI is https://github.com/${REPOSITORY}, not this repository (https://github.com/views3/other)`,
    );
    await expect(
      verify({}, WHEEL, { ...IDENTITY, workflowRef: `${REPOSITORY}/.github/workflows/nightly.yml@refs/heads/main` }),
    ).rejects.toThrow(`the certificate's Build Config URI is https://github.com/${WORKFLOW_REF}, not this run's workflow`);
    // Trust material of another instance: the chain and the log entry no longer verify.
    const other = new FulcioStandIn([]);
    await other.start();
    const foreignRoot = await fetchTrustedRoot({ fulcioUrl: other.url, rekorUrl: rekor.url }, new HttpClient({ retries: 0 }));
    await other.stop();
    await expect(verifyAttestation(attestation, WHEEL, IDENTITY, foreignRoot)).rejects.toThrow(/does not verify: .*certificate/i);
  });

  test('in a reusable workflow the Build Config URI is the caller while PyPI matched the publisher on the callee: refused, explained', async () => {
    // The SAN and Build Signer URI name pypi.yml (job_workflow_ref); the Build Config URI names
    // release.yml (workflow_ref, GITHUB_WORKFLOW_REF): the run's own check passes, PyPI's does not.
    await start(
      githubClaims({
        repository: REPOSITORY,
        workflowFile: 'release.yml',
        environment: 'pypi',
        jobWorkflowRef: `${REPOSITORY}/.github/workflows/pypi.yml@refs/heads/main`,
      }),
    );
    attestation = (await signDistributions([WHEEL], signing())).get(WHEEL.fileName) as Attestation;
    root = await trust();
    await expect(verify()).rejects.toThrow(
      `${WHEEL.fileName}: the attestation does not verify: this job runs in the reusable workflow pypi.yml called from release.yml; ` +
        'PyPI matches the trusted publisher on pypi.yml but checks attestations against the calling workflow, so it would refuse them ' +
        `(Certificate's Build Config URI (https://github.com/${WORKFLOW_REF}) does not match expected Trusted Publisher (pypi.yml @ ${REPOSITORY})). ` +
        'Publish from a job of the top-level workflow to attest',
    );
  });
});

test("identityProblem follows PyPI's policy: the issuer, the repository, the Build Config URI at the certificate's digest or ref", () => {
  const claims = {
    issuer: GITHUB_ISSUER,
    sourceRepositoryUri: `https://github.com/${REPOSITORY}`,
    buildConfigUri: `https://github.com/${WORKFLOW_REF}`,
    buildSignerUri: `https://github.com/${WORKFLOW_REF}`,
    refs: ['0123456789abcdef0123456789abcdef01234567', 'refs/heads/main'],
  };
  expect(identityProblem(claims, IDENTITY)).toBeUndefined();
  expect(identityProblem({ ...claims, refs: ['refs/heads/main'] }, IDENTITY)).toBeUndefined();
  expect(identityProblem({ ...claims, issuer: 'https://accounts.google.com' }, IDENTITY)).toBe(
    `the certificate's issuer is https://accounts.google.com, not GitHub Actions (${GITHUB_ISSUER})`,
  );
  expect(identityProblem({ ...claims, refs: [] }, IDENTITY)).toBe(
    'Certificate must contain either Source Repository Digest or Source Repository Ref',
  );
  expect(identityProblem({ ...claims, refs: ['refs/tags/v1'] }, IDENTITY)).toBe(
    `PyPI would refuse it: Certificate's Build Config URI (https://github.com/${WORKFLOW_REF}) does not match expected Trusted Publisher (release.yml @ ${REPOSITORY})`,
  );
});

describe('attestDistributions', () => {
  function files() {
    const dir = mkdtempSync(join(tmpdir(), 'attest-'));
    return [WHEEL, SDIST].map((file) => {
      writeFileSync(join(dir, file.fileName), 'content');
      return { ...file, path: join(dir, file.fileName) };
    });
  }
  const context = (required: boolean, logger = recordingLogger()): AttestationContext => ({
    ...signing(),
    required,
    identity: IDENTITY,
    http: new HttpClient({ retries: 0 }),
    logger,
  });

  test('writes <file>.publish.attestation beside each file once all verify', async () => {
    await start();
    const dist = files();
    const attested = await attestDistributions(dist, context(true));
    expect([...(attested?.values() ?? [])].map((file) => file.path)).toEqual(dist.map((file) => `${file.path}.publish.attestation`));
    const written = JSON.parse(readFileSync(`${dist[0]?.path}.publish.attestation`, 'utf8')) as Attestation;
    expect(written).toEqual(attested?.get(WHEEL.fileName)?.attestation);
  });

  test('not required: a Sigstore failure is one warning naming it, and nothing is written', async () => {
    await start();
    const dist = files();
    const logger = recordingLogger();
    fulcio.failNext(1, 500, { match: { path: /signingCert/ } });
    expect(await attestDistributions(dist, context(false, logger))).toBeUndefined();
    expect(logger.warnings).toEqual([
      `Publishing without attestations: Fulcio (${fulcio.url}) did not issue a signing certificate: (500) stand-in fault 500`,
    ]);
    expect(dist.some((file) => existsSync(`${file.path}.publish.attestation`))).toBe(false);
  });

  test('required: a failure stops with the cause, and nothing is written', async () => {
    await start();
    const dist = files();
    rekor.failNext(1, 503, { match: { path: /publicKey/ } });
    await expect(attestDistributions(dist, context(true))).rejects.toThrow(
      /^Attestations could not be made \(attestations: true\), nothing was uploaded: could not read the Sigstore instance's trust material: GET .*publicKey failed: HTTP 503/,
    );
    expect(fulcio.requests('POST')).toHaveLength(0);
    expect(dist.some((file) => existsSync(`${file.path}.publish.attestation`))).toBe(false);
  });
});
