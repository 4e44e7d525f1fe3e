import { HttpError, poll, TimeoutError } from '@conveyor/core';
import { fakeClock } from '../kit/clock';
import { recordingLogger } from '../kit/logger';

describe('poll', () => {
  test('returns the first terminal value', async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await poll({
      check: async () => (++calls === 3 ? 'done' : undefined),
      intervalMs: 1000,
      maxIntervalMs: 5000,
      timeoutMs: 60_000,
      ...clock,
    });
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  test('the interval grows ×1.5 up to the cap', async () => {
    const clock = fakeClock();
    let calls = 0;
    await poll({
      check: async () => (++calls === 7 ? true : undefined),
      intervalMs: 1000,
      maxIntervalMs: 4000,
      timeoutMs: 600_000,
      ...clock,
    });
    expect(clock.sleeps).toEqual([1000, 1500, 2250, 3375, 4000, 4000]);
  });

  test('the deadline is never overslept and ends in a TimeoutError', async () => {
    const clock = fakeClock();
    const error = await poll({ check: async () => undefined, intervalMs: 4000, maxIntervalMs: 4000, timeoutMs: 10_000, ...clock }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('Timed out after 10 s');
    expect(clock.sleeps).toEqual([4000, 4000, 2000]);
  });

  test('a custom timeout message', async () => {
    const clock = fakeClock();
    await expect(
      poll({
        check: async () => undefined,
        intervalMs: 1000,
        maxIntervalMs: 1000,
        timeoutMs: 2000,
        timeoutMessage: (ms) => `run 42 still going after ${ms} ms`,
        ...clock,
      }),
    ).rejects.toThrow('run 42 still going after 2000 ms');
  });

  test('heartbeat lines come at most every 30 s', async () => {
    const clock = fakeClock();
    const logger = recordingLogger();
    let calls = 0;
    await poll({
      check: async () => (++calls === 40 ? true : undefined),
      intervalMs: 5000,
      maxIntervalMs: 5000,
      timeoutMs: 3_600_000,
      heartbeat: (elapsed) => `still waiting (${elapsed / 1000} s)`,
      logger,
      ...clock,
    });
    // 39 sleeps of 5 s = 195 s of waiting: a heartbeat at 30, 60, … 180 s.
    expect(logger.lines).toEqual([30, 60, 90, 120, 150, 180].map((s) => `still waiting (${s} s)`));
  });

  describe('transient failures', () => {
    const badGateway = () => new HttpError('GET', 'https://awx.example/api/v2/jobs/7/', 502, '', 'HTTP 502 Bad Gateway');
    /** A check that fails with each of `failures` in turn, then answers 'done'. */
    const failing = (failures: Error[]) => {
      let calls = 0;
      return {
        check: async () => {
          const failure = failures[calls++];
          if (failure) throw failure;
          return 'done';
        },
        calls: () => calls,
      };
    };
    const options = { intervalMs: 1000, maxIntervalMs: 1000, timeoutMs: 600_000 };

    test('up to five in a row are waited through, each a warning, at the usual interval', async () => {
      const clock = fakeClock();
      const logger = recordingLogger();
      const checks = failing([badGateway(), badGateway(), badGateway(), badGateway(), badGateway()]);
      const value = await poll({
        ...options,
        check: checks.check,
        logger,
        transientFailures: { warning: (error) => `could not read (${(error as Error).message})` },
        ...clock,
      });
      expect(value).toBe('done');
      expect(checks.calls()).toBe(6);
      expect(logger.warnings).toEqual(
        Array(5).fill('could not read (GET https://awx.example/api/v2/jobs/7/ failed: HTTP 502 Bad Gateway)'),
      );
      expect(clock.sleeps).toEqual(Array(5).fill(1000));
    });

    test('one more than allowed ends the wait with that error; a success in between starts the count again', async () => {
      const clock = fakeClock();
      const tooMany = failing([badGateway(), badGateway(), badGateway()]);
      await expect(
        poll({ ...options, check: tooMany.check, transientFailures: { inARow: 2, warning: () => 'again' }, ...clock }),
      ).rejects.toThrow('HTTP 502 Bad Gateway');
      expect(tooMany.calls()).toBe(3);

      let calls = 0;
      const outcomes = ['fail', 'fail', 'pending', 'fail', 'fail', 'done'];
      const value = await poll({
        ...options,
        check: async () => {
          const outcome = outcomes[calls++];
          if (outcome === 'fail') throw badGateway();
          return outcome === 'done' ? outcome : undefined;
        },
        transientFailures: { inARow: 2, warning: () => 'again' },
        ...fakeClock(),
      });
      expect(value).toBe('done');
    });

    test('a lasting failure (404) or an unexpected error ends the wait at once; so does any failure without the option', async () => {
      const clock = fakeClock();
      const tolerated = { warning: () => 'again' };
      const notFound = new HttpError('GET', 'https://awx.example/api/v2/jobs/7/', 404, '', 'HTTP 404 Not Found');
      await expect(poll({ ...options, check: failing([notFound]).check, transientFailures: tolerated, ...clock })).rejects.toBe(notFound);
      const bug = new TypeError('x is undefined');
      await expect(poll({ ...options, check: failing([bug]).check, transientFailures: tolerated, ...clock })).rejects.toBe(bug);
      await expect(poll({ ...options, check: failing([badGateway()]).check, ...clock })).rejects.toThrow('HTTP 502');
      expect(clock.sleeps).toEqual([]);
    });

    test('a failure after cancellation ends the wait with the cancellation, not a retry', async () => {
      const controller = new AbortController();
      const logger = recordingLogger();
      const pending = poll({
        ...options,
        check: async () => {
          controller.abort(new Error('job cancelled'));
          throw badGateway();
        },
        signal: controller.signal,
        logger,
        transientFailures: { warning: () => 'again' },
        ...fakeClock(),
      });
      await expect(pending).rejects.toThrow('job cancelled');
      expect(logger.warnings).toEqual([]);
    });
  });

  test('an aborted signal stops the wait with its reason', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = poll({
      check: async () => {
        if (++calls === 2) controller.abort(new Error('job cancelled'));
        return undefined;
      },
      intervalMs: 10,
      maxIntervalMs: 10,
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    await expect(pending).rejects.toThrow('job cancelled');
    expect(calls).toBe(2);
  });

  test('real sleeps are interrupted by the signal', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(
      poll({ check: async () => undefined, intervalMs: 10_000, maxIntervalMs: 10_000, timeoutMs: 60_000, signal: controller.signal }),
    ).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
