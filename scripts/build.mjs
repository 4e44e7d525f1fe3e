// Bundles each action (and the fixture action) with ncc into one CommonJS file and the chunks it
// loads on demand, then minifies every file with esbuild, plus a package.json that declares the
// module type. Usage: node scripts/build.mjs [--out DIR] [name ...]
import ncc from '@vercel/ncc';
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    // esbuild minifies below: ncc minifies index.js only, not the chunks.
    minify: false,
    sourceMap: true,
    sourceMapRegister: false,
    // Sources named from the repository root, as seen from the bundle's directory.
    sourceMapBasePrefix: `${relative(outDir, outRoot)}/`,
    license: 'licenses.txt',
    target: 'es2023',
    quiet: true,
    transpileOnly: true,
    // No persistent cache (ncc keeps one per working directory): one left by an earlier build at
    // the same path, of other sources and options, leaked into the output (CI reuses its clone path).
    cache: false,
    // CommonJS, not ESM: the ESM loader costs each step ~0.3 MiB and a few ms at start (README, Performance).
    esm: false,
  });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'index.js'), code);
  for (const [file, { source }] of Object.entries(assets)) {
    mkdirSync(join(outDir, file, '..'), { recursive: true });
    writeFileSync(join(outDir, file), source);
  }
  // Before minifying: esbuild reads the module type from the nearest package.json.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
  await minify(outDir);
  console.log(`${name}: ${(statSync(join(outDir, 'index.js')).size / 1024).toFixed(0)} KB in ${Date.now() - started} ms`);
}

/**
 * Minifies each bundle file in place, with its map chained to ncc's (so it still names the
 * TypeScript sources; node --enable-source-maps reads it, nothing loads it at start). ASCII only:
 * V8 keeps a source with one non-ASCII character as two bytes per character, all of it.
 */
async function minify(outDir) {
  const files = readdirSync(outDir).filter((file) => file.endsWith('.js'));
  await build({
    entryPoints: files.map((file) => join(outDir, file)),
    outdir: outDir,
    allowOverwrite: true,
    minify: true,
    charset: 'ascii',
    format: 'cjs',
    platform: 'node',
    target: 'es2023',
    sourcemap: 'linked',
    // Positions only: a stack trace names the file and line; the sources are in the repository.
    sourcesContent: false,
    // Beside the file (<file>.LEGAL.txt), as written: some name their authors in non-ASCII letters.
    legalComments: 'external',
    // The same output wherever it is built: no tsconfig.json (strict would add "use strict").
    tsconfigRaw: {},
    logLevel: 'error',
  });
}
