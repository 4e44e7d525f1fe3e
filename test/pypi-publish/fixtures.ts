/**
 * Real distributions for the pypi-publish tests, built from the fixture projects with Debian's tools
 * and nothing downloaded: Poetry, and `python -m build --no-isolation` on Debian's Python (not a pyenv
 * one that may be first on PATH), whose setuptools, wheel and Cython are the system packages.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../kit/runner';

export const SYSTEM_PYTHON = '/usr/bin/python3';

export type FixtureProject = 'python-poetry' | 'python-setuptools' | 'python-cython';

/** A fresh copy of a fixture project (the tests build into it). */
export function copyFixture(project: FixtureProject): string {
  const dir = join(tempDir('pypi-fixture-'), project);
  cpSync(join(repoRoot, 'test/fixtures', project), dir, { recursive: true });
  return dir;
}

/**
 * Builds the project's sdist and wheel into `<dir>/dist` the way its users do, after `change` (an edit
 * that makes different files of the same names); returns the file names.
 */
export function buildFixture(project: FixtureProject, change?: (dir: string) => void): { dir: string; dist: string; files: string[] } {
  const dir = copyFixture(project);
  change?.(dir);
  if (project === 'python-poetry')
    execFileSync('poetry', ['build', '--no-interaction'], {
      cwd: dir,
      stdio: 'pipe',
      env: { ...process.env, POETRY_VIRTUALENVS_IN_PROJECT: 'true' },
    });
  else execFileSync(SYSTEM_PYTHON, ['-m', 'build', '--no-isolation', '--outdir', 'dist', '.'], { cwd: dir, stdio: 'pipe' });
  const dist = join(dir, 'dist');
  return { dir, dist, files: readdirSync(dist).sort() };
}

/**
 * What `auditwheel repair` does to a wheel whose extension links only glibc: retag it manylinux.
 * `wheel unpack`, rewrite the WHEEL tags, `wheel pack` (which names the file from the tags).
 */
export function retagManylinux(dist: string, wheel: string, platform = 'manylinux_2_17_x86_64'): string {
  const work = tempDir('pypi-retag-');
  execFileSync(SYSTEM_PYTHON, ['-m', 'wheel', 'unpack', '--dest', work, join(dist, wheel)], { stdio: 'pipe' });
  const [unpacked] = readdirSync(work);
  const wheelInfo = readdirSync(join(work, unpacked as string)).find((name) => name.endsWith('.dist-info')) as string;
  const wheelFile = join(work, unpacked as string, wheelInfo, 'WHEEL');
  execFileSync(SYSTEM_PYTHON, [
    '-c',
    `import sys,re;p=sys.argv[1];t=open(p).read();open(p,'w').write(re.sub(r'linux_x86_64', sys.argv[2], t))`,
    wheelFile,
    platform,
  ]);
  rmSync(join(dist, wheel));
  execFileSync(SYSTEM_PYTHON, ['-m', 'wheel', 'pack', '--dest-dir', dist, join(work, unpacked as string)], { stdio: 'pipe' });
  return readdirSync(dist).find((name) => name.endsWith('.whl')) as string;
}
