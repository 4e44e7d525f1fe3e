// Size, cold start and peak memory of every action bundle under Node 24, when the step stops at
// input validation (no inputs, no network), against a bare `node -e 0` measured in the same run.
// Bundle and bare-node runs alternate so that the machine's load weighs on both alike; each figure
// is the median of its runs. Peak RSS is the kernel's high-water mark for the process (GNU time's %M).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node24 } from '../../test/kit/node24';
import { repoRoot } from '../../test/kit/runner';
import { median, round } from '../figures';

const runs = 11;
const START_GOAL = 2.1;
const RSS_GOAL_MIB = 60;
const GNU_TIME = '/usr/bin/time';

const node = node24();
const scratch = mkdtempSync(join(tmpdir(), 'conveyor-bench-'));
const env = { PATH: process.env.PATH, RUNNER_TEMP: scratch, GITHUB_OUTPUT: join(scratch, 'out'), GITHUB_STATE: join(scratch, 'state') };
const bare = ['-e', '0'];

/** Wall time of one start, in ms. */
function startTime(args: string[]): number {
  const started = process.hrtime.bigint();
  spawnSync(node, args, { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Peak RSS of one start, in MiB. */
function peakRss(args: string[]): number {
  const report = join(scratch, 'rss');
  const child = spawnSync(GNU_TIME, ['-f', '%M', '-o', report, node, ...args], { env, stdio: 'ignore' });
  if (child.error) throw new Error(`${GNU_TIME} is needed for peak RSS (Debian's time package): ${child.error.message}`);
  return Number(readFileSync(report, 'utf8').trim().split('\n').pop()) / 1024;
}

const bundles = readdirSync(join(repoRoot, 'dist'))
  .sort()
  .map((name) => ({ name, dir: join(repoRoot, 'dist', name), bundle: join(repoRoot, 'dist', name, 'index.js') }))
  .filter(({ bundle }) => existsSync(bundle));

const bareTimes: number[] = [];
const bareRss: number[] = [];
const figures = bundles.map(({ name, dir, bundle }) => {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    bareTimes.push(startTime(bare));
    times.push(startTime([bundle]));
    bareRss.push(peakRss(bare));
    rss.push(peakRss([bundle]));
  }
  const chunks = readdirSync(dir).filter((file) => file.endsWith('.js'));
  const totalKb = chunks.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0) / 1024;
  return { name, startMs: median(times), rssMib: median(rss), entryKb: statSync(bundle).size / 1024, totalKb, chunks: chunks.length };
});

const yardstickMs = median(bareTimes);
const yardstickRss = median(bareRss);
console.log(JSON.stringify({ bench: 'bare node', metric: 'cold-start', value: round(yardstickMs), unit: 'ms' }));
console.log(JSON.stringify({ bench: 'bare node', metric: 'peak-rss', value: round(yardstickRss), unit: 'MiB' }));
for (const { name, startMs, rssMib, entryKb, totalKb, chunks } of figures) {
  console.log(JSON.stringify({ bench: name, metric: 'bundle-size (index.js)', value: Math.round(entryKb), unit: 'KB' }));
  console.log(JSON.stringify({ bench: name, metric: `bundle-size (${chunks} files)`, value: Math.round(totalKb), unit: 'KB' }));
  const ratio = startMs / yardstickMs;
  console.log(
    JSON.stringify({
      bench: name,
      metric: 'cold start to the input error',
      value: round(startMs),
      unit: 'ms',
      yardstick: 'bare node -e 0',
      yardstickValue: round(yardstickMs),
      ratio: round(ratio, 2),
      goal: `≤ ${START_GOAL}× bare node`,
      met: ratio <= START_GOAL,
    }),
  );
  console.log(
    JSON.stringify({
      bench: name,
      metric: 'peak RSS at start',
      value: round(rssMib),
      unit: 'MiB',
      goal: `≤ ${RSS_GOAL_MIB} MiB`,
      met: rssMib <= RSS_GOAL_MIB,
    }),
  );
}
