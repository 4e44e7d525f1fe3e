/**
 * Child processes: always an argument array (no shell, so no quoting or injection), output captured,
 * optional stdin (passwords go there, never into arguments), and killed when the job is cancelled.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Logger } from './log';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed. */
  input?: string | Buffer;
  /** Echo output lines to this logger while the command runs (as untrusted text). */
  logger?: Logger;
  /** Called with each whole line of output (stdout and stderr) while the command runs. */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Passes a stream on in whole lines, to `logger` (echoed) and to `onLine`: pipe chunks end anywhere
 * (mid-line, mid-character), and echoing them as they come would break lines in the log.
 */
function lineEcho({ logger, onLine }: ExecOptions): { write(chunk: Buffer): void; flush(): void } {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emit = (text: string) => {
    logger?.untrusted(text);
    if (onLine) for (const line of text.split('\n')) onLine(line);
  };
  return {
    write(chunk) {
      if (!logger && !onLine) return;
      pending += decoder.write(chunk);
      const end = pending.lastIndexOf('\n');
      if (end < 0) return;
      emit(pending.slice(0, end));
      pending = pending.slice(end + 1);
    },
    flush() {
      if (!logger && !onLine) return;
      pending += decoder.end();
      if (pending) emit(pending);
      pending = '';
    },
  };
}

/** The command is not installed (not on PATH): the caller can say how to install it. */
export class CommandNotFoundError extends Error {
  override name = 'CommandNotFoundError';
  constructor(readonly command: string) {
    super(`'${command}' was not found on PATH`);
  }
}

/** Runs `command` with `args` and resolves with its exit code and output (it never rejects on a non-zero exit). */
export async function execCapture(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  // Loaded on first use: a step that runs no command (an upload without a build) saves its memory.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const stdoutEcho = lineEcho(options);
    const stderrEcho = lineEcho(options);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      stdoutEcho.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      stderrEcho.write(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new CommandNotFoundError(command));
      else reject(error);
    });
    child.on('close', (code) => {
      stdoutEcho.flush();
      stderrEcho.flush();
      resolve({
        exitCode: code ?? 1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
    child.stdin.on('error', () => undefined); // a child that exits without reading stdin is not our error
    child.stdin.end(options.input ?? '');
  });
}

/** Whether `command` can be run (e.g. `docker buildx version`). */
export async function commandWorks(command: string, args: readonly string[], options: ExecOptions = {}): Promise<boolean> {
  try {
    return (await execCapture(command, args, { ...options, logger: undefined })).exitCode === 0;
  } catch {
    return false;
  }
}
