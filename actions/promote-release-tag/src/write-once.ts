/**
 * A write that must happen exactly once. Octokit here never re-sends a POST or PATCH by itself: when
 * one fails without a clear answer (connection lost, timeout, 5xx) the effect may or may not have
 * happened, so we read the remote state first and only send the write again (core's `retry`, with
 * its backoff) if it did not.
 */
import { errorMessage, retry, statusOf, type Logger } from '@conveyor/core';

export interface WriteOnceOptions<T> {
  /** What is being written, for the log ("create tag release-2026.11.21-abc1234"). */
  what: string;
  write: () => Promise<T>;
  /** Reads whether the write took effect: its result if so, undefined if not. May throw to stop. */
  reconcile: () => Promise<T | undefined>;
  /** Failures besides the ambiguous ones after which `reconcile` decides (a 422 "already exists"). */
  reconcileAlso?: (status: number | undefined) => boolean;
  logger: Logger;
  signal?: AbortSignal;
  /** Attempts in all (default 3). */
  attempts?: number;
  backoffMs?: number;
}

/** Whether a failed request may still have been carried out by the server. */
export function isAmbiguous(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status === 408 || status >= 500;
}

/** A write that failed and, as its reconciliation showed, did not take effect: safe to send again. */
class NotWritten extends Error {
  constructor(readonly failure: unknown) {
    super(errorMessage(failure));
  }
}

export async function writeOnce<T>(options: WriteOnceOptions<T>): Promise<T> {
  const { what, logger, signal, attempts = 3, backoffMs = 1000 } = options;
  const attempt = async (): Promise<T> => {
    try {
      return await options.write();
    } catch (error) {
      signal?.throwIfAborted();
      const ambiguous = isAmbiguous(error);
      if (!ambiguous && !options.reconcileAlso?.(statusOf(error))) throw error;
      // A refusal like "already exists" is expected when a concurrent run got there first: no warning.
      if (ambiguous) logger.warning(`${what}: ${errorMessage(error)}; checking whether it took effect`);
      else logger.info(`${what}: refused as already there (HTTP ${statusOf(error)}); checking what is there`);
      const outcome = await options.reconcile();
      if (outcome === undefined) {
        logger.info(`${what}: it did not take effect`);
        throw new NotWritten(error);
      }
      logger.info(
        ambiguous
          ? `${what}: the earlier attempt took effect; not sending it again`
          : `${what}: already in place (made meanwhile, e.g. by a concurrent run); not sending it again`,
      );
      return outcome;
    }
  };
  return retry(attempt, {
    attempts,
    isRetryable: (error) => error instanceof NotWritten,
    what: `request to ${what}`,
    logger,
    signal,
    backoffMs,
    maxBackoffMs: backoffMs * 8,
  }).catch((error: unknown) => {
    throw error instanceof NotWritten ? error.failure : error;
  });
}
