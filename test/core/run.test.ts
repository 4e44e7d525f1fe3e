import { afterEach, beforeEach } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineAction, inputError, type SummaryBuilder } from '@conveyor/core';
import { recordingLogger } from '../kit/logger';
import { parseFileCommand, tempDir } from '../kit/runner';

interface Inputs {
  count: number;
}
interface Result {
  done: number;
  label?: string;
}

/** An action whose run counts to `count` and fails at 3; its input is invalid when negative. */
function counter(count: number) {
  const calls: string[] = [];
  const run = defineAction<Inputs, Result, 'done' | 'label'>({
    getInputs: () => {
      calls.push('getInputs');
      if (count < 0) throw inputError('count', `${count} is negative`, 'Give 0 or more');
      return { count };
    },
    newResult: () => ({ done: 0 }),
    run: async (inputs, result) => {
      calls.push('run');
      for (let i = 0; i < inputs.count; i++) {
        if (result.done === 3) throw new Error('three is too many');
        result.done++;
        await Promise.resolve();
      }
      result.label = 'finished';
    },
    outputs: (result) => ({ done: result.done, label: result.label }),
    writeSummary: (summary: SummaryBuilder, result, inputs, failure) => {
      calls.push(`summary ${failure ?? 'ok'}`);
      summary.paragraph(`${result.done} of ${inputs.count}`);
    },
  });
  return { run, calls };
}

describe('defineAction', () => {
  // One directory for all: @actions/core remembers the summary file's path from its first write.
  const dir = tempDir('conveyor-define-');
  const saved = { ...process.env };

  beforeEach(() => {
    process.env.GITHUB_OUTPUT = join(dir, 'output');
    process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary');
    process.env.GITHUB_STATE = join(dir, 'state');
    // The runner creates the file-command files before the step starts.
    for (const file of ['output', 'summary', 'state']) writeFileSync(join(dir, file), '');
  });
  afterEach(() => {
    process.env = { ...saved };
    process.exitCode = undefined;
  });

  const outputs = () => parseFileCommand(readFileSync(join(dir, 'output'), 'utf8'));
  const summary = () => readFileSync(join(dir, 'summary'), 'utf8');

  test('on success every output comes from the result record, and the summary is written once', async () => {
    const { run, calls } = counter(2);
    await run({ logger: recordingLogger(), exit: false });
    expect(calls).toEqual(['getInputs', 'run', 'summary ok']);
    expect(outputs()).toEqual({ done: '2', label: 'finished' });
    expect(summary()).toBe('2 of 2\n');
    expect(process.exitCode).toBeUndefined();
  });

  test('on failure the outputs say what is known, unknown ones empty, and the summary gets the failure line', async () => {
    const { run, calls } = counter(5);
    await run({ logger: recordingLogger(), exit: false });
    expect(calls).toEqual(['getInputs', 'run', 'summary three is too many']);
    expect(outputs()).toEqual({ done: '3', label: '' });
    expect(summary()).toBe('3 of 5\n');
    expect(process.exitCode).toBe(1);
  });

  test('an input error stops before the run: no outputs, no summary', async () => {
    const { run, calls } = counter(-1);
    await run({ logger: recordingLogger(), exit: false });
    expect(calls).toEqual(['getInputs']);
    expect(outputs()).toEqual({});
    expect(summary()).toBe('');
    expect(process.exitCode).toBe(1);
  });

  test('the entry point carries its definition', () => {
    const { run } = counter(1);
    expect(Object.keys(run.definition).sort()).toEqual(['getInputs', 'newResult', 'outputs', 'run', 'writeSummary']);
  });
});
