// Core writes the runner's side of a step itself (so a start does not load @actions/core's HTTP
// client): every call must produce exactly what @actions/core's produces, on stdout and in the
// environment files, with the runner's files present and without them.
import * as actionsCore from '@actions/core';
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as runner from '../../packages/core/src/workflow-commands';

type Writer = typeof runner;

const awkward = 'a%b\r\nc:d,e\nghadelimiter::x';

async function script(w: Writer): Promise<void> {
  w.info('plain line');
  w.debug(awkward);
  w.warning(awkward);
  w.error('one\ntwo');
  w.setSecret('s3cr%t\nline');
  w.setOutput('name', awkward);
  w.setOutput('count', 3);
  w.setOutput('flag', false);
  w.saveState('isPost', 'true');
  w.saveState('multi', 'x\ny');
  await w.group('a group: with, commas', () => Promise.resolve(w.info('inside')));
  w.setFailed('it failed: 100%');
}

const reference: Writer = {
  ...runner,
  getInput: (name) => actionsCore.getInput(name),
  debug: (message) => actionsCore.debug(message),
  info: (message) => actionsCore.info(message),
  warning: (message) => actionsCore.warning(message),
  error: (message) => actionsCore.error(message),
  setSecret: (secret) => actionsCore.setSecret(secret),
  setOutput: (name, value) => actionsCore.setOutput(name, value),
  saveState: (name, value) => actionsCore.saveState(name, value),
  getState: (name) => actionsCore.getState(name),
  setFailed: (message) => actionsCore.setFailed(message),
  group: (name, fn) => actionsCore.group(name, fn),
  appendSummary: async (markdown) => {
    await actionsCore.summary.addRaw(markdown).write();
  },
};

const saved = { ...process.env };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'workflow-commands-'));
});

afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
  jest.restoreAllMocks();
});

/** What `w` writes: stdout, each environment file (delimiters made comparable) and the exit code. */
async function record(w: Writer, withFiles: boolean) {
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STATE: join(dir, 'state') };
  for (const [name, path] of Object.entries(files)) {
    if (withFiles) {
      writeFileSync(path, '');
      process.env[name] = path;
    } else {
      delete process.env[name];
    }
  }
  let stdout = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  await script(w);
  const exitCode = process.exitCode;
  jest.restoreAllMocks();
  const read = (path: string) => (withFiles ? readFileSync(path, 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIMITER') : '');
  return { stdout, output: read(files.GITHUB_OUTPUT), state: read(files.GITHUB_STATE), exitCode };
}

test.each([true, false])('commands and environment files match @actions/core (runner files present: %s)', async (withFiles) => {
  const ours = await record(runner, withFiles);
  const theirs = await record(reference, withFiles);
  expect(ours).toEqual(theirs);
  expect(ours.exitCode).toBe(1);
  if (withFiles) expect(ours.output).toContain('name<<DELIMITER\na%b\r\nc:d,e\nghadelimiter::x\nDELIMITER\n');
  else expect(ours.stdout).toContain('::set-output name=name::a%25b%0D%0Ac:d,e%0Aghadelimiter::x');
});

test('inputs and state are read as @actions/core reads them', () => {
  process.env.INPUT_MY_INPUT = '  value \n';
  process.env['INPUT_OTHER-NAME'] = 'x';
  process.env.STATE_isPost = 'true';
  for (const name of ['my input', 'My Input', 'other-name', 'missing']) expect(runner.getInput(name)).toBe(actionsCore.getInput(name));
  expect(runner.getInput('my input')).toBe('value');
  expect(runner.getState('isPost')).toBe('true');
  expect(runner.getState('absent')).toBe('');
});

test('the summary is appended as @actions/core appends it, and a missing file is an error', async () => {
  const path = join(dir, 'summary');
  writeFileSync(path, 'before\n');
  process.env.GITHUB_STEP_SUMMARY = path;
  await runner.appendSummary('| a |\n');
  await reference.appendSummary('| a |\n');
  expect(readFileSync(path, 'utf8')).toBe('before\n| a |\n| a |\n');
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'absent');
  await expect(runner.appendSummary('x')).rejects.toThrow(`Unable to access summary file: '${join(dir, 'absent')}'`);
});
