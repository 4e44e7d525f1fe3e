import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { header, parseCoreMetadata, readDistributionMetadata } from '../../actions/pypi-publish/src/metadata';
import { tempDir } from '../kit/runner';
import { SYSTEM_PYTHON } from './fixtures';

const METADATA = [
  'Metadata-Version: 2.5',
  'Name: views3-demo',
  'Version: 1.2.0',
  'Classifier: Programming Language :: Python :: 3',
  'Classifier: License :: OSI Approved :: MIT License',
  'Project-URL: Homepage, https://example.org',
  'Requires-Dist: numpy>=1.26',
  'Requires-Dist: pandas; extra == "frames"',
  '',
  '# views3-demo',
  '',
  'Long description with a colon: here.',
  '',
].join('\n');

describe('core metadata', () => {
  test('headers keep order and repeats; the body is the description', () => {
    const metadata = parseCoreMetadata(METADATA);
    expect(metadata.headers.filter(([name]) => name === 'Classifier')).toHaveLength(2);
    expect(header(metadata, 'requires-dist')).toBe('numpy>=1.26');
    expect(header(metadata, 'Project-URL')).toBe('Homepage, https://example.org');
    expect(metadata.body).toBe('# views3-demo\n\nLong description with a colon: here.\n');
  });

  test('folded lines continue the header (old-style Description with 8 spaces and |)', () => {
    const metadata = parseCoreMetadata(
      'Metadata-Version: 1.2\r\nName: x\r\nDescription: first\r\n        |second\r\n        third\r\nVersion: 1\r\n',
    );
    expect(header(metadata, 'Description')).toBe('first\nsecond\nthird');
    expect(header(metadata, 'Version')).toBe('1');
    expect(metadata.body).toBe('');
  });

  test('a line that is not a header is an error naming it', () => {
    expect(() => parseCoreMetadata('Name: x\nnot a header\n')).toThrow(`line 2 is not a 'Name: value' header: "not a header"`);
  });

  test('read from a wheel (zip) and an sdist (tar.gz), refusing archives without it', async () => {
    const dir = tempDir('metadata-');
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'views3_demo-1.2.0.dist-info'), { recursive: true });
    mkdirSync(join(tree, 'views3_demo'));
    writeFileSync(join(tree, 'views3_demo-1.2.0.dist-info/METADATA'), METADATA);
    writeFileSync(join(tree, 'views3_demo/__init__.py'), '');
    const wheel = join(dir, 'views3_demo-1.2.0-py3-none-any.whl');
    execFileSync(SYSTEM_PYTHON, ['-m', 'zipfile', '-c', wheel, join(tree, 'views3_demo-1.2.0.dist-info'), join(tree, 'views3_demo')]);
    expect(header(await readDistributionMetadata(wheel), 'Metadata-Version')).toBe('2.5');

    const sdistTree = join(dir, 'views3_demo-1.2.0');
    mkdirSync(sdistTree);
    writeFileSync(join(sdistTree, 'PKG-INFO'), METADATA);
    writeFileSync(join(sdistTree, 'setup.py'), '');
    const sdist = join(dir, 'views3_demo-1.2.0.tar.gz');
    await tar.c({ gzip: true, file: sdist, cwd: dir }, ['views3_demo-1.2.0']);
    expect((await readDistributionMetadata(sdist)).body).toContain('Long description');

    const noPkgInfo = join(dir, 'empty-1.0.tar.gz');
    await tar.c({ gzip: true, file: noPkgInfo, cwd: dir }, ['tree']);
    await expect(readDistributionMetadata(noPkgInfo)).rejects.toThrow('empty-1.0.tar.gz: has no tree/PKG-INFO file');
    const twoTops = join(dir, 'two-1.0.tar.gz');
    await tar.c({ gzip: true, file: twoTops, cwd: dir }, ['views3_demo-1.2.0', 'tree']);
    await expect(readDistributionMetadata(twoTops)).rejects.toThrow('two-1.0.tar.gz: should hold exactly one top-level directory, not 2');
    const noMetadata = join(dir, 'bare-1.0-py3-none-any.whl');
    execFileSync(SYSTEM_PYTHON, ['-m', 'zipfile', '-c', noMetadata, join(tree, 'views3_demo')]);
    await expect(readDistributionMetadata(noMetadata)).rejects.toThrow('bare-1.0-py3-none-any.whl: has no .dist-info/METADATA file');
    const notZip = join(dir, 'broken-1.0-py3-none-any.whl');
    writeFileSync(notZip, 'not a zip');
    await expect(readDistributionMetadata(notZip)).rejects.toThrow(/^broken-1.0-py3-none-any.whl: /);
  });
});
