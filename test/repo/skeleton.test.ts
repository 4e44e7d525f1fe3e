// Every action has the same four modules, in the roles core's defineAction gives them: the type
// fixes what each part receives and returns; this test fixes where each part lives.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../kit/runner';

const actions = readdirSync(join(repoRoot, 'actions'));
const source = (action: string, file: string) => readFileSync(join(repoRoot, 'actions', action, 'src', file), 'utf8');

/** Lines that are code: not blank, not comments. */
function codeLines(text: string): string[] {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('//'));
}

describe.each(actions)('%s', (action) => {
  test('src/index.ts is the two-line entry', () => {
    expect(codeLines(source(action, 'index.ts'))).toEqual(["import { run } from './main';", 'void run();']);
  });

  test('src/main.ts only wires: defineAction, at most 60 code lines, no requests or child processes of its own', () => {
    const main = source(action, 'main.ts');
    expect(main).toMatch(/^export const run = defineAction\(\{$/m);
    expect(codeLines(main).length).toBeLessThanOrEqual(60);
    expect(main).not.toMatch(/child_process|execCapture|\bfetch\(|\.request\(|\.rest\./);
  });

  test('src/inputs.ts holds the one getInputs()', () => {
    expect(source(action, 'inputs.ts')).toMatch(/^export function getInputs\(/m);
    const others = readdirSync(join(repoRoot, 'actions', action, 'src')).filter((file) => file !== 'inputs.ts');
    for (const file of others) expect(`${file}: ${source(action, file)}`).not.toMatch(/^export function getInputs\(/m);
  });

  test('src/report.ts renders the outputs and the summary, synchronously (no requests)', () => {
    const report = source(action, 'report.ts');
    expect(report).toMatch(/^export function outputs\(/m);
    expect(report).toMatch(/^export function writeSummary\(/m);
    expect(report).not.toMatch(/\basync\b|\bawait\b/);
  });
});
