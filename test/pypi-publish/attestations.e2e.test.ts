// PEP 740 attestations end to end: the committed bundle under Node 24 signs through the Fulcio and
// Rekor stand-ins with the runner's OIDC token (audience sigstore), verifies before uploading, and
// uploads each file with its attestation to the PyPI stand-in, which verifies it as Warehouse does.
import { jest } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../kit/runner';
import type { OidcIssuerStandIn } from '../standins/pypi/oidc-issuer';
import type { PyPIStandIn } from '../standins/pypi/server';
import { startTrustedPublishing, stopTrustedPublishing } from '../standins/pypi/trusted-publishing';
import type { FulcioStandIn } from '../standins/sigstore/fulcio';
import type { RekorStandIn } from '../standins/sigstore/rekor';
import { buildFixture } from './fixtures';
import { printed, publish, TOKEN, uploadRequests } from './helpers';

jest.setTimeout(180_000);

const REPOSITORY = 'views3/views3-setuptools-demo';
const WORKFLOW_REF = `${REPOSITORY}/.github/workflows/release.yml@refs/heads/main`;

describe('pypi-publish attestations', () => {
  let built: ReturnType<typeof buildFixture>;
  let issuer: OidcIssuerStandIn;
  let fulcio: FulcioStandIn;
  let rekor: RekorStandIn;
  let index: PyPIStandIn;
  beforeAll(() => {
    built = buildFixture('python-setuptools');
  });
  async function start(options: { jobWorkflow?: string } = {}) {
    ({ issuer, fulcio, rekor, index } = await startTrustedPublishing({
      repository: REPOSITORY,
      tokens: [TOKEN],
      workflow: options.jobWorkflow,
    }));
  }
  afterEach(async () => {
    await stopTrustedPublishing({ issuer, fulcio, rekor, index });
    for (const file of readdirSync(built.dist)) if (file.endsWith('.publish.attestation')) rmSync(join(built.dist, file));
  });

  const run = (inputs: Record<string, string | boolean | number> = {}, env: Record<string, string | undefined> = issuer.env()) =>
    publish(
      index,
      { 'working-directory': built.dir, password: '', 'fulcio-url': fulcio.url, 'rekor-url': rekor.url, retries: 1, ...inputs },
      { env: { ...env, GITHUB_WORKFLOW_REF: WORKFLOW_REF }, github: { repository: REPOSITORY } },
    );
  const attestationFiles = () => readdirSync(built.dist).filter((file) => file.endsWith('.publish.attestation'));
  const sigstoreWrites = () => fulcio.requests('POST').length + rekor.requests('POST').length;
  const provenance = async (fileName: string) => {
    const version = index.stored.find((file) => file.fileName === fileName)
      ? [...index.projects.values()][0]?.releases.keys().next().value
      : '';
    const response = await fetch(`${index.url}/integrity/views3-setuptools-demo/${version}/${fileName}/provenance`);
    return { status: response.status, body: (await response.json()) as { attestation_bundles?: Array<{ attestations: unknown[] }> } };
  };
  const expectNoSecrets = (result: RunResult) => {
    const shown = `${printed(result)}${JSON.stringify(result.outputs)}${result.summary}`;
    for (const jwt of issuer.issued) expect(shown).not.toContain(jwt);
    for (const minted of index.minted) expect(shown).not.toContain(minted);
    expect(shown).not.toContain('PRIVATE KEY');
  };

  test('trusted publishing: each file is signed, verified, written beside it and uploaded with its attestation', async () => {
    await start();
    const result = await run();
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.exitCode).toBe(0);
    // One Sigstore token and one certificate for the release, one Rekor entry per file.
    expect(issuer.issuedFor('sigstore')).toHaveLength(1);
    expect(fulcio.issued).toHaveLength(1);
    expect(rekor.entries).toHaveLength(2);
    expect(index.stored).toHaveLength(2);

    const written = JSON.parse(result.outputs.attestations as string) as string[];
    expect(written.map((path) => path.split('/').pop()).sort()).toEqual(
      index.stored.map((file) => `${file.fileName}.publish.attestation`).sort(),
    );
    for (const file of index.stored) {
      const onDisk = JSON.parse(readFileSync(join(built.dist, `${file.fileName}.publish.attestation`), 'utf8')) as unknown;
      const served = await provenance(file.fileName);
      expect(served.status).toBe(200);
      expect(served.body.attestation_bundles?.[0]?.attestations).toEqual([onDisk]);
    }
    // Both OIDC tokens are masked as soon as they exist, and nothing secret is shown.
    for (const jwt of issuer.issued) expect(result.rawLog).toContain(`::add-mask::${jwt}`);
    expectNoSecrets(result);
    for (const file of attestationFiles()) expect(readFileSync(join(built.dist, file), 'utf8')).not.toMatch(/PRIVATE KEY|pypi-/);
  });

  test('an API token upload is unchanged: no Sigstore request, no attestation', async () => {
    await start();
    const result = await run({ password: TOKEN });
    expect(result.errors).toEqual([]);
    expect(index.stored).toHaveLength(2);
    expect(fulcio.journal).toHaveLength(0);
    expect(rekor.journal).toHaveLength(0);
    expect(issuer.issued).toHaveLength(0);
    expect(JSON.parse(result.outputs.attestations as string)).toEqual([]);
    expect(attestationFiles()).toEqual([]);
    expect((await provenance(index.stored[0]?.fileName as string)).status).toBe(404);
  });

  test('attestations: true with a password, or without an OIDC token, is an input error before any request', async () => {
    await start();
    const withPassword = await run({ attestations: true, password: TOKEN });
    expect(withPassword.exitCode).toBe(1);
    expect(withPassword.errors).toEqual([
      "Input 'attestations': is true, but a password is given and PyPI accepts attestations only with trusted publishing. Remove the password (and register a trusted publisher), or set attestations: auto",
    ]);
    const withoutOidc = await run({ attestations: true, 'dry-run': true }, {});
    expect(withoutOidc.exitCode).toBe(1);
    expect(withoutOidc.errors).toEqual([
      "Input 'attestations': is true, but the job cannot request an OIDC token. Give the job 'permissions: id-token: write'",
    ]);
    for (const standIn of [index, fulcio, rekor, issuer]) expect(standIn.journal).toHaveLength(0);
  });

  test.each([
    ['Fulcio', '503 beyond the retries', () => fulcio.failNext(5, 503, { match: { path: /signingCert/ } }), '(503) stand-in fault 503'],
    [
      'Rekor',
      '429 with Retry-After',
      () => rekor.failNext(5, 429, { retryAfter: 30, match: { method: 'POST' } }),
      '(429) stand-in fault 429',
    ],
  ])('auto: %s failing (%s) is one warning and the files go out without attestations', async (service, _how, fail, said) => {
    await start();
    fail();
    const result = await run();
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const url = service === 'Fulcio' ? fulcio.url : rekor.url;
    const verb = service === 'Fulcio' ? 'did not issue a signing certificate' : 'did not record the signature';
    expect(result.warnings).toEqual([`Publishing without attestations: ${service} (${url}) ${verb}: ${said}`]);
    expect(index.stored).toHaveLength(2);
    expect(JSON.parse(result.outputs.attestations as string)).toEqual([]);
    expect(attestationFiles()).toEqual([]);
    expect((await provenance(index.stored[0]?.fileName as string)).status).toBe(404);
  });

  test.each([
    ['Fulcio', '429 with Retry-After', () => fulcio.failNext(5, 429, { retryAfter: 30, match: { path: /signingCert/ } })],
    ['Rekor', '503 beyond the retries', () => rekor.failNext(5, 503, { match: { method: 'POST' } })],
  ])('true: %s failing (%s) stops the step before the first upload', async (service, _how, fail) => {
    await start();
    fail();
    const result = await run({ attestations: true });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      new RegExp(`^Attestations could not be made \\(attestations: true\\), nothing was uploaded: ${service} \\(`),
    );
    expect(uploadRequests(index)).toBe(0);
    expect(attestationFiles()).toEqual([]);
    expectNoSecrets(result);
  });

  test('a re-run with skip-existing: every file is skipped, nothing is signed again', async () => {
    await start();
    expect((await run()).exitCode).toBe(0);
    const writes = sigstoreWrites();
    const again = await run({ 'skip-existing': true });
    expect(again.errors).toEqual([]);
    expect(JSON.parse(again.outputs.skipped as string)).toHaveLength(2);
    expect(JSON.parse(again.outputs.attestations as string)).toEqual([]);
    expect(sigstoreWrites()).toBe(writes);
    expect(index.stored).toHaveLength(2);
  });

  test('a reusable workflow: PyPI would refuse the attestations, so auto warns and publishes without, true stops', async () => {
    await start({ jobWorkflow: 'pypi.yml' });
    const auto = await run();
    expect(auto.exitCode).toBe(0);
    expect(auto.warnings).toHaveLength(1);
    expect(auto.warnings[0]).toMatch(
      /^Publishing without attestations: .*this job runs in the reusable workflow pypi\.yml called from release\.yml/,
    );
    expect(index.stored).toHaveLength(2);
    expect(existsSync(join(built.dist, `${index.stored[0]?.fileName}.publish.attestation`))).toBe(false);

    // Fresh services (nothing uploaded yet), attestations required: stopped before the first upload.
    await stopTrustedPublishing({ issuer, fulcio, rekor, index });
    await start({ jobWorkflow: 'pypi.yml' });
    const stopped = await run({ attestations: true });
    expect(stopped.exitCode).toBe(1);
    expect(stopped.errors[0]).toMatch(
      /^Attestations could not be made \(attestations: true\), nothing was uploaded: .*reusable workflow pypi\.yml/,
    );
    expect(uploadRequests(index)).toBe(0);
  });
});
