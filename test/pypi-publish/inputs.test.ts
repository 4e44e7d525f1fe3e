// pypi-publish's getInputs() in-process, with INPUT_* set as the runner would from action.yml.
import { jest } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { getInputs, type Inputs } from '../../actions/pypi-publish/src/inputs';
import { withInputs } from '../kit/inputs';
import type { BundleOptions } from '../kit/runner';
import { tempDir } from '../kit/runner';
import { TOKEN } from './helpers';

const workspace = tempDir('pypi-inputs-');
mkdirSync(join(workspace, 'project'));

/** getInputs() for a step in `workspace`, and the values it registered as secrets. */
function read(inputs: BundleOptions['inputs'], env: Record<string, string | undefined> = {}): { inputs: Inputs; masked: string[] } {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    const result = withInputs('actions/pypi-publish', inputs, getInputs, {
      env: {
        GITHUB_WORKSPACE: workspace,
        GITHUB_REPOSITORY: 'views3/views3-client',
        GITHUB_WORKFLOW_REF: 'views3/views3-client/.github/workflows/release.yml@refs/tags/v1.4.0',
        ACTIONS_ID_TOKEN_REQUEST_URL: undefined,
        ...env,
      },
    });
    const masked = writes
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('::add-mask::'))
      .map((line) => line.slice('::add-mask::'.length));
    return { inputs: result, masked };
  } finally {
    spy.mockRestore();
  }
}

describe('pypi-publish inputs', () => {
  test("action.yml's defaults give PyPI, an API token, build auto in the workspace", () => {
    expect(read({ password: TOKEN }).inputs).toEqual({
      packagesDir: join(workspace, 'dist'),
      build: 'auto',
      workingDirectory: workspace,
      endpoints: { upload: 'https://upload.pypi.org/legacy/', web: 'https://pypi.org/', oidc: 'https://upload.pypi.org' },
      username: '__token__',
      password: TOKEN,
      skipExisting: false,
      verifyMetadata: true,
      expectedVersion: undefined,
      dryRun: false,
      retries: 3,
      python: 'python3',
      buildIsolation: true,
      attestations: 'auto',
      sigstore: { fulcioUrl: 'https://fulcio.sigstore.dev', rekorUrl: 'https://rekor.sigstore.dev' },
      identity: { repository: 'views3/views3-client', workflowRef: 'views3/views3-client/.github/workflows/release.yml@refs/tags/v1.4.0' },
    });
  });

  test('every input is read: paths under working-directory, another index, the build settings', () => {
    expect(
      read({
        'working-directory': 'project',
        'packages-dir': 'wheelhouse',
        build: 'build',
        'repository-url': 'https://test.pypi.org/legacy',
        username: 'alice',
        password: 'hunter2-password',
        'skip-existing': true,
        'verify-metadata': false,
        'expected-version': 'v1.4.0',
        'dry-run': true,
        retries: 0,
        python: '/usr/bin/python3.13',
        'build-isolation': false,
        attestations: false,
        'fulcio-url': 'https://fulcio.sigstage.dev/',
        'rekor-url': 'https://rekor.sigstage.dev',
      }).inputs,
    ).toEqual({
      packagesDir: join(workspace, 'project', 'wheelhouse'),
      build: 'build',
      workingDirectory: join(workspace, 'project'),
      endpoints: { upload: 'https://test.pypi.org/legacy/', web: 'https://test.pypi.org/', oidc: 'https://test.pypi.org' },
      username: 'alice',
      password: 'hunter2-password',
      skipExisting: true,
      verifyMetadata: false,
      expectedVersion: 'v1.4.0',
      dryRun: true,
      retries: 0,
      python: '/usr/bin/python3.13',
      buildIsolation: false,
      attestations: 'false',
      sigstore: { fulcioUrl: 'https://fulcio.sigstage.dev', rekorUrl: 'https://rekor.sigstage.dev' },
      identity: { repository: 'views3/views3-client', workflowRef: 'views3/views3-client/.github/workflows/release.yml@refs/tags/v1.4.0' },
    });
  });

  test('the password and its user:password Basic form are masked as they are read', () => {
    const { masked } = read({ username: 'alice', password: 'hunter2-password' });
    expect(masked).toContain('hunter2-password');
    expect(masked).toContain(Buffer.from('alice:hunter2-password').toString('base64'));
    expect(read({ password: '' }, { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/' }).masked).toEqual([]);
  });

  test('an empty password means trusted publishing: refused without an OIDC token source unless dry-run', () => {
    expect(() => read({ password: '' })).toThrow(
      "Input 'password': is empty, so trusted publishing is used, but the job cannot request an OIDC token. Give the job 'permissions: id-token: write'",
    );
    expect(read({ password: '' }, { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/' }).inputs.password).toBe('');
    expect(read({ password: '', 'dry-run': true }).inputs.dryRun).toBe(true);
  });

  test('bad values fail naming the input', () => {
    const cases: Array<[BundleOptions['inputs'], string]> = [
      [{ 'working-directory': 'missing' }, `Input 'working-directory': ${join(workspace, 'missing')} is not a directory`],
      [{ 'repository-url': 'upload.example.org' }, "Input 'repository-url': 'upload.example.org' is not a URL"],
      [{ 'repository-url': 'http://pypi.example.org/legacy/' }, "Input 'repository-url': 'http://pypi.example.org/legacy/' would send"],
      [{ 'expected-version': 'release-two' }, "Input 'expected-version': 'release-two' is not a PEP 440 version"],
      [{ build: 'maybe' }, "Input 'build': 'maybe' is not allowed"],
      [{ retries: 11 }, "Input 'retries': 11 is out of range"],
      [{ attestations: 'yes' }, "Input 'attestations': 'yes' is not allowed"],
      [{ 'fulcio-url': 'fulcio.sigstore.dev' }, "Input 'fulcio-url': 'fulcio.sigstore.dev' is not a URL"],
      [{ 'rekor-url': 'http://rekor.example.org' }, "Input 'rekor-url': 'http://rekor.example.org' would send the OIDC token unencrypted"],
    ];
    for (const [inputs, message] of cases) expect(() => read({ password: TOKEN, ...inputs })).toThrow(message);
    expect(read({ password: TOKEN, 'repository-url': 'http://localhost:8080/legacy/' }).inputs.endpoints.upload).toBe(
      'http://localhost:8080/legacy/',
    );
  });
});
