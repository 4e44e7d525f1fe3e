/**
 * Child processes: always an argument array (no shell, so no quoting or injection), output captured,
 * optional stdin (passwords go there, never into arguments), and killed when the job is cancelled.
 */
import { spawn } from 'node:child_process';
import type { Logger } from './log';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed. */
  input?: string | Buffer;
  /** Echo output lines to this logger while the command runs (as untrusted text). */
  logger?: Logger;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` with `args` and resolves with its exit code and output (it never rejects on a non-zero exit). */
export function execCapture(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const echo = (chunk: Buffer) => options.logger?.untrusted(chunk.toString('utf8').replace(/\n$/, ''));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      echo(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      echo(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new Error(`'${command}' was not found on PATH`));
      else reject(error);
    });
    child.on('close', (code) =>
      resolve({
        exitCode: code ?? 1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
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
