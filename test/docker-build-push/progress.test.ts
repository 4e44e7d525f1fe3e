/** Progress lines of long builds and pushes: what they say, and that they come at most every 10 s, only while the work runs. */
import { BuildProgress, PushProgress, repositoryOf, withProgress } from '../../actions/docker-build-push/src/progress';
import { recordingLogger } from '../kit/logger';
import { fakeProgressClock } from './fake-progress-clock';

test('push progress counts the layers of each repository and the tags pushed, from docker push lines without a terminal', () => {
  const app = 'r.example:5000/team/app';
  const progress = new PushProgress([`${app}:1.0`, `${app}:latest`, 'ghcr.io/team/app:1.0']);
  expect(progress.describe('10s')).toBe('Pushing for 10s: 0 of 3 tags pushed, preparing the layers');
  for (const line of [
    'The push refers to repository [r.example:5000/team/app]',
    '3f4e5d6c7b8a: Preparing',
    '0a1b2c3d4e5f: Preparing',
    '9a8b7c6d5e4f: Preparing',
    '0a1b2c3d4e5f: Waiting',
    '9a8b7c6d5e4f: Layer already exists',
    '0a1b2c3d4e5f: Mounted from team/base',
    '  3f4e5d6c7b8a: Retrying in 5 seconds',
  ])
    progress.observe(`${app}:1.0`, line);
  // The other tag's push reports the same layers: they are counted once per repository.
  progress.observe(`${app}:latest`, '3f4e5d6c7b8a: Preparing');
  expect(progress.describe('20s')).toBe('Pushing for 20s: 0 of 3 tags pushed, 2 of 3 layers in the registry (0 uploaded, 2 already there)');
  progress.observe(`${app}:latest`, '3f4e5d6c7b8a: Pushed');
  progress.observe(`${app}:1.0`, '1.0: digest: sha256:' + 'a'.repeat(64) + ' size: 942');
  progress.pushed(`${app}:1.0`);
  progress.pushed(`${app}:latest`);
  // Another repository has its own layers, even with the same ids.
  progress.observe('ghcr.io/team/app:1.0', '3f4e5d6c7b8a: Preparing');
  expect(progress.describe('1m30s')).toBe(
    'Pushing for 1m30s: 2 of 3 tags pushed, 3 of 4 layers in the registry (1 uploaded, 2 already there)',
  );
});

test("build progress names the current step of the classic builder and of buildx's plain output", () => {
  const classic = new BuildProgress();
  expect(classic.describe('10s')).toBe('Building for 10s');
  classic.observe('Step 3/7 : RUN make');
  classic.observe('make: compiling');
  expect(classic.describe('20s')).toBe('Building for 20s: step 3/7');

  const buildx = new BuildProgress();
  buildx.observe('#8 [build 2/4] RUN npm ci');
  buildx.observe('#8 12.3 added 310 packages');
  expect(buildx.describe('30s')).toBe('Building for 30s: step build 2/4');
});

test('buildx progress counts the bytes of the image it sends, not of base-image pulls, with rate and time left', () => {
  let now = 0;
  const progress = new BuildProgress(() => now);
  // buildx --progress=plain lines (github.com/moby/buildkit util/progress/progressui/printer.go: `#%d %s %.2f / %.2f %.1fs`).
  for (const line of [
    '#5 [1/2] FROM docker.io/library/alpine:3.20@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d',
    '#5 sha256:c6a83fedfae6ed8a4f5f7cbb6a7b6f1c1ec3d86fea8cb9e5ba2e3f3b1e6f8a1d 3.62MB / 3.62MB 0.4s done',
    '#6 [internal] load build context',
    '#6 transferring context: 2.10kB done',
    '#9 [2/2] RUN make',
    '#12 exporting to image',
    '#12 exporting layers 1.2s done',
    '#12 pushing layers',
  ])
    progress.observe(line);
  expect(progress.describe('10s')).toBe('Building for 10s: step 2/2');
  now = 1_000;
  progress.observe('#12 sha256:3f4e5d6c7b8a9f0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0 10.00MB / 40.00MB 1.0s');
  progress.observe('#12 pushing layer sha256:0a1b2c3d 512B / 1.00KiB');
  now = 5_000;
  progress.observe('#12 sha256:3f4e5d6c7b8a9f0e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0 20.00MB / 40.00MB 5.0s');
  // 20,000,512 of 40,001,024 bytes in 4 s since the first count: 5.0 MB/s, 4 s to go.
  expect(progress.describe('20s')).toBe('Building for 20s: 20.0 of 40.0 MB sent (5.0 MB/s, about 4s left)');
});

test('a progress line every 10 s while the work runs, none for work that ends sooner, none after it ends', async () => {
  const clock = fakeProgressClock();
  const logger = recordingLogger();
  let finish: () => void = () => undefined;
  const work = withProgress(
    logger,
    clock,
    (elapsed) => `running for ${elapsed}`,
    () => new Promise<string>((resolve) => (finish = () => resolve('done'))),
  );
  clock.advance(9_999);
  expect(logger.lines).toEqual([]);
  clock.advance(1);
  expect(logger.lines).toEqual(['running for 10s']);
  clock.advance(5_000);
  expect(logger.lines).toEqual(['running for 10s']);
  clock.advance(5_000);
  expect(logger.lines).toEqual(['running for 10s', 'running for 20s']);
  finish();
  expect(await work).toBe('done');
  expect(clock.running()).toBe(0);
  clock.advance(60_000);
  expect(logger.lines).toHaveLength(2);

  const quickClock = fakeProgressClock();
  const quiet = recordingLogger();
  await withProgress(
    quiet,
    quickClock,
    () => 'never printed',
    () => Promise.resolve(quickClock.advance(9_000)),
  );
  quickClock.advance(10_000);
  expect(quiet.lines).toEqual([]);
});

test('the repository of a reference keeps a registry port', () => {
  expect(repositoryOf('localhost:5000/app:1.0')).toBe('localhost:5000/app');
  expect(repositoryOf('ghcr.io/org/app:sha-1234567')).toBe('ghcr.io/org/app');
});
