import { parseCoreMetadata } from '../../actions/pypi-publish/src/metadata';
import { SUPPORTED_METADATA_VERSIONS, verifyDistributions, type Distribution } from '../../actions/pypi-publish/src/verify';

function dist(fileName: string, name = 'views3-demo', version = '1.2.0', metadataVersion = '2.1'): Distribution {
  return { fileName, metadata: parseCoreMetadata(`Metadata-Version: ${metadataVersion}\nName: ${name}\nVersion: ${version}\n\nbody\n`) };
}

const SDIST = 'views3_demo-1.2.0.tar.gz';
const WHEEL = 'views3_demo-1.2.0-py3-none-any.whl';

describe('verifyDistributions', () => {
  test('a consistent sdist and wheel pass, and the release comes from the sdist', () => {
    expect(verifyDistributions([dist(WHEEL), dist(SDIST, 'Views3_Demo')])).toEqual({
      release: { name: 'Views3_Demo', version: '1.2.0' },
      problems: [],
    });
  });

  test.each(SUPPORTED_METADATA_VERSIONS)('Metadata-Version %s is accepted', (version) => {
    expect(verifyDistributions([dist(SDIST, undefined, undefined, version)]).problems).toEqual([]);
  });

  test('metadata versions the index does not know, and missing fields, are refused', () => {
    expect(verifyDistributions([dist(SDIST, undefined, undefined, '2.6')]).problems).toEqual([
      `${SDIST}: Metadata-Version 2.6 is not one the index accepts (1.0, 1.1, 1.2, 2.1, 2.2, 2.3, 2.4, 2.5)`,
    ]);
    const bare = { fileName: SDIST, metadata: parseCoreMetadata('Name: x\n') };
    expect(verifyDistributions([bare]).problems).toEqual([
      `${SDIST}: the metadata has no Metadata-Version`,
      `${SDIST}: the metadata has no Version`,
    ]);
    expect(verifyDistributions([dist(SDIST, undefined, 'latest')]).problems).toContain(
      `${SDIST}: Version 'latest' is not a PEP 440 version`,
    );
  });

  test('files of different projects or versions are refused', () => {
    const problems = verifyDistributions([
      dist(SDIST),
      dist('other-1.2.0-py3-none-any.whl', 'other'),
      dist('views3_demo-1.3.0-py3-none-any.whl', undefined, '1.3.0'),
    ]).problems;
    expect(problems).toContain("other-1.2.0-py3-none-any.whl: its project is 'other', but the other files are 'views3-demo'");
    expect(problems).toContain('views3_demo-1.3.0-py3-none-any.whl: its version is 1.3.0, but the other files are 1.2.0');
  });

  test('expected-version compares normal forms (a v prefix or RC spelling is fine)', () => {
    expect(verifyDistributions([dist(SDIST.replace('1.2.0', '1.2.0rc1'), undefined, '1.2.0rc1')], 'v1.2.0-RC1').problems).toEqual([]);
    expect(verifyDistributions([dist(SDIST)], '1.2.1').problems).toEqual([
      'the distributions are version 1.2.0, but expected-version is 1.2.1',
    ]);
  });

  test('PEP 625: a non-normalized sdist name is refused with the name it must have', () => {
    expect(verifyDistributions([dist('views3-demo-1.2.0.tar.gz')]).problems).toEqual([
      'views3-demo-1.2.0.tar.gz: the index requires PEP 625 sdist names; this one must be named views3_demo-1.2.0.tar.gz (upgrade the build backend)',
    ]);
    expect(verifyDistributions([dist(SDIST), dist('views3_demo-1.2.0.tar.gz')]).problems).toEqual([
      `${SDIST}, ${SDIST}: the index accepts only one sdist per release; keep one`,
    ]);
  });

  test('wheel names must carry the normalized name and the metadata version', () => {
    expect(verifyDistributions([dist('Views3.Demo-1.2.0-py3-none-any.whl')]).problems).toEqual([
      "Views3.Demo-1.2.0-py3-none-any.whl: the file name should start with the normalized project name 'views3_demo'",
    ]);
    expect(verifyDistributions([dist('views3_demo-1.2-py3-none-any.whl', undefined, '1.2.0')]).problems).toEqual([
      'views3_demo-1.2-py3-none-any.whl: the file name says version 1.2, the metadata says 1.2.0',
    ]);
    expect(verifyDistributions([dist('views3_demo-1.2.0-py3.whl')]).problems).toEqual([
      'views3_demo-1.2.0-py3.whl: not a valid wheel file name (name-version-python-abi-platform.whl)',
    ]);
  });

  test('linux_* wheels are refused with the manylinux advice; manylinux, musllinux, macOS and Windows pass', () => {
    const linux = 'views3_demo-1.2.0-cp311-cp311-linux_x86_64.whl';
    expect(verifyDistributions([dist(linux)]).problems).toEqual([
      `${linux}: the platform tag linux_x86_64 is refused by PyPI; build manylinux wheels (cibuildwheel, or auditwheel repair) or upload only the sdist`,
    ]);
    for (const platform of ['manylinux_2_17_x86_64.manylinux2014_x86_64', 'musllinux_1_2_aarch64', 'macosx_11_0_arm64', 'win_amd64']) {
      expect(verifyDistributions([dist(`views3_demo-1.2.0-cp311-cp311-${platform}.whl`)]).problems).toEqual([]);
    }
  });
});
