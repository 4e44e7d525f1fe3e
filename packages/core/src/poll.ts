/**
 * Polling: wait for a remote thing to reach a terminal state. The interval starts short (a quick run
 * is noticed quickly), grows ×1.5 up to a cap (a long run does not burn rate limit), never sleeps past
 * the deadline, stops at once on cancellation, and logs a heartbeat at most every 30 s. A long wait
 * can ride out a few transient failures in a row (a gateway restarting while the run goes on).
 */
import { sleep } from './cancel';
import { TimeoutError } from './errors';
import { isTransient } from './http';
import type { Logger } from './log';

/** Transient failures in a row a wait rides out unless told otherwise: a few minutes of an outage. */
const TRANSIENT_FAILURES_IN_A_ROW = 5;

export interface PollOptions<T> {
  /** Returns the value once it is terminal, or undefined to keep waiting. */
  check: () => Promise<T | undefined>;
  /** First wait, in ms. */
  intervalMs: number;
  /** Largest wait, in ms. */
  maxIntervalMs: number;
  /** Growth factor per poll (default 1.5). */
  factor?: number;
  /** Overall bound, in ms, measured from the call. */
  timeoutMs: number;
  signal?: AbortSignal;
  logger?: Logger;
  /** The heartbeat line; called at most every `heartbeatMs`. */
  heartbeat?: (elapsedMs: number) => string;
  heartbeatMs?: number;
  /** What the TimeoutError says (default: "Timed out after N s"). */
  timeoutMessage?: (elapsedMs: number) => string;
  /**
   * Checks failing with a transient error (`isTransient`: each already retried by the client) that
   * are waited through, in a row (default 5), each logged as a warning; one more ends the wait with
   * that error.
   */
  transientFailures?: { inARow?: number; warning: (error: unknown) => string };
  /** Clock and sleep, replaceable so tests can compress time. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Calls `check` until it returns a value; throws TimeoutError at the deadline. */
export async function poll<T>(options: PollOptions<T>): Promise<T> {
  const { check, factor = 1.5, heartbeatMs = 30_000, now = Date.now, sleep: wait = sleep } = options;
  const start = now();
  const deadline = start + options.timeoutMs;
  let interval = options.intervalMs;
  let lastHeartbeat = start;
  let failuresInARow = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    let value: T | undefined;
    try {
      value = await check();
      failuresInARow = 0;
    } catch (error) {
      options.signal?.throwIfAborted();
      const tolerated = options.transientFailures;
      if (!tolerated || !isTransient(error) || ++failuresInARow > (tolerated.inARow ?? TRANSIENT_FAILURES_IN_A_ROW)) throw error;
      options.logger?.warning(tolerated.warning(error));
    }
    if (value !== undefined) return value;
    const current = now();
    if (current >= deadline) {
      const elapsed = current - start;
      throw new TimeoutError(options.timeoutMessage?.(elapsed) ?? `Timed out after ${Math.round(elapsed / 1000)} s`);
    }
    if (options.heartbeat && current - lastHeartbeat >= heartbeatMs) {
      options.logger?.info(options.heartbeat(current - start));
      lastHeartbeat = current;
    }
    await wait(Math.min(interval, deadline - current), options.signal);
    interval = Math.min(interval * factor, options.maxIntervalMs);
  }
}
