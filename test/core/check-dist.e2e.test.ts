// check-dist must fail when a source change was not rebuilt, and on missing or stale files. Webpack's
// module ids depend on paths, so this runs in the real tree (on the fixture bundle only) and puts
// every file it touches back.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../kit/runner';

function checkDist(env: NodeJS.ProcessEnv = process.env): { code: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [join(repoRoot, 'scripts/check-dist.mjs'), 'fixture-action'], {
      encoding: 'utf8',
      stdio: 'pipe',
      env,
    });
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: failed.stdout + failed.stderr };
  }
}

/** Runs `check` with `path` changed by `change`, then restores the file. */
function withChangedFile<T>(path: string, change: (original: string) => string | undefined, check: () => T): T {
  const original = readFileSync(path, 'utf8');
  const changed = change(original);
  if (changed === undefined) rmSync(path);
  else writeFileSync(path, changed);
  try {
    return check();
  } finally {
    writeFileSync(path, original);
  }
}

describe('check-dist', () => {
  const fixture = join(repoRoot, 'test/fixtures/fixture-action');

  test('passes when the committed bundle is what the source builds', () => {
    const outcome = checkDist();
    expect(outcome.code).toBe(0);
    expect(outcome.output).toContain('dist/ matches a fresh build (1 bundles)');
  });

  test('fails after a source change that was not rebuilt, and removes its scratch build', () => {
    const scratchParent = mkdtempSync(join(tmpdir(), 'check-dist-tmp-'));
    try {
      const result = withChangedFile(
        join(fixture, 'src/main.ts'),
        (text) => text.replace('post step saw state', 'post step found state'),
        () => checkDist({ ...process.env, TMPDIR: scratchParent }),
      );
      expect(result.code).toBe(1);
      // The line shows where: the committed text around the first difference, then the fresh one.
      expect(result.output).toMatch(
        /differs: test\/fixtures\/fixture-action\/dist\/index\.js \(byte \d+: committed ".+", fresh build ".+"\)/,
      );
      expect(readdirSync(scratchParent)).toEqual([]);
    } finally {
      rmSync(scratchParent, { recursive: true, force: true });
    }
  });

  // ncc keeps a cache per working directory under XDG_CACHE_HOME (or ~/.cache); one left by an
  // earlier build at the same path, of other sources and options, once leaked into CI's bundles.
  test('builds without a persistent cache, so no earlier build can leak into this one', () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'conveyor-cache-'));
    try {
      expect(checkDist({ ...process.env, XDG_CACHE_HOME: cacheHome }).code).toBe(0);
      expect(existsSync(join(cacheHome, 'ncc'))).toBe(false);
    } finally {
      rmSync(cacheHome, { recursive: true, force: true });
    }
  });

  test('fails when a built file is missing', () => {
    const result = withChangedFile(join(fixture, 'dist/licenses.txt'), () => undefined, checkDist);
    expect(result.code).toBe(1);
    expect(result.output).toContain('missing: test/fixtures/fixture-action/dist/licenses.txt');
  });

  test('fails on a bundle no action builds any more', () => {
    const stale = join(repoRoot, 'dist/removed-action');
    mkdirSync(stale, { recursive: true });
    try {
      const outcome = checkDist();
      expect(outcome.code).toBe(1);
      expect(outcome.output).toContain('stale (no action builds it): dist/removed-action');
    } finally {
      rmSync(stale, { recursive: true, force: true });
    }
  });
});
