/**
 * The Docker CLI wrapper against a scripted `docker` on PATH: retries, timeouts, auth errors and
 * what is passed on stdin. (The real engine is exercised by the end-to-end tests.)
 */
import { ConfigurationError } from '@conveyor/core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerCli } from '../../actions/docker-build-push/src/docker';
import { recordingLogger } from '../kit/logger';
import { fakeDocker, type FakeDocker } from './fake-docker';
import { fakeProgressClock } from './fake-progress-clock';

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

/** The directory of a fake docker (where its script can leave and find marker files). */
const dirOf = (docker: FakeDocker) => (docker.env.PATH as string).split(':')[0] as string;

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('pushAll: every reference in turn with its digest; the first refusal stops the rest', async () => {
  const docker = fakeDocker(
    [
      'case "$2" in *:bad) echo "denied: requested access to the resource is denied" >&2; exit 1;; esac',
      'case "$2" in *:latest) d=c;; *) d=b;; esac',
      'echo "${2##*:}: digest: sha256:$(printf "%064d" 0 | tr 0 $d) size: 942"',
    ].join('\n'),
  );
  const pushed: Array<[string, string]> = [];
  const cli = new DockerCli({ env: docker.env, logger: recordingLogger(), attempts: 3, backoffMs: 1 });
  await cli.pushAll(['r.example/app:1.0', 'r.example/app:latest', 'r.example/other:1.0'], (reference, pushedDigest) =>
    pushed.push([reference, pushedDigest]),
  );
  expect(pushed).toEqual([
    ['r.example/app:1.0', digest],
    ['r.example/app:latest', `sha256:${'c'.repeat(64)}`],
    ['r.example/other:1.0', digest],
  ]);
  expect(docker.calls()).toEqual(['push r.example/app:1.0', 'push r.example/app:latest', 'push r.example/other:1.0']);

  const done: string[] = [];
  await expect(
    cli.pushAll(['r.example/app:1.0', 'r.example/app:bad', 'r.example/next:1.0'], (reference) => done.push(reference)),
  ).rejects.toThrow(/^The registry refused the push of r\.example\/app:bad: denied/);
  expect(done).toEqual(['r.example/app:1.0']);
  expect(docker.calls().slice(3)).toEqual(['push r.example/app:1.0', 'push r.example/app:bad']);
});

test('a push that takes long logs its progress every 10 s, from the lines docker printed so far', async () => {
  const docker = fakeDocker(
    [
      'echo "The push refers to repository [r.example/app]"',
      'echo "3f4e5d6c7b8a: Preparing"',
      'echo "0a1b2c3d4e5f: Preparing"',
      'echo "0a1b2c3d4e5f: Layer already exists"',
      'while [ ! -f "$(dirname "$0")/go" ]; do sleep 0.02; done',
      'echo "3f4e5d6c7b8a: Pushed"',
      `echo "1.0: digest: ${digest} size: 942"`,
    ].join('\n'),
  );
  const clock = fakeProgressClock();
  const logger = recordingLogger();
  const push = new DockerCli({ env: docker.env, logger, attempts: 1, clock }).pushAll(['r.example/app:1.0'], () => undefined);
  await waitFor(() => logger.lines.join('\n').includes('0a1b2c3d4e5f: Layer already exists'));
  clock.advance(5_000);
  expect(logger.lines.filter((line) => line.startsWith('Pushing'))).toEqual([]);
  clock.advance(5_000);
  expect(logger.lines.at(-1)).toBe('Pushing for 10s: 0 of 1 tags pushed, 1 of 2 layers in the registry (0 uploaded, 1 already there)');
  writeFileSync(join(dirOf(docker), 'go'), '');
  await push;
  expect(clock.running()).toBe(0);
  expect(logger.lines.filter((line) => line.startsWith('Pushing'))).toHaveLength(1);
});

test('a build that takes long logs its progress every 10 s with the current step', async () => {
  const docker = fakeDocker(
    ['echo "Step 1/3 : FROM base"', 'echo "Step 2/3 : RUN make"', 'while [ ! -f "$(dirname "$0")/go" ]; do sleep 0.02; done'].join('\n'),
  );
  const clock = fakeProgressClock();
  const logger = recordingLogger();
  const build = new DockerCli({ env: docker.env, logger, attempts: 1, clock }).build(['build', '--', '.']);
  await waitFor(() => logger.lines.join('\n').includes('Step 2/3 : RUN make'));
  clock.advance(10_000);
  clock.advance(10_000);
  expect(logger.lines.slice(-2)).toEqual(['Building for 10s: step 2/3', 'Building for 20s: step 2/3']);
  writeFileSync(join(dirOf(docker), 'go'), '');
  await build;
  expect(clock.running()).toBe(0);
});
