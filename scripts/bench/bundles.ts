// Size and cold start of every action bundle: the time from `node dist/<name>/index.js` to exit,
// under Node 24, when the step stops at input validation (no network). Median of 7 runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node24 } from '../../test/kit/node24';
import { repoRoot } from '../../test/kit/runner';

const runs = 7;
const scratch = mkdtempSync(join(tmpdir(), 'conveyor-bench-'));
for (const name of readdirSync(join(repoRoot, 'dist')).sort()) {
  const bundle = join(repoRoot, 'dist', name, 'index.js');
  if (!existsSync(bundle)) continue;
  console.log(JSON.stringify({ bench: name, metric: 'bundle-size', value: Math.round(statSync(bundle).size / 1024), unit: 'KB' }));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    spawnSync(node24(), [bundle], {
      env: { PATH: process.env.PATH, RUNNER_TEMP: scratch, GITHUB_OUTPUT: join(scratch, 'out'), GITHUB_STATE: join(scratch, 'state') },
      stdio: 'ignore',
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: name,
      metric: 'cold-start-to-input-error',
      value: Math.round(times[Math.floor(runs / 2)] as number),
      unit: 'ms',
    }),
  );
}
