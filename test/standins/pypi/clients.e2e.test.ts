// The PyPI stand-in checked against clients nobody here wrote: Debian's twine uploads real
// distributions to it (and gets Warehouse's refusals), pip downloads and installs from its simple index.
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { tempDir } from '../../kit/runner';
import { buildFixture, SYSTEM_PYTHON } from '../../pypi-publish/fixtures';
import { PyPIStandIn } from './server';

const run = promisify(execFile);
jest.setTimeout(180_000);
const TOKEN = 'pypi-standin-client-token';

async function twine(index: PyPIStandIn, files: string[], password = TOKEN, extra: string[] = []) {
  return run(
    'twine',
    [
      'upload',
      '--non-interactive',
      '--disable-progress-bar',
      '--repository-url',
      `${index.url}/legacy/`,
      '-u',
      '__token__',
      '-p',
      password,
      ...extra,
      ...files,
    ],
    {
      env: { ...process.env, TWINE_NON_INTERACTIVE: '1' },
    },
  ).then(
    (result) => ({ code: 0, output: plain(result.stdout + result.stderr) }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: plain(error.stdout + error.stderr) }),
  );
}

/** twine's output without colours and with its line wrapping undone. */
const plain = (text: string) => stripVTControlCharacters(text).replace(/\s+/g, ' ');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('PyPI stand-in against twine and pip', () => {
  const index = new PyPIStandIn({ tokens: [TOKEN] });
  let setuptools: ReturnType<typeof buildFixture>;

  beforeAll(async () => {
    await index.start();
    setuptools = buildFixture('python-setuptools');
  });
  afterAll(() => index.stop());

  test('twine uploads an sdist and a wheel; the JSON API and the simple index list them with their digests', async () => {
    const paths = setuptools.files.map((file) => join(setuptools.dist, file));
    const result = await twine(index, paths);
    expect(result.output).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(
      index
        .files('views3_setuptools_demo', '2.0.1')
        .map((file) => file.fileName)
        .sort(),
    ).toEqual(setuptools.files);

    const json = (await (await fetch(`${index.url}/pypi/views3-setuptools-demo/2.0.1/json`)).json()) as {
      urls: Array<{ filename: string; digests: { sha256: string } }>;
    };
    for (const path of paths) expect(json.urls.find((url) => path.endsWith(url.filename))?.digests.sha256).toBe(sha256(path));

    const simple = await fetch(`${index.url}/simple/views3-setuptools-demo/`, {
      headers: { accept: 'application/vnd.pypi.simple.v1+json' },
    });
    expect(simple.headers.get('content-type')).toBe('application/vnd.pypi.simple.v1+json');
    expect(((await simple.json()) as { files: unknown[] }).files).toHaveLength(2);
  });

  test('an identical re-upload is accepted as a no-op; the same name with other content gets "File already exists"', async () => {
    const wheel = join(setuptools.dist, setuptools.files.find((file) => file.endsWith('.whl')) as string);
    const before = index.stored.length;
    expect((await twine(index, [wheel])).code).toBe(0);
    expect(index.stored.length).toBe(before);

    // Same file name, other bytes: rebuild after changing the code.
    const changed = buildFixtureWithChange();
    const result = await twine(index, [changed]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(
      /HTTPError: 400 .*File already exists \('views3_setuptools_demo-2\.0\.1-py3-none-any\.whl', with blake2_256 hash '[0-9a-f]{64}'\)/,
    );
  });

  test("a bad token is refused with 403 and Warehouse's message", async () => {
    const result = await twine(index, [join(setuptools.dist, setuptools.files[0] as string)], 'pypi-wrong');
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/HTTPError: 403 .*Invalid or non-existent authentication information/);
  });

  test('pip downloads from the simple index and installs into a fresh virtualenv', async () => {
    const downloads = tempDir('pip-download-');
    await run(SYSTEM_PYTHON, [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--no-cache-dir',
      '--index-url',
      `${index.url}/simple/`,
      '--dest',
      downloads,
      'views3-setuptools-demo==2.0.1',
    ]);
    const [downloaded] = readdirSync(downloads);
    expect(downloaded).toBe('views3_setuptools_demo-2.0.1-py3-none-any.whl');
    expect(sha256(join(downloads, downloaded as string))).toBe(sha256(join(setuptools.dist, downloaded as string)));

    const venv = join(tempDir('pip-venv-'), 'venv');
    await run(SYSTEM_PYTHON, ['-m', 'venv', venv]);
    await run(join(venv, 'bin/pip'), ['install', '--no-cache-dir', '--index-url', `${index.url}/simple/`, 'views3_setuptools_demo']);
    const { stdout } = await run(join(venv, 'bin/python'), ['-c', 'import views3_setuptools_demo as m; print(m.answer())']);
    expect(stdout.trim()).toBe('42');
  });

  function buildFixtureWithChange(): string {
    const changed = buildFixture('python-setuptools', (dir) =>
      writeFileSync(join(dir, 'src/views3_setuptools_demo/__init__.py'), 'def answer() -> int:\n    return 43\n'),
    );
    return join(changed.dist, changed.files.find((file) => file.endsWith('.whl')) as string);
  }
});
