// Bundles each action (and the fixture action) with ncc into one ESM file, plus a package.json
// that declares the module type. Usage: node scripts/build.mjs [--out DIR] [name ...]
import ncc from '@vercel/ncc';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleTargets, root } from './targets.mjs';

// ncc leaves the root package out of licenses.txt by the working directory: build from the root.
process.chdir(root);
const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
const outRoot = values.out ?? root;
const targets = bundleTargets(outRoot).filter((t) => positionals.length === 0 || positionals.includes(t.name));
if (targets.length === 0) throw new Error(`No bundle named ${positionals.join(', ')}`);

for (const { name, entry, outDir } of targets) {
  const started = Date.now();
  const { code, assets } = await ncc(entry, {
    minify: true,
    // Maps beside the bundles, for reading a minified stack trace (node --enable-source-maps); not loaded at start.
    sourceMap: true,
    sourceMapRegister: false,
    // Sources named from the repository root, as seen from the bundle's directory.
    sourceMapBasePrefix: `${relative(outDir, outRoot)}/`,
    license: 'licenses.txt',
    target: 'es2023',
    quiet: true,
    transpileOnly: true,
  });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'index.js'), code);
  for (const [file, { source }] of Object.entries(assets)) {
    mkdirSync(join(outDir, file, '..'), { recursive: true });
    writeFileSync(join(outDir, file), source);
  }
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  console.log(`${name}: ${(code.length / 1024).toFixed(0)} KB in ${Date.now() - started} ms`);
}
