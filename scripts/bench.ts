// `npm run bench`: runs every benchmark in scripts/bench/ in turn (or those named: `npm run bench --
// bundles pypi-publish`). Each prints JSON lines; lines that carry a `goal` are the figures the
// README's performance table promises, each measured against its yardstick in the same run, and are
// printed again at the end as a readable table.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A figure with a goal: `value` against `yardstick` (measured in the same run), as `ratio` or not. */
interface GoalLine {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  yardstick?: string;
  yardstickValue?: number;
  ratio?: number;
  goal: string;
  met: boolean;
}

const dir = join(import.meta.dirname, 'bench');
const only = process.argv.slice(2);
const goals: GoalLine[] = [];
let failed = 0;

function runBench(file: string): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    console.log(line);
    try {
      const parsed = JSON.parse(line) as Partial<GoalLine>;
      if (typeof parsed.goal === 'string') goals.push(parsed as GoalLine);
    } catch {
      // Not a JSON line: a benchmark's own progress text.
    }
  });
  return new Promise((resolve) => child.on('close', resolve));
}

for (const file of readdirSync(dir)
  .filter((name) => name.endsWith('.ts'))
  .sort()) {
  if (only.length > 0 && !only.includes(file.replace(/\.ts$/, ''))) continue;
  const status = await runBench(file);
  if (status !== 0) {
    failed++;
    console.error(`bench ${file} failed with exit code ${status}`);
  }
}

if (goals.length > 0) {
  const cell = (value: number | undefined, unit = '') => (value === undefined ? '' : `${Number(value.toPrecision(4))}${unit}`);
  const rows = goals.map((line) => [
    `${line.bench}: ${line.metric}`,
    cell(line.value, ` ${line.unit}`),
    line.yardstick ? `${line.yardstick} ${cell(line.yardstickValue, ` ${line.unit}`)}` : '',
    line.ratio === undefined ? '' : `${line.ratio.toFixed(2)}×`,
    line.goal,
    line.met ? 'met' : 'MISSED',
  ]);
  const header = ['figure', 'Conveyor', 'yardstick (same run)', 'ratio', 'goal', ''];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const print = (cells: string[]) => console.log(cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join('  '));
  console.log('');
  print(header);
  for (const row of rows) print(row);
}
process.exit(failed > 0 ? 1 : 0);
