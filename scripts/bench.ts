// `npm run bench`: runs every benchmark in scripts/bench/ in turn; each prints JSON lines.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, 'bench');
const only = process.argv.slice(2);
let failed = 0;
for (const file of readdirSync(dir)
  .filter((name) => name.endsWith('.ts'))
  .sort()) {
  if (only.length > 0 && !only.includes(file.replace(/\.ts$/, ''))) continue;
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`bench ${file} failed with exit code ${result.status}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
