// The runner emulation and the core wrapper, proven on the committed fixture action bundle.
import { readFileSync } from 'node:fs';
import { inputVariable, parseFileCommand, resolveExpression, runBundle, startBundle } from '../kit/runner';

const action = 'test/fixtures/fixture-action';
const token = 'ghs_secretToken_for_fixture_1234';

describe('runner emulation with the fixture action', () => {
  test('inputs, action.yml defaults, outputs, summary, state and the post step', async () => {
    const result = await runBundle({
      action,
      inputs: { shout: true, items: 'a\nb, c' },
      github: { token, repository: 'views3/ingester', sha: 'abc123' },
    });
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      message: 'HELLO',
      items: '["a","b","c"]',
      context: '{"repository":"views3/ingester","sha":"abc123"}',
    });
    expect(result.summary).toContain('| **message** | HELLO |');
    expect(result.state).toMatchObject({ greeted: 'HELLO', isPost: 'true' });
    expect(result.post?.exitCode).toBe(0);
    expect(result.post?.log).toContain('post step saw state greeted=HELLO');
  });

  test('the default ${{ github.token }} is masked in the log', async () => {
    const result = await runBundle({ action, github: { token } });
    expect(result.log).toContain('token is ***');
    expect(result.log).not.toContain(token);
    expect(result.rawLog).toContain(`::add-mask::${token}`);
  });

  test('remote text cannot inject a workflow command', async () => {
    const result = await runBundle({ action });
    expect(result.outputs).not.toHaveProperty('injected');
    expect(result.log).toMatch(/set-output name=injected::yes/);
  });

  test('a configuration error is one line without a stack, and the summary is still written', async () => {
    const result = await runBundle({ action, inputs: { mode: 'config-error' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(["Input 'mode': asked to fail"]);
    expect(result.log).not.toMatch(/at .*\.js:\d+/);
    expect(result.summary).toContain('## Fixture');
    expect(result.outputs.message).toBe('hello');
  });

  test('an invalid input fails naming the input, before any output is set', async () => {
    const result = await runBundle({ action, inputs: { shout: 'yes' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(["Input 'shout': 'yes' is not a boolean. Use true or false"]);
    expect(result.outputs).toEqual({});
  });

  test('an unexpected error is folded onto one line', async () => {
    const result = await runBundle({ action, inputs: { mode: 'crash' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['unexpected multi-line failure']);
  });

  test('SIGINT aborts the wait, runs the cleanup once and exits promptly with a failure', async () => {
    const step = startBundle({ action, inputs: { wait: '10m' } });
    await step.waitForLog(/waiting/);
    const signalled = Date.now();
    step.process.kill('SIGINT');
    const result = await step.done;
    expect(Date.now() - signalled).toBeLessThan(3000);
    expect(result.exitCode).toBe(1);
    expect(result.log.match(/cleanup ran/g)).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^Cancelled: /);
  });

  test('the process exits as soon as the step is done', async () => {
    const result = await runBundle({ action, skipPost: true });
    expect(result.durationMs).toBeLessThan(3000);
  });

  test('inputs the action does not declare are refused', async () => {
    await expect(runBundle({ action, inputs: { unknown: 'x' } })).rejects.toThrow("declares no input 'unknown'");
  });
});

describe('runner emulation helpers', () => {
  test('input variable names as the runner spells them', () => {
    expect(inputVariable('cancel-on-timeout')).toBe('INPUT_CANCEL-ON-TIMEOUT');
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT');
  });

  test('expressions in defaults', () => {
    const context = {
      token: 't',
      repository: 'o/r',
      sha: 's',
      ref: 'refs/heads/main',
      eventName: 'push',
      actor: 'a',
      apiUrl: 'u',
      serverUrl: 'v',
      runId: '1',
    };
    expect(resolveExpression('${{ github.token }}', context)).toBe('t');
    expect(resolveExpression('${{github.repository}}@${{ github.sha }}', context)).toBe('o/r@s');
    expect(() => resolveExpression('${{ secrets.X }}', context)).toThrow('cannot resolve');
  });

  test('file commands: plain lines and heredocs', () => {
    expect(parseFileCommand('a=1\nb<<EOF_1\nline 1\nline=2\nEOF_1\nc=\n')).toEqual({ a: '1', b: 'line 1\nline=2', c: '' });
    expect(() => parseFileCommand('b<<X\nno end')).toThrow('unterminated');
  });

  test('the fixture declares node24 like every action', () => {
    expect(readFileSync(`${action}/action.yml`, 'utf8')).toMatch(/using: node24/);
  });
});
