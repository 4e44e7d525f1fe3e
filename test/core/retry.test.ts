import { retry } from '@conveyor/core';
import { recordingLogger } from '../kit/logger';

class Transient extends Error {}

/** An operation failing with the given errors in turn, then returning 'done'. */
function failing(...errors: Error[]) {
  const attempts: number[] = [];
  const operation = (attempt: number) => {
    attempts.push(attempt);
    const error = errors.shift();
    return error ? Promise.reject(error) : Promise.resolve('done');
  };
  return { operation, attempts };
}

describe('retry', () => {
  const options = (logger = recordingLogger()) => ({
    attempts: 3,
    isRetryable: (error: unknown) => error instanceof Transient,
    what: 'push of app:1',
    logger,
    backoffMs: 5,
  });

  test('a retryable failure is tried again, numbered, with one warning per retry', async () => {
    const logger = recordingLogger();
    const { operation, attempts } = failing(new Transient('503'), new Transient('503 again'));
    await expect(retry(operation, options(logger))).resolves.toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[0]).toMatch(/^The push of app:1 failed \(attempt 1 of 3\): 503; retrying in 0\.0\d* s$/);
  });

  test('the last failure is thrown when the attempts run out', async () => {
    const last = new Transient('third');
    const { operation, attempts } = failing(new Transient('first'), new Transient('second'), last);
    await expect(retry(operation, options())).rejects.toBe(last);
    expect(attempts).toEqual([1, 2, 3]);
  });

  test('a failure that may not be retried is thrown at once', async () => {
    const definitive = new Error('unauthorized');
    const { operation, attempts } = failing(definitive);
    await expect(retry(operation, options())).rejects.toBe(definitive);
    expect(attempts).toEqual([1]);
  });

  test('cancellation ends the wait between attempts', async () => {
    const controller = new AbortController();
    const { operation, attempts } = failing(new Transient('503'));
    const pending = retry(operation, { ...options(), backoffMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('job cancelled')), 20);
    await expect(pending).rejects.toThrow('job cancelled');
    expect(attempts).toEqual([1]);
  });
});
