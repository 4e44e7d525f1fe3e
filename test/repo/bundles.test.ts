// The committed bundles as the runner loads them: CommonJS, ASCII only (V8 keeps a source with one
// non-ASCII character at two bytes per character), and each file's source map leads a minified
// position back to the TypeScript line it came from (node --enable-source-maps reads these maps).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join, resolve } from 'node:path';
import { repoRoot } from '../kit/runner';

const bundles = readdirSync(join(repoRoot, 'dist'));
const files = bundles.flatMap((name) =>
  readdirSync(join(repoRoot, 'dist', name))
    .filter((file) => file.endsWith('.js'))
    .map((file) => `dist/${name}/${file}`),
);

describe('the committed bundles', () => {
  test.each(bundles)('dist/%s declares CommonJS', (name) => {
    expect(JSON.parse(readFileSync(join(repoRoot, 'dist', name, 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  test.each(files)('%s is ASCII only and links its source map', (file) => {
    const code = readFileSync(join(repoRoot, file), 'utf8');
    expect([...code].filter((character) => character.charCodeAt(0) > 0x7f)).toEqual([]);
    const mapFile = `${file.split('/').pop()}.map`;
    expect(code.trimEnd().endsWith(`//# sourceMappingURL=${mapFile}`)).toBe(true);
    expect(existsSync(join(repoRoot, file, '..', mapFile))).toBe(true);
  });

  test.each(bundles)("dist/%s/index.js maps a minified position back to core's TypeScript line", (name) => {
    const bundle = join(repoRoot, 'dist', name, 'index.js');
    const code = readFileSync(bundle, 'utf8');
    const offset = code.indexOf('is not a boolean');
    expect(offset).toBeGreaterThan(0);
    const before = code.slice(0, offset).split('\n');
    const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as SourceMapPayload);
    const entry = map.findEntry(before.length - 1, before.at(-1)?.length ?? 0);
    expect('originalSource' in entry).toBe(true);
    if (!('originalSource' in entry)) return;
    const source = resolve(join(repoRoot, 'dist', name), entry.originalSource);
    expect(source).toBe(join(repoRoot, 'packages/core/src/inputs.ts'));
    expect(readFileSync(source, 'utf8').split('\n')[entry.originalLine]).toContain('is not a boolean');
  });
});
