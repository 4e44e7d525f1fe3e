/**
 * The Docker CLI: login, build, push and logout, each a child process with an argument array.
 * Passwords go on stdin. Pushes and logins are retried on transient registry errors only. Builds
 * and pushes that take long log their progress (progress.ts).
 */
import { ConfigurationError, execCapture, formatDuration, retry, type ExecResult, type Logger } from '@conveyor/core';
import { BuildProgress, PushProgress, systemClock, withProgress, type ProgressClock } from './progress';
import { DockerCommandError, classifyFailure, isTransient } from './registry-errors';

export interface DockerCliOptions {
  /** The environment docker runs with (DOCKER_CONFIG, DOCKER_HOST, PATH). */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  signal?: AbortSignal;
  /** Attempts for login and push. */
  attempts: number;
  /** First retry delay (default 1 s). */
  backoffMs?: number;
  /** Bounds on one login and one push attempt (defaults: 1 min, 15 min). */
  loginTimeoutMs?: number;
  pushTimeoutMs?: number;
  /** For the progress lines (default: the system clock). */
  clock?: ProgressClock;
}

/** Bounds on one attempt: a registry that stops answering must not hold the job until its timeout. */
const LOGIN_TIMEOUT_MS = 60_000;
const PUSH_TIMEOUT_MS = 15 * 60_000;

const DIGEST = /: digest: (sha256:[a-f0-9]{64}) size: \d+/;

/** The digest `docker push` reports, or undefined. */
export function pushedDigest(output: string): string | undefined {
  return DIGEST.exec(output)?.[1];
}

/** The last non-empty lines of docker's output, to explain a failure in one line. */
function lastLines(result: ExecResult, count = 2): string {
  const lines = `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^(DEPRECATED|Install the buildx|https:\/\/docs\.docker\.com)/.test(line));
  return lines.slice(-count).join(' ');
}

export class DockerCli {
  constructor(private readonly options: DockerCliOptions) {}

  /**
   * Runs docker; with `timeoutMs`, a command that hangs is stopped and reported as a (transient)
   * timeout. Its output is echoed to the log (unless `echo` is false), each line also to `onLine`.
   */
  private async run(
    args: string[],
    extra: { input?: string; echo?: boolean; timeoutMs?: number; onLine?: (line: string) => void } = {},
  ): Promise<ExecResult> {
    const { env, logger, signal } = this.options;
    const signals = [...(signal ? [signal] : []), ...(extra.timeoutMs ? [AbortSignal.timeout(extra.timeoutMs)] : [])];
    try {
      return await execCapture('docker', args, {
        env,
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
        input: extra.input,
        logger: extra.echo === false ? undefined : logger,
        onLine: extra.onLine,
      });
    } catch (error) {
      if (signal?.aborted || !extra.timeoutMs || (error as Error).name !== 'AbortError') throw error;
      throw new DockerCommandError(`docker ${args[0]} timed out after ${formatDuration(extra.timeoutMs)}`, 'timed out');
    }
  }

  private retry<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    const { attempts, backoffMs, logger, signal } = this.options;
    return retry(attempt, { attempts, isRetryable: isTransient, backoffMs, logger, signal, what });
  }

  /** The same CLI with `DOCKER_CONFIG` set to `dir` (where the login goes). */
  withConfig(dir: string): DockerCli {
    return new DockerCli({ ...this.options, env: { ...this.options.env, DOCKER_CONFIG: dir } });
  }

  /** Whether the buildx plugin is installed. */
  async hasBuildx(): Promise<boolean> {
    const result = await this.run(['buildx', 'version'], { echo: false }).catch(() => undefined);
    return result?.exitCode === 0;
  }

  /** `docker login` with the password on stdin; a rejected password is a ConfigurationError ending with `fix`. */
  async login(registry: string | undefined, username: string, password: string, fix: string): Promise<void> {
    const server = registry ? [registry] : [];
    await this.retry(`login to ${registry ?? 'Docker Hub'}`, async () => {
      const result = await this.run(['login', '--username', username, '--password-stdin', ...server], {
        input: password,
        echo: false,
        timeoutMs: this.options.loginTimeoutMs ?? LOGIN_TIMEOUT_MS,
      });
      if (result.exitCode === 0) return;
      const output = `${result.stderr}\n${result.stdout}`;
      if (classifyFailure(output) === 'auth') {
        throw new ConfigurationError(`Login to ${registry ?? 'Docker Hub'} as '${username}' was refused: ${lastLines(result, 1)}. ${fix}`);
      }
      throw new DockerCommandError(`docker login failed: ${lastLines(result)}`, output);
    });
  }

  async logout(registry: string | undefined): Promise<ExecResult> {
    return this.run(['logout', ...(registry ? [registry] : [])], { echo: false });
  }

  private get clock(): ProgressClock {
    return this.options.clock ?? systemClock;
  }

  /** Runs a build's `work`, which passes docker's output lines on, logging how far the build got every 10 s. */
  private withBuildProgress<T>(work: (onLine: (line: string) => void) => Promise<T>): Promise<T> {
    const progress = new BuildProgress(() => this.clock.now());
    return withProgress(
      this.options.logger,
      this.clock,
      (elapsed) => progress.describe(elapsed),
      () => work((line) => progress.observe(line)),
    );
  }

  /** Runs a build command line (from build-args.ts), with the Dockerfile on stdin if given; output streams to the log. */
  async build(args: string[], dockerfile?: string): Promise<void> {
    const result = await this.withBuildProgress((onLine) => this.run(args, { input: dockerfile, onLine }));
    if (result.exitCode !== 0) throw new Error(`docker ${args[0] === 'buildx' ? 'buildx build' : 'build'} failed: ${lastLines(result)}`);
  }

  /**
   * Runs a `buildx build --push` line; when the push at its end fails transiently, runs it again
   * (the build itself comes from the cache). A failing build step is never retried.
   */
  async buildAndPush(args: string[]): Promise<void> {
    await this.withBuildProgress((onLine) =>
      this.retry('build and push', async () => {
        const result = await this.run(args, { onLine });
        if (result.exitCode === 0) return;
        const output = `${result.stderr}\n${result.stdout}`;
        const message = `docker buildx build failed: ${lastLines(result)}`;
        if (/failed to push/i.test(output) && classifyFailure(output) === 'transient') throw new DockerCommandError(message, output);
        throw new Error(message);
      }),
    );
  }

  /** Pushes one reference and returns the manifest digest the registry accepted; `onLine` sees docker's output. */
  async push(reference: string, onLine?: (line: string) => void): Promise<string> {
    return this.retry(`push of ${reference}`, async () => {
      const result = await this.run(['push', reference], { timeoutMs: this.options.pushTimeoutMs ?? PUSH_TIMEOUT_MS, onLine });
      const output = `${result.stderr}\n${result.stdout}`;
      if (result.exitCode !== 0) {
        if (classifyFailure(output) === 'auth') {
          throw new ConfigurationError(
            `The registry refused the push of ${reference}: ${lastLines(result, 1)}. Check the credentials and their push rights`,
          );
        }
        throw new DockerCommandError(`docker push ${reference} failed: ${lastLines(result)}`, output);
      }
      const digest = pushedDigest(result.stdout);
      if (!digest) throw new Error(`docker push ${reference} did not report a digest`);
      return digest;
    });
  }

  /**
   * Pushes every reference in turn (the first failure stops), calling `onPushed` with each digest.
   * One after another, not at once: concurrent pushes of one repository's tags made Debian's
   * docker-registry answer 500 to one of them (the end-to-end tests saw it), which costs a retry.
   */
  async pushAll(references: readonly string[], onPushed: (reference: string, digest: string) => void): Promise<void> {
    const progress = new PushProgress(references);
    await withProgress(
      this.options.logger,
      this.clock,
      (elapsed) => progress.describe(elapsed),
      async () => {
        for (const reference of references) {
          onPushed(reference, await this.push(reference, (line) => progress.observe(reference, line)));
          progress.pushed(reference);
        }
      },
    );
  }
}
