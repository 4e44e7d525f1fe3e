import { filesToSkip } from '../../actions/pypi-publish/src/skip-existing';

const SDIST = { fileName: 'a-1.0.tar.gz', sha256: '1'.repeat(64) };
const WHEEL = { fileName: 'a-1.0-py3-none-any.whl', sha256: '2'.repeat(64) };

describe('filesToSkip', () => {
  test('nothing on the index: nothing skipped, whatever skip-existing says', () => {
    expect(filesToSkip([SDIST, WHEEL], new Map(), false)).toEqual(new Set());
    expect(filesToSkip([SDIST, WHEEL], new Map([['other-1.0.tar.gz', { sha256: '3'.repeat(64) }]]), true)).toEqual(new Set());
  });

  test('identical files are skipped with skip-existing, and stop the run without it', () => {
    const onIndex = new Map([[WHEEL.fileName, { sha256: WHEEL.sha256 }]]);
    expect(filesToSkip([SDIST, WHEEL], onIndex, true)).toEqual(new Set([WHEEL.fileName]));
    expect(() => filesToSkip([SDIST, WHEEL], onIndex, false)).toThrow(
      'a-1.0-py3-none-any.whl is already on the index (identical content); set skip-existing: true to treat that as done',
    );
  });

  test('the same name with other content is an error even with skip-existing', () => {
    const onIndex = new Map([[SDIST.fileName, { sha256: '9'.repeat(64) }]]);
    for (const skipExisting of [true, false]) {
      expect(() => filesToSkip([SDIST, WHEEL], onIndex, skipExisting)).toThrow(
        `a-1.0.tar.gz: the index already has a file of this name with different content (sha256 ${'9'.repeat(64)} on the index). A published file can never be replaced: bump the version`,
      );
    }
  });
});
