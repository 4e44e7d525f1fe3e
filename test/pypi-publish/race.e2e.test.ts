// Two pypi-publish runs of one release at once (a tag push and a manual dispatch, two release
// managers): the committed bundle twice, started together against one PyPI stand-in that forces the
// interleaving instead of hoping for it.
import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../kit/runner';
import { PyPIStandIn } from '../standins/pypi/server';
import { buildFixture } from './fixtures';
import { publish, TOKEN, uploadRequests } from './helpers';

jest.setTimeout(180_000);

// Uploaded in this order (sdists first).
const SDIST = 'views3_setuptools_demo-2.0.1.tar.gz';
const WHEEL = 'views3_setuptools_demo-2.0.1-py3-none-any.whl';
const list = (result: RunResult, output: 'uploaded' | 'skipped') => JSON.parse(result.outputs[output] as string) as string[];
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('pypi-publish: two runs of one release at once', () => {
  let built: ReturnType<typeof buildFixture>;
  let index: PyPIStandIn;
  beforeAll(() => {
    built = buildFixture('python-setuptools');
  });
  beforeEach(async () => {
    index = new PyPIStandIn({ tokens: [TOKEN] });
    await index.start();
  });
  afterEach(() => index.stop());

  const twoRuns = (inputs: Record<string, boolean>) =>
    Promise.all([
      publish(index, { 'working-directory': built.dir, ...inputs }),
      publish(index, { 'working-directory': built.dir, ...inputs }),
    ]);

  test.each([false, true])(
    'both look before either uploads (skip-existing: %s): each file stored once, both exit 0 and list every file as uploaded',
    async (skipExisting) => {
      // The first upload is held until the other run's upload arrives, so both have read the index by then.
      index.hold('upload', 1, () => index.arrived.upload >= 2);
      const runs = await twoRuns({ 'skip-existing': skipExisting });
      for (const run of runs) {
        expect(run.errors).toEqual([]);
        expect(run.exitCode).toBe(0);
        // The index answers the second, identical upload of a file with 200: to both runs, it was uploaded.
        expect(list(run, 'uploaded')).toEqual([SDIST, WHEEL]);
        expect(list(run, 'skipped')).toEqual([]);
      }
      expect(index.stored.map((file) => file.fileName).sort()).toEqual(built.files);
      expect(uploadRequests(index)).toBe(4);
    },
  );

  test.each([false, true])(
    'a run that looks after the other stored the sdist (skip-existing: %s) skips it as a concurrent upload and uploads the rest',
    async (skipExisting) => {
      // The second run has started (its read has arrived) before the first stores its first file (the
      // sdist), reads the release after that and before the first run's second upload.
      index.hold('upload', 1, () => index.arrived.read >= 2);
      index.hold('read', 2, () => index.stored.length >= 1);
      index.hold('upload', 2, () => index.readsAnswered >= 2);
      const runs = await twoRuns({ 'skip-existing': skipExisting });
      for (const run of runs) {
        expect(run.errors).toEqual([]);
        expect(run.exitCode).toBe(0);
      }
      const outcomes = runs.map((run) => ({ uploaded: list(run, 'uploaded'), skipped: list(run, 'skipped') }));
      expect(outcomes).toEqual(
        expect.arrayContaining([
          { uploaded: [SDIST, WHEEL], skipped: [] },
          { uploaded: [WHEEL], skipped: [SDIST] },
        ]),
      );
      const later = runs.find((run) => list(run, 'skipped').length > 0);
      expect(later?.log).toMatch(
        /^Skipping views3_setuptools_demo-2\.0\.1\.tar\.gz: another run uploaded it at \S+, after this one started, with the same SHA-256$/m,
      );
      expect(index.stored.map((file) => file.fileName).sort()).toEqual(built.files);
      expect(uploadRequests(index)).toBe(3);
    },
  );

  test('two different builds of one version: the first upload wins the release, the other run fails before uploading more', async () => {
    const other = buildFixture('python-setuptools', (dir) =>
      writeFileSync(join(dir, 'src/views3_setuptools_demo/__init__.py'), 'def answer() -> int:\n    return 43\n'),
    );
    index.hold('upload', 1, () => index.arrived.upload >= 2);
    const [first, second] = await Promise.all([
      publish(index, { 'working-directory': built.dir }),
      publish(index, { 'working-directory': other.dir }),
    ]);
    expect(sha256(join(other.dist, SDIST))).not.toBe(sha256(join(built.dist, SDIST)));
    const winner = first.exitCode === 0 ? built : other;
    const failed = first.exitCode === 0 ? second : first;
    expect([first.exitCode, second.exitCode].sort()).toEqual([0, 1]);
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]).toMatch(
      /^views3_setuptools_demo-2\.0\.1\.tar\.gz: the index already has a file of this name with different content \(File already exists/,
    );
    expect(list(failed, 'uploaded')).toEqual([]);
    // Every stored file is the winner's: no release mixing two builds.
    expect(index.stored.map((file) => [file.fileName, file.digests.sha256])).toEqual(
      [SDIST, WHEEL].map((file) => [file, sha256(join(winner.dist, file))]),
    );
    expect(uploadRequests(index)).toBe(3);
  });
});
