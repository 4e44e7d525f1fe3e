// The bundles this repository ships: every action, and the test fixture action.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** [{ name, entry, outDir }] for each action and fixture with a src/index.ts. */
export function bundleTargets(outRoot = root) {
  const targets = [];
  for (const [sourceDir, outDirOf] of [
    ['actions', (name) => join(outRoot, 'dist', name)],
    ['test/fixtures', (name) => join(outRoot, 'test/fixtures', name, 'dist')],
  ]) {
    for (const name of readdirSync(join(root, sourceDir)).sort()) {
      const entry = join(root, sourceDir, name, 'src/index.ts');
      if (existsSync(entry)) targets.push({ name, entry, outDir: outDirOf(name) });
    }
  }
  return targets;
}
