import { jest } from '@jest/globals';
import { retry, type RetryOptions } from '@conveyor/core';
import { recordingLogger } from '../kit/logger';
import { classifyFailure, DockerCommandError, isTransient } from '../../actions/docker-build-push/src/registry-errors';
import { pushedDigest } from '../../actions/docker-build-push/src/docker';

describe('registry failure classification', () => {
  test.each([
    ['received unexpected HTTP status: 503 Service Unavailable', 'transient'],
    ['received unexpected HTTP status: 502 Bad Gateway', 'transient'],
    ['received unexpected HTTP status: 500 Internal Server Error', 'transient'],
    ['toomanyrequests: You have reached your pull rate limit', 'transient'],
    ['429 Too Many Requests', 'transient'],
    ['net/http: TLS handshake timeout', 'transient'],
    ['dial tcp 10.0.0.1:443: i/o timeout', 'transient'],
    ['read tcp 10.0.0.2:5000: read: connection reset by peer', 'transient'],
    ['Put "https://r/v2/x/blobs/uploads/": EOF', 'transient'],
    ['dial tcp: lookup registry.example on 127.0.0.53:53: no such host', 'transient'],
    ['unauthorized: authentication required', 'auth'],
    ['denied: requested access to the resource is denied', 'auth'],
    ['Error response from daemon: login attempt to http://r/v2/ failed with status: 401 Unauthorized', 'auth'],
    ['unknown: 403 Forbidden', 'auth'],
    ['Error response from daemon: Get "https://r/v2/": unauthorized: incorrect username or password', 'auth'],
    ['tag invalid: The image tag already exists and cannot be overwritten because the repository is immutable', 'other'],
    ['name unknown: The repository with name x does not exist', 'other'],
  ])('%s → %s', (output, kind) => {
    expect(classifyFailure(output)).toBe(kind);
  });
});

// Docker's retry policy: core's retry with isTransient.
describe('retry with isTransient', () => {
  const options = { attempts: 3, backoffMs: 1, what: 'push of x:1', isRetryable: isTransient };
  const retryDocker = <T>(attempt: () => Promise<T>, extra: Omit<RetryOptions, keyof typeof options>) =>
    retry(attempt, { ...options, ...extra });

  test('retries transient failures up to the bound, then throws the last', async () => {
    const logger = recordingLogger();
    const attempt = jest.fn(async () => {
      throw new DockerCommandError('docker push failed', '503 Service Unavailable');
    });
    await expect(retryDocker(attempt, { logger })).rejects.toThrow('docker push failed');
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[0]).toMatch(/^The push of x:1 failed \(attempt 1 of 3\): docker push failed; retrying in \d+\.\d s$/);
  });

  test('succeeds after transient failures', async () => {
    let calls = 0;
    const result = await retryDocker(
      async () => {
        if (++calls < 3) throw new DockerCommandError('failed', 'connection reset by peer');
        return 'sha256:abc';
      },
      { logger: recordingLogger() },
    );
    expect(result).toBe('sha256:abc');
    expect(calls).toBe(3);
  });

  test('never retries an auth failure or an unexpected error', async () => {
    for (const error of [new DockerCommandError('denied', 'unauthorized: authentication required'), new Error('503 but not from docker')]) {
      const attempt = jest.fn(async () => {
        throw error;
      });
      await expect(retryDocker(attempt, { logger: recordingLogger() })).rejects.toBe(error);
      expect(attempt).toHaveBeenCalledTimes(1);
    }
  });

  test('stops waiting when cancelled', async () => {
    const controller = new AbortController();
    const attempt = jest.fn(async () => {
      controller.abort(new Error('job cancelled'));
      throw new DockerCommandError('failed', '502 Bad Gateway');
    });
    await expect(retry(attempt, { ...options, backoffMs: 60_000, logger: recordingLogger(), signal: controller.signal })).rejects.toThrow(
      'job cancelled',
    );
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});

test('the digest docker push reports', () => {
  const output = 'The push refers to repository [r/app]\nabc: Pushed\n1.0: digest: sha256:' + 'a'.repeat(64) + ' size: 942\n';
  expect(pushedDigest(output)).toBe(`sha256:${'a'.repeat(64)}`);
  expect(pushedDigest('no digest here')).toBeUndefined();
});
