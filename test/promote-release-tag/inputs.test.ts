import { jest } from '@jest/globals';
import { checkActor, getInputs } from '../../actions/promote-release-tag/src/inputs';
import { DEFAULT_CONTEXT } from '../kit/runner';
import { withInputs } from '../kit/inputs';

const RUNNER = {
  GITHUB_WORKSPACE: '/home/runner/work/neco',
  GITHUB_SERVER_URL: 'https://github.example.com',
  GITHUB_RUN_ID: '77',
  GITHUB_ACTOR: 'alice',
};

/** Reads the inputs as the step would see them: action.yml defaults plus `with:`, and the runner's variables. */
function read(inputs: Record<string, string>, env: Record<string, string | undefined> = {}) {
  return withInputs('actions/promote-release-tag', inputs, () => getInputs({ ...RUNNER, ...env }));
}

describe('inputs', () => {
  test('candidate mode with defaults', () => {
    expect(read({ mode: 'candidate' })).toEqual({
      mode: 'candidate',
      token: DEFAULT_CONTEXT.token,
      owner: 'octo-org',
      repo: 'octo-repo',
      config: { scheme: 'date-id', candidatePrefix: 'test-', releasePrefix: 'release-' },
      sha: DEFAULT_CONTEXT.sha,
      id: undefined,
      version: undefined,
      sourceTag: '',
      tag: '',
      requireChecks: true,
      files: [],
      generateNotes: true,
      allowedActors: [],
      dryRun: false,
      workspace: '/home/runner/work/neco',
      serverUrl: 'https://github.example.com',
      runId: '77',
    });
  });

  test('the token is registered with the masker as soon as it is read, even when a later input is bad', () => {
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let written: string;
    try {
      expect(() => read({ mode: 'candidate', token: 'ghs_secretValue123', scheme: 'calver' })).toThrow("Input 'scheme'");
    } finally {
      written = stdout.mock.calls.map(([chunk]) => String(chunk)).join('');
      stdout.mockRestore();
    }
    expect(written).toContain('::add-mask::ghs_secretValue123');
  });

  test("the actor check reads the runner's actors", () => {
    const allowed = { mode: 'candidate', 'allowed-actors': 'alice' };
    expect(read(allowed, { GITHUB_ACTOR: 'Alice' }).allowedActors).toEqual(['alice']);
    expect(() => read(allowed, { GITHUB_ACTOR: 'alice', GITHUB_TRIGGERING_ACTOR: 'mallory' })).toThrow(
      "Input 'allowed-actors': mallory may not run this step. Ask one of alice to run it",
    );
    expect(() => read(allowed, { GITHUB_ACTOR: undefined })).toThrow('the runner did not say who started the run');
  });

  test('promote mode: lists, booleans and a source tag', () => {
    const inputs = read({
      mode: 'Promote',
      'source-tag': 'test-2026.11.21-abc1234',
      files: 'out/*.deb\nSHA256SUMS',
      'allowed-actors': 'alice, bob',
      'require-checks': 'false',
      'dry-run': 'true',
    });
    expect(inputs).toMatchObject({
      mode: 'promote',
      sourceTag: 'test-2026.11.21-abc1234',
      files: ['out/*.deb', 'SHA256SUMS'],
      allowedActors: ['alice', 'bob'],
      requireChecks: false,
      dryRun: true,
    });
    expect(read({ mode: 'promote', 'source-tag': 'latest' }).sourceTag).toBe('latest');
  });

  test('semver needs no prefixes: plain 1.0.3-rc.1 → 1.0.3 by default', () => {
    const inputs = read({ mode: 'candidate', scheme: 'semver', version: '1.0.3' });
    expect(inputs.config).toEqual({ scheme: 'semver', candidatePrefix: '', releasePrefix: '' });
    expect(inputs.version).toBe('1.0.3');
    expect(read({ mode: 'publish', scheme: 'semver', tag: '1.0.3' }).tag).toBe('1.0.3');
    // Empty inputs are what the runner passes for unset ones: the same as leaving them out.
    expect(read({ mode: 'candidate', scheme: 'semver', 'candidate-prefix': '', 'release-prefix': '' }).config).toEqual(inputs.config);
    // Without a version, the candidate continues from the existing tags.
    expect(read({ mode: 'candidate', scheme: 'semver' }).version).toBeUndefined();
  });

  test('semver with v for both prefixes: v1.0.3-rc.1 → v1.0.3', () => {
    const v = { scheme: 'semver', 'candidate-prefix': 'v', 'release-prefix': 'v' };
    expect(read({ ...v, mode: 'promote', 'source-tag': 'v1.0.3-rc.1' }).config).toEqual({
      scheme: 'semver',
      candidatePrefix: 'v',
      releasePrefix: 'v',
    });
    expect(read({ ...v, mode: 'publish', tag: 'v1.0.3' }).tag).toBe('v1.0.3');
    expect(() => read({ ...v, mode: 'publish', tag: '1.0.3' })).toThrow(
      "Input 'tag': '1.0.3' is not a release tag of the semver scheme. Give a tag like vX.Y.Z",
    );
  });

  test('date-id keeps test- and release- unless given others', () => {
    expect(read({ mode: 'candidate' }).config).toEqual({ scheme: 'date-id', candidatePrefix: 'test-', releasePrefix: 'release-' });
    expect(read({ mode: 'candidate', 'candidate-prefix': '', 'release-prefix': '' }).config).toEqual({
      scheme: 'date-id',
      candidatePrefix: 'test-',
      releasePrefix: 'release-',
    });
    expect(read({ mode: 'candidate', 'candidate-prefix': 'rc/', 'release-prefix': 'v' }).config).toEqual({
      scheme: 'date-id',
      candidatePrefix: 'rc/',
      releasePrefix: 'v',
    });
  });

  test.each([
    [{ mode: '' }, "Input 'mode': '' is not allowed. Use one of: candidate, promote, publish"],
    [{ mode: 'release' }, "Input 'mode': 'release' is not allowed"],
    [{ mode: 'candidate', token: '' }, "Input 'token': is required"],
    [
      { mode: 'candidate', repository: 'not a repo' },
      "Input 'repository': 'not a repo' is not a repository name. Use the form 'owner/name'",
    ],
    [{ mode: 'candidate', scheme: 'calver' }, "Input 'scheme': 'calver' is not allowed. Use one of: date-id, semver"],
    [{ mode: 'candidate', 'candidate-prefix': 'te st-' }, "Input 'candidate-prefix': 'te st-' may only contain"],
    [{ mode: 'candidate', 'release-prefix': '..' }, "Input 'release-prefix': '..' cannot start a git tag name"],
    [
      { mode: 'candidate', 'release-prefix': 'test-' },
      "Input 'release-prefix': with the date-id scheme, candidate and release tags would have the same name",
    ],
    [{ mode: 'candidate', sha: 'main' }, "Input 'sha': 'main' is not a commit sha. Give 7 to 40 hexadecimal digits"],
    [{ mode: 'candidate', sha: '' }, "Input 'sha': '' is not a commit sha"],
    [{ mode: 'candidate', id: 'a b' }, "Input 'id': 'a b' is not a valid ID"],
    [{ mode: 'candidate', id: 'x', scheme: 'semver', version: '1.0.0' }, "Input 'id': applies to the date-id scheme only"],
    [{ mode: 'candidate', version: '1.0.0' }, "Input 'version': applies to the semver scheme only"],
    [{ mode: 'candidate', scheme: 'semver', version: 'v1.0' }, "Input 'version': 'v1.0' is not a version. Give X.Y.Z, e.g. 1.0.3"],
    [{ mode: 'promote' }, "Input 'source-tag': is required in promote mode. Give a tag like test-YYYY.MM.DD-ID, or latest"],
    [
      { mode: 'promote', 'source-tag': 'test-2026.13.01-x' },
      "Input 'source-tag': 'test-2026.13.01-x' is not a candidate tag of the date-id scheme",
    ],
    [{ mode: 'promote', 'source-tag': 'release-2026.11.21-x' }, "Input 'source-tag': 'release-2026.11.21-x' is not a candidate tag"],
    [
      { mode: 'promote', 'source-tag': 'test-2026.11.21-x; rm -rf /' },
      "Input 'source-tag': 'test-2026.11.21-x; rm -rf /' is not a candidate tag",
    ],
    [
      { mode: 'promote', scheme: 'semver', 'source-tag': '1.0.3' },
      "Input 'source-tag': '1.0.3' is not a candidate tag of the semver scheme. Give a tag like X.Y.Z-rc.N, or latest",
    ],
    [{ mode: 'publish' }, "Input 'tag': is required in publish mode. Give a tag like release-YYYY.MM.DD-ID"],
    [{ mode: 'publish', tag: 'test-2026.11.21-x' }, "Input 'tag': 'test-2026.11.21-x' is not a release tag of the date-id scheme"],
    [{ mode: 'promote', 'source-tag': 'latest', 'dry-run': 'yes' }, "Input 'dry-run': 'yes' is not a boolean. Use true or false"],
    [{ mode: 'promote', 'source-tag': 'latest', 'require-checks': '0' }, "Input 'require-checks': '0' is not a boolean"],
  ])('rejects %j', (inputs, message) => {
    expect(() => read(inputs)).toThrow(message);
  });
});

describe('allowed actors', () => {
  test('unset lets anyone run', () => {
    expect(() => checkActor([], ['mallory'])).not.toThrow();
  });

  test('listed actors may run, in any letter case', () => {
    expect(() => checkActor(['Alice', 'bob'], ['alice'])).not.toThrow();
    expect(() => checkActor(['alice'], ['alice', 'alice'])).not.toThrow();
  });

  test('anyone else is refused, including someone re-running an allowed actor’s run', () => {
    expect(() => checkActor(['alice'], ['mallory'])).toThrow(
      "Input 'allowed-actors': mallory may not run this step. Ask one of alice to run it",
    );
    expect(() => checkActor(['alice'], ['alice', 'mallory'])).toThrow('mallory may not run this step');
  });

  test('an unknown actor is refused', () => {
    expect(() => checkActor(['alice'], [undefined, ''])).toThrow('the runner did not say who started the run');
  });
});
