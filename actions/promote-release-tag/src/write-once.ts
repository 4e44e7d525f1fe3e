/**
 * A write that must happen exactly once. Octokit here never re-sends a POST or PATCH by itself: when
 * one fails without a clear answer (connection lost, timeout, 5xx) the effect may or may not have
 * happened, so we read the remote state first and only send the write again if it did not.
 */
import { backoffDelay, errorMessage, sleep, type Logger } from '@conveyor/core';

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

/** The HTTP status of an Octokit error (network failures surface as 500), if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/** Whether a failed request may still have been carried out by the server. */
export function isAmbiguous(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status === 408 || status >= 500;
}

export async function writeOnce<T>(options: WriteOnceOptions<T>): Promise<T> {
  const { what, logger, signal, attempts = 3, backoffMs = 1000 } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.write();
    } catch (error) {
      signal?.throwIfAborted();
      if (!isAmbiguous(error) && !options.reconcileAlso?.(statusOf(error))) throw error;
      logger.warning(`${what}: ${errorMessage(error)}; checking whether it took effect`);
      const outcome = await options.reconcile();
      if (outcome !== undefined) {
        logger.info(`${what}: the earlier attempt took effect; not sending it again`);
        return outcome;
      }
      if (attempt >= attempts) throw error;
      await sleep(backoffDelay(attempt - 1, backoffMs, backoffMs * 8), signal);
      logger.info(`${what}: it did not take effect; trying again (attempt ${attempt + 1} of ${attempts})`);
    }
  }
}
