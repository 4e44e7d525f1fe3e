import { decodeClaims, explainMintFailure } from '../../actions/pypi-publish/src/trusted-publishing';

const jwt = (claims: object) =>
  `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const CLAIMS = {
  repository: 'views3/app',
  workflow_ref: 'views3/app/.github/workflows/release.yml@refs/tags/v1',
  job_workflow_ref: 'views3/app/.github/workflows/release.yml@refs/tags/v1',
  ref: 'refs/tags/v1',
  environment: 'pypi',
};
const invalidPublisher = {
  message: 'Token request failed',
  errors: [{ code: 'invalid-publisher', description: 'valid token, but no corresponding publisher' }],
};

describe('trusted publishing', () => {
  test('claims are read from the JWT payload; anything unreadable is {}', () => {
    expect(decodeClaims(jwt(CLAIMS))).toEqual(CLAIMS);
    expect(decodeClaims('not-a-jwt')).toEqual({});
    expect(decodeClaims(`a.${Buffer.from('"text"').toString('base64url')}.c`)).toEqual({});
  });

  test('invalid-publisher names the claims and what the publisher must say', () => {
    expect(explainMintFailure(invalidPublisher, CLAIMS)).toBe(
      'Trusted publishing failed (invalid-publisher: valid token, but no corresponding publisher). Token claims: repository=views3/app, ' +
        'workflow_ref=views3/app/.github/workflows/release.yml@refs/tags/v1, job_workflow_ref=views3/app/.github/workflows/release.yml@refs/tags/v1, ' +
        'ref=refs/tags/v1, environment=pypi. The trusted publisher on the index must name repository views3/app, workflow release.yml and environment pypi.',
    );
  });

  test('a reusable workflow gets the pitfall explained; a missing environment is shown as MISSING', () => {
    const text = explainMintFailure(invalidPublisher, {
      ...CLAIMS,
      environment: undefined,
      job_workflow_ref: 'views3/shared/.github/workflows/pypi.yml@refs/heads/main',
    });
    expect(text).toContain('environment=MISSING');
    expect(text).toContain('workflow pypi.yml and no environment (or give the job one)');
    expect(text).toContain('This job runs in a reusable workflow (pypi.yml called from release.yml)');
  });

  test('other codes are listed; not-enabled says to use a token; an empty reply still explains', () => {
    expect(
      explainMintFailure({ errors: [{ code: 'not-enabled', description: 'GitHub trusted publishing functionality not enabled' }] }, {}),
    ).toMatch(
      /^Trusted publishing failed \(not-enabled: GitHub trusted publishing functionality not enabled\)\. Token claims: repository=MISSING.* Trusted publishing is turned off on this index; set the password input to an API token\.$/,
    );
    expect(explainMintFailure({}, CLAIMS)).toMatch(/^Trusted publishing failed \(unknown: no reason given\)/);
    expect(
      explainMintFailure(
        {
          errors: [
            { code: 'invalid-token', description: 'malformed or invalid token' },
            { code: 'invalid-reuse-token', description: 'invalid token: already used' },
          ],
        },
        CLAIMS,
      ),
    ).toMatch(/^Trusted publishing failed \(invalid-token: malformed or invalid token; invalid-reuse-token: invalid token: already used\)/);
  });
});
