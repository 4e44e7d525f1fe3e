import {
  expectedSdistFileName,
  fileNamePrefix,
  normalizeName,
  normalizeVersion,
  parseWheelFileName,
  uploadPythonVersion,
} from '../../actions/pypi-publish/src/names';

describe('names', () => {
  test('PEP 503 names: case and runs of -_. fold to one -', () => {
    expect(normalizeName('Views3_Poetry.Demo')).toBe('views3-poetry-demo');
    expect(normalizeName('a--_.b')).toBe('a-b');
    expect(fileNamePrefix('Views3-Poetry.demo')).toBe('views3_poetry_demo');
  });

  test.each([
    ['1.4.0', '1.4.0'],
    ['v1.4.0', '1.4.0'],
    ['V2.0', '2.0'],
    ['1.0-RC1', '1.0rc1'],
    ['1.0.alpha.2', '1.0a2'],
    ['1.0c3', '1.0rc3'],
    ['1.0-preview', '1.0rc0'],
    ['1.0-1', '1.0.post1'],
    ['1.0.post', '1.0.post0'],
    ['1.0rev2', '1.0.post2'],
    ['1.0-dev3', '1.0.dev3'],
    ['1!2.0', '1!2.0'],
    ['0!2.0', '2.0'],
    ['01.002', '1.2'],
    ['1.0+Ubuntu-1', '1.0+ubuntu.1'],
    ['1.0a1.post2.dev3', '1.0a1.post2.dev3'],
  ])('PEP 440 normal form of %s is %s', (version, normal) => {
    expect(normalizeVersion(version)).toBe(normal);
  });

  test.each(['release-2', '1.0-', '', 'one', '1..0', '1.0+'])('%j is not a PEP 440 version', (version) => {
    expect(normalizeVersion(version)).toBeUndefined();
  });

  test('wheel file names split into name, version, build and tag sets', () => {
    expect(parseWheelFileName('views3_cython_demo-0.3.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')).toEqual({
      name: 'views3_cython_demo',
      version: '0.3.0',
      build: undefined,
      pythonTags: ['cp311'],
      abiTags: ['cp311'],
      platformTags: ['manylinux_2_17_x86_64', 'manylinux2014_x86_64'],
    });
    expect(parseWheelFileName('pkg-1.0-1-py2.py3-none-any.whl')).toMatchObject({ build: '1', pythonTags: ['py2', 'py3'] });
    expect(parseWheelFileName('pkg-1.0-x-py3-none-any.whl')).toBeUndefined();
    expect(parseWheelFileName('pkg-1.0-py3-none.whl')).toBeUndefined();
    expect(parseWheelFileName('pkg-1.0.tar.gz')).toBeUndefined();
  });

  test('PEP 625 sdist names use the normalized name and version', () => {
    expect(expectedSdistFileName('openslide-bin', '4.0.0.9')).toBe('openslide_bin-4.0.0.9.tar.gz');
    expect(expectedSdistFileName('Views3.Demo', '1.0-RC1')).toBe('views3_demo-1.0rc1.tar.gz');
  });

  test('the upload pyversion is the wheel python tag, or source', () => {
    expect(uploadPythonVersion('a-1.0-py2.py3-none-any.whl')).toBe('py2.py3');
    expect(uploadPythonVersion('a-1.0-cp311-cp311-win_amd64.whl')).toBe('cp311');
    expect(uploadPythonVersion('a-1.0.tar.gz')).toBe('source');
  });
});
