/**
 * Retry: run an operation again after a failure the caller knows to be safe to repeat, with
 * exponential backoff and jitter, never past cancellation. HTTP requests retry inside HttpClient
 * and Octokit; this is for the rest (a docker push, a write reconciled first, a token exchange).
 */
import { sleep } from './cancel';
import { errorMessage } from './errors';
import { backoffDelay } from './http';
import type { Logger } from './log';

export interface RetryOptions {
  /** Attempts in all, at least 1. */
  attempts: number;
  /** Whether the failure may be tried again (the attempts left permitting). */
  isRetryable: (error: unknown) => boolean;
  /** What is being tried, for the log ("push of app:1.2.3"). */
  what: string;
  logger: Logger;
  signal?: AbortSignal;
  /** First wait (default 1 s); doubles per retry up to `maxBackoffMs` (default 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
}

/** Calls `operation` (given the attempt number, from 1) until it succeeds or may not be retried. */
export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, what, logger, signal, backoffMs = 1000, maxBackoffMs = 30_000 } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      signal?.throwIfAborted();
      if (attempt >= attempts || !options.isRetryable(error)) throw error;
      const delay = backoffDelay(attempt - 1, backoffMs, maxBackoffMs);
      logger.warning(
        `The ${what} failed (attempt ${attempt} of ${attempts}): ${errorMessage(error)}; retrying in ${(delay / 1000).toFixed(1)} s`,
      );
      await sleep(delay, signal);
    }
  }
}
