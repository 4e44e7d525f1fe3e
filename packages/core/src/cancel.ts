/**
 * Cancellation. When the runner cancels a job it sends SIGINT, then SIGTERM, then kills the process
 * a few seconds later. One shared AbortSignal stops every request and wait, and the cleanups that
 * were registered (cancel the remote run, log out) run once, well inside that grace period.
 */
import { errorMessage } from './errors';
import type { Logger } from './log';

export type Cleanup = () => Promise<void> | void;

export interface Cancellation {
  /** Aborted when the job is cancelled. */
  readonly signal: AbortSignal;
  /** Registers work to do on cancellation; returns a function that unregisters it. */
  onCancel(cleanup: Cleanup): () => void;
  /** Aborts the signal and runs the registered cleanups once, each bounded by `cleanupTimeoutMs`. */
  cancel(reason: string): Promise<void>;
}

export function createCancellation(logger: Logger, cleanupTimeoutMs = 5000): Cancellation {
  const controller = new AbortController();
  const cleanups = new Set<Cleanup>();
  let cancelling: Promise<void> | undefined;

  async function runCleanups(): Promise<void> {
    const pending = [...cleanups];
    cleanups.clear();
    await Promise.all(
      pending.map(async (cleanup) => {
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warning(`A cleanup did not finish within ${cleanupTimeoutMs} ms; leaving it`);
            resolve();
          }, cleanupTimeoutMs);
        });
        try {
          await Promise.race([Promise.resolve().then(cleanup), bound]);
        } catch (error) {
          logger.warning(`Cleanup failed: ${errorMessage(error)}`);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  return {
    signal: controller.signal,
    onCancel(cleanup) {
      cleanups.add(cleanup);
      return () => cleanups.delete(cleanup);
    },
    cancel(reason) {
      cancelling ??= (async () => {
        logger.warning(`Cancelling: ${reason}`);
        controller.abort(new Error(reason));
        await runCleanups();
      })();
      return cancelling;
    },
  };
}

/** Wires SIGINT and SIGTERM to `cancellation`; returns a function that removes the handlers. */
export function cancelOnSignals(cancellation: Cancellation, onDone: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    void cancellation.cancel(`received ${signal}`).then(onDone);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/**
 * Why `signal` aborted, as an Error (a reason given as anything else is wrapped). Error-shaped
 * reasons are kept by shape, not `instanceof`: a timeout's DOMException may come from another realm.
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return isErrorShaped(reason) ? reason : new Error(String(reason));
}

function isErrorShaped(value: unknown): value is Error {
  return value instanceof Error || (typeof value === 'object' && value !== null && 'name' in value && 'message' in value);
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      if (signal) reject(abortReason(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
