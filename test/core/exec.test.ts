import { CommandNotFoundError, commandWorks, execCapture } from '@conveyor/core';
import { recordingLogger } from '../kit/logger';

describe('execCapture', () => {
  test('arguments are passed as they are: no shell expands or splits them', async () => {
    const result = await execCapture('printf', ['%s|', 'a b', '$HOME', '; echo injected']);
    expect(result).toEqual({ exitCode: 0, stdout: 'a b|$HOME|; echo injected|', stderr: '' });
  });

  test('stdin carries the input (how passwords are handed over)', async () => {
    const result = await execCapture('cat', [], { input: 'hunter2' });
    expect(result.stdout).toBe('hunter2');
  });

  test('a non-zero exit resolves with the code and stderr', async () => {
    const result = await execCapture('sh', ['-c', 'echo oops >&2; exit 3']);
    expect(result).toMatchObject({ exitCode: 3, stderr: 'oops\n' });
  });

  test('a missing command is a clear error', async () => {
    const error = await execCapture('no-such-tool-here', ['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandNotFoundError);
    expect(error).toMatchObject({ command: 'no-such-tool-here', message: "'no-such-tool-here' was not found on PATH" });
    await expect(commandWorks('no-such-tool-here', [])).resolves.toBe(false);
    await expect(commandWorks('true', [])).resolves.toBe(true);
  });

  test('output is echoed to the logger as untrusted text', async () => {
    const logger = recordingLogger();
    await execCapture('echo', ['::set-output name=x::y'], { logger });
    expect(logger.lines).toEqual(['::set-output name=x::y']);
  });

  test('output is echoed in whole lines, however the pipe splits it', async () => {
    const logger = recordingLogger();
    const script = "printf 'par'; sleep 0.2; printf 'tial\\nnext\\n\\342\\202'; sleep 0.2; printf '\\254 end'";
    await execCapture('sh', ['-c', script], { logger });
    expect(logger.lines).toEqual(['partial\nnext', '€ end']);
  });

  test('onLine hears each whole line of stdout and stderr, with or without an echo', async () => {
    const lines: string[] = [];
    const script = "printf 'one\\ntw'; sleep 0.1; printf 'o\\n'; printf 'three' >&2";
    await execCapture('sh', ['-c', script], { onLine: (line) => lines.push(line) });
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  test('an aborted signal kills the child at once', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await expect(execCapture('sleep', ['30'], { signal: controller.signal })).rejects.toThrow(/abort/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
