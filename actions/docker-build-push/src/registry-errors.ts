/**
 * Which registry failures are worth another attempt. Docker reports registry errors only as text on
 * stderr, so this reads that text: authentication and permission errors are final (retrying a wrong
 * password can lock the account), 5xx, 429 and network failures are transient.
 */
import { backoffDelay, errorMessage, sleep, type Logger } from '@conveyor/core';

export type FailureKind = 'auth' | 'transient' | 'other';

const AUTH = [
  /\bunauthorized\b/i,
  /\bdenied\b/i,
  /authentication required/i,
  /incorrect username or password/i,
  /\b40[13]\b/,
  /forbidden/i,
];
const TRANSIENT = [
  /\b50[0234]\b/,
  /\b429\b/,
  /too ?many ?requests/i,
  /service unavailable/i,
  /bad gateway/i,
  /gateway time-?out/i,
  /internal server error/i,
  /i\/o timeout/i,
  /timed? ?out/i,
  /connection reset/i,
  /connection refused/i,
  /broken pipe/i,
  /unexpected EOF/i,
  /\bEOF\b/,
  /TLS handshake timeout/i,
  /no such host/i,
  /temporary failure in name resolution/i,
];

/** Classifies docker's error output. */
export function classifyFailure(output: string): FailureKind {
  if (AUTH.some((pattern) => pattern.test(output))) return 'auth';
  if (TRANSIENT.some((pattern) => pattern.test(output))) return 'transient';
  return 'other';
}

/** A failed docker command; `output` is its stderr (and stdout) for classification. */
export class DockerCommandError extends Error {
  override name = 'DockerCommandError';
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

export interface RetryOptions {
  /** Total attempts, at least 1. */
  attempts: number;
  /** First wait; doubles per retry (with jitter). */
  backoffMs: number;
  maxBackoffMs?: number;
  logger: Logger;
  signal?: AbortSignal;
  /** What is being tried, for the log ("push of x:1"). */
  what: string;
}

/** Runs `attempt` until it succeeds, fails with a non-transient error, or the attempts run out. */
export async function retryTransient<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let number = 1; ; number++) {
    try {
      return await attempt();
    } catch (error) {
      const transient = error instanceof DockerCommandError && classifyFailure(error.output) === 'transient';
      if (!transient || number >= options.attempts || options.signal?.aborted) throw error;
      const delay = backoffDelay(number - 1, options.backoffMs, options.maxBackoffMs ?? 30_000);
      options.logger.warning(
        `The ${options.what} failed (attempt ${number} of ${options.attempts}): ${errorMessage(error)}; retrying in ${(delay / 1000).toFixed(1)} s`,
      );
      await sleep(delay, options.signal);
    }
  }
}
