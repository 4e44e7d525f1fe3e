import { filesToSkip } from '../../actions/pypi-publish/src/skip-existing';

const SDIST = { fileName: 'a-1.0.tar.gz', sha256: '1'.repeat(64) };
const WHEEL = { fileName: 'a-1.0-py3-none-any.whl', sha256: '2'.repeat(64) };
const STARTED = Date.parse('2026-03-01T12:00:00.000Z');
const BEFORE = STARTED - 60_000;
const options = (skipExisting: boolean) => ({ skipExisting, startedAt: STARTED });

describe('filesToSkip', () => {
  test('nothing on the index: nothing skipped, whatever skip-existing says', () => {
    expect(filesToSkip([SDIST, WHEEL], new Map(), options(false))).toEqual(new Map());
    expect(filesToSkip([SDIST, WHEEL], new Map([['other-1.0.tar.gz', { sha256: '3'.repeat(64) }]]), options(true))).toEqual(new Map());
  });

  test('identical files stored before this run are skipped with skip-existing, and stop the run without it', () => {
    for (const uploadedAt of [BEFORE, undefined]) {
      const onIndex = new Map([[WHEEL.fileName, { sha256: WHEEL.sha256, uploadedAt }]]);
      expect(filesToSkip([SDIST, WHEEL], onIndex, options(true))).toEqual(
        new Map([[WHEEL.fileName, 'already on the index with the same SHA-256']]),
      );
      expect(() => filesToSkip([SDIST, WHEEL], onIndex, options(false))).toThrow(
        'a-1.0-py3-none-any.whl is already on the index (identical content); set skip-existing: true to treat that as done',
      );
    }
  });

  test('identical files stored since this run started (a concurrent run) are skipped, whatever skip-existing says', () => {
    const onIndex = new Map([
      [SDIST.fileName, { sha256: SDIST.sha256, uploadedAt: STARTED }],
      [WHEEL.fileName, { sha256: WHEEL.sha256, uploadedAt: STARTED + 1500 }],
    ]);
    for (const skipExisting of [false, true]) {
      expect(filesToSkip([SDIST, WHEEL], onIndex, options(skipExisting))).toEqual(
        new Map([
          [SDIST.fileName, 'another run uploaded it at 2026-03-01T12:00:00.000Z, after this one started, with the same SHA-256'],
          [WHEEL.fileName, 'another run uploaded it at 2026-03-01T12:00:01.500Z, after this one started, with the same SHA-256'],
        ]),
      );
    }
  });

  test('the same name with other content is an error even with skip-existing, and even from a concurrent run', () => {
    for (const uploadedAt of [BEFORE, STARTED + 1]) {
      const onIndex = new Map([[SDIST.fileName, { sha256: '9'.repeat(64), uploadedAt }]]);
      for (const skipExisting of [true, false]) {
        expect(() => filesToSkip([SDIST, WHEEL], onIndex, options(skipExisting))).toThrow(
          `a-1.0.tar.gz: the index already has a file of this name with different content (sha256 ${'9'.repeat(64)} on the index). A published file can never be replaced: bump the version`,
        );
      }
    }
  });
});
