import type { Logger } from '@conveyor/core';
import { isAmbiguous, writeOnce } from '../../actions/promote-release-tag/src/write-once';

const lines: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: (line) => lines.push(line),
  warning: (line) => lines.push(`warning: ${line}`),
  error: (line) => lines.push(`error: ${line}`),
  group: (_name, fn) => fn(),
  untrusted: (line) => lines.push(line),
};
const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

beforeEach(() => (lines.length = 0));

test('ambiguous failures: lost connections (500 from Octokit), 5xx, 408 and non-HTTP errors', () => {
  for (const status of [500, 502, 503, 504, 408]) expect(isAmbiguous(httpError(status))).toBe(true);
  expect(isAmbiguous(new Error('socket hang up'))).toBe(true);
  for (const status of [400, 401, 403, 404, 409, 422]) expect(isAmbiguous(httpError(status))).toBe(false);
});

test('a success is returned without reconciling', async () => {
  let reconciled = 0;
  const result = await writeOnce({ what: 'w', write: async () => 1, reconcile: async () => (reconciled++, 2), logger });
  expect(result).toBe(1);
  expect(reconciled).toBe(0);
});

test('after a lost reply, a write that took effect is not sent again', async () => {
  let writes = 0;
  const result = await writeOnce({
    what: 'create tag x',
    write: async () => {
      writes++;
      throw httpError(500);
    },
    reconcile: async () => 'found',
    logger,
    backoffMs: 1,
  });
  expect(result).toBe('found');
  expect(writes).toBe(1);
  expect(lines).toEqual([
    'warning: create tag x: HTTP 500; checking whether it took effect',
    'create tag x: the earlier attempt took effect; not sending it again',
  ]);
});

test('a write that did not take effect is sent again, up to the attempts', async () => {
  let writes = 0;
  const result = await writeOnce({
    what: 'w',
    write: async () => {
      if (++writes < 3) throw httpError(502);
      return 'made';
    },
    reconcile: async () => undefined,
    logger,
    backoffMs: 1,
  });
  expect(result).toBe('made');
  expect(writes).toBe(3);
  expect(lines.slice(0, 3)).toEqual([
    'warning: w: HTTP 502; checking whether it took effect',
    'w: it did not take effect',
    expect.stringMatching(/^warning: The request to w failed \(attempt 1 of 3\): HTTP 502; retrying in 0\.0 s$/),
  ]);

  writes = 0;
  await expect(
    writeOnce({
      what: 'w',
      write: async () => (writes++, Promise.reject(httpError(503))),
      reconcile: async () => undefined,
      logger,
      backoffMs: 1,
      attempts: 2,
    }),
  ).rejects.toThrow('HTTP 503');
  expect(writes).toBe(2);
});

test('a clear refusal is not retried or reconciled, unless asked to', async () => {
  let reconciled = 0;
  const reconcile = async () => (reconciled++, 'exists');
  await expect(writeOnce({ what: 'w', write: () => Promise.reject(httpError(403)), reconcile, logger })).rejects.toThrow('HTTP 403');
  expect(reconciled).toBe(0);
  const result = await writeOnce({
    what: 'w',
    write: () => Promise.reject(httpError(422)),
    reconcile,
    reconcileAlso: (status) => status === 422,
    logger,
  });
  expect(result).toBe('exists');
  // Not a warning: a concurrent run that got there first is nothing to worry about.
  expect(lines).toEqual([
    'w: refused as already there (HTTP 422); checking what is there',
    'w: already in place (made meanwhile, e.g. by a concurrent run); not sending it again',
  ]);
});

test('an error from reconcile stops at once', async () => {
  const reconcile = () => Promise.reject(new Error('on another commit'));
  await expect(writeOnce({ what: 'w', write: () => Promise.reject(httpError(500)), reconcile, logger })).rejects.toThrow(
    'on another commit',
  );
});

test('cancellation is not mistaken for a lost reply', async () => {
  const controller = new AbortController();
  controller.abort(new Error('cancelled'));
  let reconciled = 0;
  await expect(
    writeOnce({
      what: 'w',
      write: () => Promise.reject(httpError(500)),
      reconcile: async () => (reconciled++, 1),
      logger,
      signal: controller.signal,
    }),
  ).rejects.toThrow('cancelled');
  expect(reconciled).toBe(0);
});
