// pypi-publish end to end: the committed bundle under the runner emulation, real distributions
// built from the fixture projects, uploaded to the PyPI stand-in (which twine and pip accept).
import { jest } from '@jest/globals';
import { escapeCell } from '@conveyor/core';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startBundle, tempDir, type BundleOptions } from '../kit/runner';
import { PyPIStandIn } from '../standins/pypi/server';
import { buildFixture, copyFixture, retagManylinux, SYSTEM_PYTHON } from './fixtures';
import { printed, publish, TOKEN, uploadRequests } from './helpers';

jest.setTimeout(180_000);
const run = promisify(execFile);
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('pypi-publish with an API token', () => {
  let index: PyPIStandIn;
  beforeEach(async () => {
    index = new PyPIStandIn({ tokens: [TOKEN] });
    await index.start();
  });
  afterEach(() => index.stop());

  test('a Poetry project is built with Poetry and uploaded; outputs, summary and hashes match the files', async () => {
    const project = copyFixture('python-poetry');
    const result = await publish(index, { 'working-directory': project });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.log).toMatch(/Building with poetry \(pyproject.toml is a Poetry project\)/);
    const files = ['views3_poetry_demo-1.4.0.tar.gz', 'views3_poetry_demo-1.4.0-py3-none-any.whl'];
    expect(result.outputs.name).toBe('views3-poetry-demo');
    expect(result.outputs.version).toBe('1.4.0');
    expect(JSON.parse(result.outputs.uploaded as string)).toEqual(files);
    expect(JSON.parse(result.outputs.skipped as string)).toEqual([]);
    const hashes = JSON.parse(result.outputs.hashes as string) as Record<string, string>;
    for (const file of files) {
      const path = join(project, 'dist', file);
      expect(hashes[file]).toBe(sha256(path));
      expect(index.files('views3-poetry-demo', '1.4.0').find((stored) => stored.fileName === file)?.digests.sha256).toBe(sha256(path));
      expect(result.summary).toContain(escapeCell(file));
      expect(result.summary).toContain(sha256(path));
    }
    expect(result.summary).toContain(`${index.url}/project/views3-poetry-demo/1.4.0/`);
    expect(printed(result)).not.toContain(TOKEN);
    expect(printed(result)).not.toContain(Buffer.from(`__token__:${TOKEN}`).toString('base64'));
    expect(`${JSON.stringify(result.outputs)}${result.summary}`).not.toContain(TOKEN);
    // Each form of the password is registered once, by getInputs, before anything is printed.
    const masks = result.rawLog.split('\n').filter((line) => line.startsWith('::add-mask::'));
    expect(masks).toContain(`::add-mask::${TOKEN}`);
    expect(new Set(masks).size).toBe(masks.length);
  });

  test('setuptools: expected-version from a tag, then skip-existing on a re-run, and a plain re-run refused', async () => {
    const built = buildFixture('python-setuptools');
    const first = await publish(index, { 'working-directory': built.dir, build: 'none', 'expected-version': 'v2.0.1' });
    expect(first.errors).toEqual([]);
    expect(JSON.parse(first.outputs.uploaded as string)).toEqual([
      'views3_setuptools_demo-2.0.1.tar.gz',
      'views3_setuptools_demo-2.0.1-py3-none-any.whl',
    ]);
    expect(index.stored).toHaveLength(2);

    const again = await publish(index, { 'working-directory': built.dir, 'skip-existing': true });
    expect(again.exitCode).toBe(0);
    expect(again.log).toMatch(/Not building: packages-dir already holds 2 distribution/);
    expect(JSON.parse(again.outputs.uploaded as string)).toEqual([]);
    expect((JSON.parse(again.outputs.skipped as string) as string[]).sort()).toEqual(built.files);
    expect(again.summary).toMatch(/skipped/);

    const refused = await publish(index, { 'working-directory': built.dir });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors.join('\n')).toMatch(/already on the index \(identical content\); set skip-existing: true/);
    expect(uploadRequests(index)).toBe(2);
  });

  test('the same file name with different content fails, even with skip-existing, before any upload', async () => {
    const original = buildFixture('python-setuptools');
    expect((await publish(index, { 'working-directory': original.dir })).exitCode).toBe(0);
    const changed = buildFixture('python-setuptools', (dir) =>
      writeFileSync(join(dir, 'src/views3_setuptools_demo/__init__.py'), 'def answer() -> int:\n    return 43\n'),
    );
    const result = await publish(index, { 'working-directory': changed.dir, 'skip-existing': true });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(/already has a file of this name with different content/);
    expect(uploadRequests(index)).toBe(2);
    expect(index.stored).toHaveLength(2);
  });

  test('a bad token is reported as refused credentials and is never printed', async () => {
    const built = buildFixture('python-setuptools');
    const badToken = 'pypi-not-a-valid-token-0123456789';
    const result = await publish(index, { 'working-directory': built.dir, password: badToken });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(
      /The index refused the credentials \(HTTP 403: Invalid or non-existent authentication information/,
    );
    expect(index.stored).toHaveLength(0);
    expect(printed(result)).not.toContain(badToken);
    expect(printed(result)).not.toContain(Buffer.from(`__token__:${badToken}`).toString('base64'));
  });

  test('a Cython linux_x86_64 wheel stops the run before anything (the sdist included) is uploaded; the manylinux wheel then installs', async () => {
    const project = copyFixture('python-cython');
    const refused = await publish(index, { 'working-directory': project });
    expect(refused.log).toMatch(/Building with build \(setup.py \/ setup.cfg project\)/);
    expect(refused.exitCode).toBe(1);
    expect(refused.errors.join('\n')).toMatch(
      /views3_cython_demo-0\.3\.0-cp311-cp311-linux_x86_64\.whl: the platform tag linux_x86_64 is refused by PyPI; build manylinux wheels \(cibuildwheel, or auditwheel repair\)/,
    );
    expect(refused.outputs.name).toBe('views3_cython_demo');
    expect(JSON.parse(refused.outputs.uploaded as string)).toEqual([]);
    expect(uploadRequests(index)).toBe(0);

    const wheel = retagManylinux(join(project, 'dist'), 'views3_cython_demo-0.3.0-cp311-cp311-linux_x86_64.whl');
    const result = await publish(index, { 'working-directory': project, build: 'none' });
    expect(result.errors).toEqual([]);
    expect(JSON.parse(result.outputs.uploaded as string)).toEqual(['views3_cython_demo-0.3.0.tar.gz', wheel]);

    const venv = join(tempDir('pypi-venv-'), 'venv');
    await run(SYSTEM_PYTHON, ['-m', 'venv', venv]);
    await run(join(venv, 'bin/pip'), [
      'install',
      '--no-cache-dir',
      '--only-binary',
      ':all:',
      '--index-url',
      `${index.url}/simple/`,
      'views3-cython-demo',
    ]);
    const { stdout } = await run(join(venv, 'bin/python'), ['-c', 'from views3_cython_demo.fastsum import fastsum; print(fastsum(10))']);
    expect(stdout.trim()).toBe('45');
  });

  test('dry-run builds, verifies and hashes, and uploads nothing', async () => {
    const built = buildFixture('python-setuptools');
    const result = await publish(index, { 'working-directory': built.dir, 'dry-run': true });
    expect(result.exitCode).toBe(0);
    expect(result.log).toMatch(/Dry run: would upload 2 file\(s\)/);
    expect(JSON.parse(result.outputs.uploaded as string)).toEqual([]);
    expect(Object.keys(JSON.parse(result.outputs.hashes as string) as object).sort()).toEqual(built.files);
    expect(result.summary).toMatch(/would upload/);
    expect(uploadRequests(index)).toBe(0);
  });

  test('503s before and after storing are survived with exactly one copy of each file', async () => {
    const built = buildFixture('python-setuptools');
    index.failNext(1, 503, { match: { method: 'POST', path: /^\/legacy/ } });
    index.failAfterStoring = 1;
    const result = await publish(index, { 'working-directory': built.dir, retries: 3 });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.log).toMatch(/the earlier attempt took effect; not sending it again/);
    expect(index.stored.map((file) => file.fileName).sort()).toEqual(built.files);
    // 503 before storing (resent), stored but 503 (reconciled, not resent), then the second file.
    expect(uploadRequests(index)).toBe(3);
  });

  test('a connection cut after the index stored the file is reconciled, not re-sent', async () => {
    const built = buildFixture('python-setuptools');
    index.dropAfterStoring = 1;
    const result = await publish(index, { 'working-directory': built.dir, retries: 1 });
    expect(result.errors).toEqual([]);
    expect(result.log).toMatch(/the earlier attempt took effect; not sending it again/);
    expect(index.stored.map((file) => file.fileName).sort()).toEqual(built.files);
    expect(uploadRequests(index)).toBe(2);
  });

  test('bad inputs fail in one line naming the input, before any request', async () => {
    const built = buildFixture('python-setuptools');
    const cases: Array<[BundleOptions['inputs'], RegExp]> = [
      [{ build: 'maybe' }, /^Input 'build': 'maybe' is not allowed\. Use one of: auto, poetry, build, none$/],
      [
        { 'repository-url': 'http://pypi.example.org/legacy/' },
        /^Input 'repository-url': .* would send credentials unencrypted\. Use an https:\/\/ URL$/,
      ],
      [{ 'expected-version': 'release-two' }, /^Input 'expected-version': 'release-two' is not a PEP 440 version/],
      [{ retries: '-1' }, /^Input 'retries': -1 is out of range/],
      [{ password: '' }, /^Input 'password': is empty, so trusted publishing is used, but the job cannot request an OIDC token/],
      [{ 'working-directory': join(built.dir, 'missing') }, /^Input 'working-directory': .* is not a directory/],
    ];
    for (const [inputs, message] of cases) {
      const result = await publish(index, { 'working-directory': built.dir, ...inputs });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(message);
    }
    expect(index.journal).toHaveLength(0);
  });

  test('expected-version that differs stops the run before any upload', async () => {
    const built = buildFixture('python-setuptools');
    const result = await publish(index, { 'working-directory': built.dir, 'expected-version': '2.0.2' });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(/the distributions are version 2\.0\.1, but expected-version is 2\.0\.2/);
    expect(uploadRequests(index)).toBe(0);
  });

  test('a missing build tool is named with how to install it', async () => {
    const project = copyFixture('python-poetry');
    const emptyPath = tempDir('no-tools-');
    const result = await publish(index, { 'working-directory': project }, { env: { PATH: emptyPath } });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /^Poetry is not installed \(not found on PATH\)\. Install it first \(pipx install poetry, or pip install poetry\)/,
    );

    const python = await publish(index, { 'working-directory': copyFixture('python-setuptools'), python: join(emptyPath, 'python3') });
    expect(python.exitCode).toBe(1);
    expect(python.errors[0]).toMatch(/The Python interpreter '.*python3' is not installed/);
    expect(index.journal).toHaveLength(0);
  });

  test('SIGINT while waiting on the index ends the step promptly, uploading nothing', async () => {
    const built = buildFixture('python-setuptools');
    index.delayNext(1, 20_000, { match: { path: /^\/pypi\// } });
    const step = startBundle({
      action: 'actions/pypi-publish',
      inputs: { 'working-directory': built.dir, 'repository-url': `${index.url}/legacy/`, password: TOKEN },
    });
    // Verified and hashed; the next thing is the (delayed) JSON API read.
    await step.waitForLog(/2 file\(s\) of views3_setuptools_demo 2\.0\.1 verified/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = Date.now();
    step.process.kill('SIGINT');
    const result = await step.done;
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(/^Cancelled: /);
    expect(JSON.parse(result.outputs.hashes as string)).toHaveProperty([built.files[0] as string]);
    expect(uploadRequests(index)).toBe(0);
  });
});
