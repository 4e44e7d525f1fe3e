// Trusted publishing end to end: the runner's OIDC token service and the index's audience and
// mint-token endpoints are stand-ins; the bundle exchanges the job's token, masks what it mints, and
// explains a refusal with the claims that matter.
import { jest } from '@jest/globals';
import { OidcIssuerStandIn } from '../standins/pypi/oidc-issuer';
import { PyPIStandIn, type PyPIStandInOptions } from '../standins/pypi/server';
import { buildFixture } from './fixtures';
import { printed, publish, uploadRequests } from './helpers';

jest.setTimeout(180_000);

const REPOSITORY = 'views3/views3-setuptools-demo';
const RELEASE_WORKFLOW = `${REPOSITORY}/.github/workflows/release.yml@refs/heads/main`;
const CLAIMS = {
  repository: REPOSITORY,
  repository_owner: 'views3',
  workflow_ref: RELEASE_WORKFLOW,
  job_workflow_ref: RELEASE_WORKFLOW,
  ref: 'refs/heads/main',
  sha: '0123456789abcdef0123456789abcdef01234567',
  environment: 'pypi',
  event_name: 'push',
  sub: `repo:${REPOSITORY}:environment:pypi`,
};

describe('pypi-publish with trusted publishing', () => {
  let built: ReturnType<typeof buildFixture>;
  let index: PyPIStandIn;
  let issuer: OidcIssuerStandIn;
  beforeAll(() => {
    built = buildFixture('python-setuptools');
  });
  async function start(claims: Record<string, string | undefined>, options: PyPIStandInOptions = {}) {
    index = new PyPIStandIn({ publisher: { repository: REPOSITORY, workflow: 'release.yml', environment: 'pypi' }, ...options });
    issuer = new OidcIssuerStandIn(claims);
    await Promise.all([index.start(), issuer.start()]);
  }
  afterEach(() => Promise.all([index.stop(), issuer.stop()]));

  // Attestations (on by default under trusted publishing) have their own tests: attestations.e2e.test.ts.
  const publishTrusted = () => publish(index, { 'working-directory': built.dir, password: '', attestations: false }, { env: issuer.env() });

  test('no password: audience, OIDC token, exchange, upload; the minted token and the JWT are never printed', async () => {
    await start(CLAIMS);
    const result = await publishTrusted();
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(index.minted).toHaveLength(1);
    expect(issuer.issued).toHaveLength(1);
    expect(JSON.parse(result.outputs.uploaded as string)).toHaveLength(2);
    expect(index.stored).toHaveLength(2);
    const minted = index.minted[0] as string;
    expect(result.rawLog).toContain(`::add-mask::${minted}`);
    expect(printed(result)).not.toContain(minted);
    expect(printed(result)).not.toContain(Buffer.from(`__token__:${minted}`).toString('base64'));
    expect(printed(result)).not.toContain(issuer.issued[0] as string);
    expect(`${JSON.stringify(result.outputs)}${result.summary}`).not.toContain(minted);
    expect(result.summary).toContain('trusted publishing');
  });

  test('a reusable workflow from another repository gets invalid-publisher, explained with its claims', async () => {
    await start({ ...CLAIMS, job_workflow_ref: 'views3/shared-workflows/.github/workflows/pypi.yml@refs/heads/main' });
    const result = await publishTrusted();
    expect(result.exitCode).toBe(1);
    const error = result.errors.join('\n');
    expect(error).toMatch(/^Trusted publishing failed \(invalid-publisher: valid token, but no corresponding publisher/);
    expect(error).toContain('job_workflow_ref=views3/shared-workflows/.github/workflows/pypi.yml@refs/heads/main');
    expect(error).toContain(`workflow_ref=${RELEASE_WORKFLOW}`);
    expect(error).toMatch(/This job runs in a reusable workflow \(pypi\.yml called from release\.yml\)/);
    expect(uploadRequests(index)).toBe(0);
  });

  test('a job without the environment the publisher names is told the environment claim is missing', async () => {
    await start({ ...CLAIMS, environment: undefined });
    const result = await publishTrusted();
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(/environment=MISSING.*and no environment \(or give the job one\)/);
    expect(uploadRequests(index)).toBe(0);
  });

  test('a failed exchange (503) is retried with a fresh OIDC token, never re-sending a used one', async () => {
    await start(CLAIMS);
    index.failNext(1, 503, { match: { method: 'POST', path: /mint-token/ } });
    const result = await publishTrusted();
    expect(result.errors).toEqual([]);
    expect(issuer.issued).toHaveLength(2);
    const sent = index.requests('POST', /mint-token/).map((entry) => (JSON.parse(entry.body.toString()) as { token: string }).token);
    expect(sent).toEqual(issuer.issued);
    expect(index.stored).toHaveLength(2);
  });

  test("an index with only GitHub's older exchange route is used through that route", async () => {
    await start(CLAIMS, { trustedPublishing: 'github-route' });
    const result = await publishTrusted();
    expect(result.errors).toEqual([]);
    expect(index.requests('POST', /^\/_\/oidc\/mint-token/).map((entry) => entry.outcome)).toEqual([404]);
    expect(index.requests('POST', /^\/_\/oidc\/github\/mint-token/).map((entry) => entry.outcome)).toEqual([200]);
    expect(index.stored).toHaveLength(2);
  });

  test('an index with trusted publishing off, or without it, says to use an API token', async () => {
    await start(CLAIMS, { trustedPublishing: 'disabled' });
    const disabled = await publishTrusted();
    expect(disabled.errors[0]).toMatch(/has trusted publishing turned off; set the password input to an API token$/);
    await Promise.all([index.stop(), issuer.stop()]);

    await start(CLAIMS, { trustedPublishing: 'absent' });
    const absent = await publishTrusted();
    expect(absent.errors[0]).toMatch(/does not support trusted publishing; set the password input to an API token$/);
    expect(uploadRequests(index)).toBe(0);
  });
});
