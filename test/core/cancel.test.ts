import { runInNewContext } from 'node:vm';
import { abortReason, createCancellation, sleep } from '@conveyor/core';
import { recordingLogger, type RecordingLogger } from '../kit/logger';

let logger: RecordingLogger;

describe('cancellation', () => {
  beforeEach(() => {
    logger = recordingLogger();
  });

  test('cancel aborts the signal and runs each cleanup once, however often it is called', async () => {
    const cancellation = createCancellation(logger);
    let runs = 0;
    cancellation.onCancel(() => void runs++);
    await Promise.all([cancellation.cancel('SIGINT'), cancellation.cancel('SIGTERM')]);
    await cancellation.cancel('again');
    expect(runs).toBe(1);
    expect(cancellation.signal.aborted).toBe(true);
    expect(String(cancellation.signal.reason)).toContain('SIGINT');
  });

  test('an unregistered cleanup does not run', async () => {
    const cancellation = createCancellation(logger);
    let runs = 0;
    const unregister = cancellation.onCancel(() => void runs++);
    unregister();
    await cancellation.cancel('test');
    expect(runs).toBe(0);
  });

  test('a hanging cleanup is abandoned after its bound; the others still run', async () => {
    const cancellation = createCancellation(logger, 100);
    let finished = false;
    cancellation.onCancel(() => new Promise<void>(() => undefined));
    cancellation.onCancel(async () => {
      finished = true;
    });
    const started = Date.now();
    await cancellation.cancel('test');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(finished).toBe(true);
    expect(logger.warnings).toContain('A cleanup did not finish within 100 ms; leaving it');
  });

  test('a failing cleanup is reported, not thrown', async () => {
    const cancellation = createCancellation(logger);
    cancellation.onCancel(() => {
      throw new Error('remote cancel refused');
    });
    await cancellation.cancel('test');
    expect(logger.warnings).toContain('Cleanup failed: remote cancel refused');
  });

  test('sleep resolves after the delay and rejects at once on abort', async () => {
    await expect(sleep(10)).resolves.toBeUndefined();
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('cancelled')), 20);
    await expect(sleep(10_000, controller.signal)).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('abortReason', () => {
  test('keeps an error from another realm (as a timeout reason can be) as it is, and wraps a reason that is no error', () => {
    const foreign = runInNewContext('const e = new Error("The operation was aborted due to timeout"); e.name = "TimeoutError"; e') as Error;
    expect(foreign instanceof Error).toBe(false);
    expect(abortReason(AbortSignal.abort(foreign))).toBe(foreign);
    const wrapped = abortReason(AbortSignal.abort('gone'));
    expect(wrapped).toBeInstanceOf(Error);
    expect(wrapped.message).toBe('gone');
  });
});
