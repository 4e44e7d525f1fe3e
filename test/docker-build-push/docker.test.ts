/**
 * The Docker CLI wrapper against a scripted `docker` on PATH: retries, timeouts, auth errors and
 * what is passed on stdin. (The real engine is exercised by the end-to-end tests.)
 */
import { ConfigurationError } from '@conveyor/core';
import { DockerCli } from '../../actions/docker-build-push/src/docker';
import { recordingLogger } from '../kit/logger';
import { fakeDocker } from './fake-docker';

const digest = `sha256:${'b'.repeat(64)}`;

test('login sends the password on stdin, never as an argument', async () => {
  const docker = fakeDocker('echo "Login Succeeded"');
  await new DockerCli({ env: docker.env, logger: recordingLogger(), attempts: 3 }).login('r.example', 'ci', 'hunter2-password', 'Check it');
  expect(docker.calls()).toEqual(['login --username ci --password-stdin r.example']);
  expect(docker.stdin()).toBe('hunter2-password');
});

test('a refused login is a configuration error and is not retried', async () => {
  const docker = fakeDocker(
    'echo "Error response from daemon: login attempt to https://r.example/v2/ failed with status: 401 Unauthorized" >&2; exit 1',
  );
  const login = new DockerCli({ env: docker.env, logger: recordingLogger(), attempts: 3, backoffMs: 1 }).login(
    'r.example',
    'ci',
    'x',
    "Check 'username' and 'password'",
  );
  await expect(login).rejects.toBeInstanceOf(ConfigurationError);
  await expect(login).rejects.toThrow(/^Login to r\.example as 'ci' was refused: .*401 Unauthorized\. Check 'username' and 'password'$/);
  expect(docker.calls()).toHaveLength(1);
});

test('a push that fails with 502 twice is retried and returns the digest', async () => {
  const docker = fakeDocker(
    `n=$(wc -l < "$(dirname "$0")/calls"); if [ "$n" -lt 3 ]; then echo "received unexpected HTTP status: 502 Bad Gateway" >&2; exit 1; fi; echo "1.0: digest: ${digest} size: 942"`,
  );
  const logger = recordingLogger();
  expect(await new DockerCli({ env: docker.env, logger, attempts: 3, backoffMs: 1 }).push('r.example/app:1.0')).toBe(digest);
  expect(docker.calls()).toEqual(['push r.example/app:1.0', 'push r.example/app:1.0', 'push r.example/app:1.0']);
  expect(logger.warnings).toHaveLength(2);
});

test('a push refused for lack of rights is a configuration error, not retried', async () => {
  const docker = fakeDocker('echo "denied: requested access to the resource is denied" >&2; exit 1');
  const push = new DockerCli({ env: docker.env, logger: recordingLogger(), attempts: 3, backoffMs: 1 }).push('r.example/app:1.0');
  await expect(push).rejects.toThrow(/^The registry refused the push of r\.example\/app:1\.0: denied/);
  expect(docker.calls()).toHaveLength(1);
});

test('a push that hangs is stopped at the timeout and retried, within the bound', async () => {
  const docker = fakeDocker('exec sleep 30');
  const logger = recordingLogger();
  const started = Date.now();
  const push = new DockerCli({ env: docker.env, logger, attempts: 2, backoffMs: 1, pushTimeoutMs: 1000 }).push('r.example/app:1.0');
  await expect(push).rejects.toThrow('docker push timed out after 1s');
  expect(docker.calls()).toHaveLength(2);
  expect(logger.warnings[0]).toMatch(/attempt 1 of 2/);
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a successful push without a digest is an error', async () => {
  const docker = fakeDocker('echo "pushed, somehow"');
  await expect(new DockerCli({ env: docker.env, logger: recordingLogger(), attempts: 1 }).push('r.example/app:1.0')).rejects.toThrow(
    'docker push r.example/app:1.0 did not report a digest',
  );
});

test('cancellation stops a build at once', async () => {
  const docker = fakeDocker('exec sleep 30');
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('job cancelled')), 200);
  const started = Date.now();
  await expect(
    new DockerCli({ env: docker.env, logger: recordingLogger(), signal: controller.signal, attempts: 1 }).build(['build', '--', '.']),
  ).rejects.toThrow();
  expect(Date.now() - started).toBeLessThan(5000);
});

test('buildx detection', async () => {
  expect(await new DockerCli({ env: fakeDocker('exit 0').env, logger: recordingLogger(), attempts: 1 }).hasBuildx()).toBe(true);
  expect(
    await new DockerCli({ env: fakeDocker('echo "unknown command" >&2; exit 1').env, logger: recordingLogger(), attempts: 1 }).hasBuildx(),
  ).toBe(false);
});

test('buildx: a transient failure of the push at the end is retried, a failing build step is not', async () => {
  const flaky = fakeDocker(
    `n=$(wc -l < "$(dirname "$0")/calls"); if [ "$n" -lt 2 ]; then echo "ERROR: failed to solve: failed to push r.example/app:1.0: unexpected status from PUT request: 503 Service Unavailable" >&2; exit 1; fi`,
  );
  await new DockerCli({ env: flaky.env, logger: recordingLogger(), attempts: 3, backoffMs: 1 }).buildAndPush([
    'buildx',
    'build',
    '--push',
    '--',
    '.',
  ]);
  expect(flaky.calls()).toHaveLength(2);

  const broken = fakeDocker(
    'echo "ERROR: failed to solve: process \\"/bin/sh -c curl https://x\\" did not complete: 503 Service Unavailable" >&2; exit 1',
  );
  await expect(
    new DockerCli({ env: broken.env, logger: recordingLogger(), attempts: 3, backoffMs: 1 }).buildAndPush([
      'buildx',
      'build',
      '--push',
      '--',
      '.',
    ]),
  ).rejects.toThrow(/^docker buildx build failed: ERROR: failed to solve: process/);
  expect(broken.calls()).toHaveLength(1);

  const denied = fakeDocker('echo "ERROR: failed to push r.example/app:1.0: 401 Unauthorized" >&2; exit 1');
  await expect(
    new DockerCli({ env: denied.env, logger: recordingLogger(), attempts: 3, backoffMs: 1 }).buildAndPush(['buildx', 'build']),
  ).rejects.toThrow('docker buildx build failed');
  expect(denied.calls()).toHaveLength(1);
});
