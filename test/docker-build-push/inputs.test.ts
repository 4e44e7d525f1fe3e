/** docker-build-push's getInputs() in-process, with the step's INPUT_* as the runner sets them (action.yml defaults applied). */
import { jest } from '@jest/globals';
import { join } from 'node:path';
import { getInputs, type Inputs } from '../../actions/docker-build-push/src/inputs';
import { withInputs } from '../kit/inputs';
import { recordingLogger } from '../kit/logger';
import { repoRoot, type BundleOptions } from '../kit/runner';

const action = 'actions/docker-build-push';
const context = join(repoRoot, 'test/fixtures/docker-app');
const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const branchPush = {
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_SHA: sha,
  GITHUB_EVENT_PATH: '/nonexistent/event.json',
};

interface Reading {
  inputs?: Inputs;
  /** The message getInputs() threw. */
  error?: string;
  /** The `::add-mask::` values it printed. */
  masks: string[];
}

/** getInputs() for `inputs` (on a push to main unless `env` says otherwise), with what it printed captured. */
function getInputsFor(inputs: BundleOptions['inputs'], env: Record<string, string> = {}): Reading {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  const reading: Reading = { masks: [] };
  try {
    reading.inputs = withInputs(action, { context, ...inputs }, () => getInputs(recordingLogger()), { env: { ...branchPush, ...env } });
  } catch (error) {
    reading.error = (error as Error).message;
  } finally {
    spy.mockRestore();
  }
  reading.masks = writes
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length));
  return reading;
}

function read(inputs: BundleOptions['inputs'], env?: Record<string, string>): Inputs {
  const reading = getInputsFor(inputs, env);
  if (!reading.inputs) throw new Error(`getInputs() failed: ${reading.error}`);
  return reading.inputs;
}

test("action.yml's defaults: Docker Hub, the default tag rules, push on a push event, buildx if present, 3 attempts", () => {
  const inputs = read({ images: 'views3/ingester' });
  expect(inputs).toMatchObject({
    images: [{ name: 'views3/ingester', registry: 'docker.io', repository: 'views3/ingester' }],
    tags: ['main', 'sha-a1b2c3d'],
    version: 'main',
    references: ['views3/ingester:main', 'views3/ingester:sha-a1b2c3d'],
    context,
    file: join(context, 'Dockerfile'),
    target: '',
    buildArgs: [],
    labels: {},
    platforms: [],
    cacheFrom: [],
    cacheTo: [],
    noCache: false,
    pull: false,
    push: true,
    registry: undefined,
    username: '',
    password: '',
    builder: 'auto',
    attempts: 3,
  });
});

test('build arguments, labels and caches are one per line (commas kept); platforms and images split on commas too', () => {
  const inputs = read({
    images: 'ghcr.io/org/app, ghcr.io/org/mirror',
    'build-args': 'NOTE=a,b c\nVERSION=1',
    labels: 'com.example.list=x,y',
    'cache-from': 'type=registry,ref=ghcr.io/org/app:cache',
    platforms: 'linux/amd64,linux/arm64',
  });
  expect(inputs.images.map((image) => image.name)).toEqual(['ghcr.io/org/app', 'ghcr.io/org/mirror']);
  expect(inputs.buildArgs).toEqual(['NOTE=a,b c', 'VERSION=1']);
  expect(inputs.labels).toEqual({ 'com.example.list': 'x,y' });
  expect(inputs.cacheFrom).toEqual(['type=registry,ref=ghcr.io/org/app:cache']);
  expect(inputs.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  expect(inputs.registry).toBe('ghcr.io');
});

test("a pull request builds without pushing under push: auto; 'registry' is normalised", () => {
  const inputs = read(
    { images: 'org/app', registry: 'https://Registry.Example.com/' },
    { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' },
  );
  expect(inputs.push).toBe(false);
  expect(inputs.tags).toEqual(['pr-7', 'sha-a1b2c3d']);
  expect(inputs.registry).toBe('registry.example.com');
});

test('the password is masked before any other input is checked', () => {
  const password = 'masked-first-0123456789';
  const { error, masks } = getInputsFor({ images: 'Bad Image', username: 'ci', password });
  expect(error).toMatch(/^Input 'images'/);
  expect(masks).toContain(password);
  expect(masks).toContain(Buffer.from(`ci:${password}`).toString('base64'));
});

test.each([
  [{ images: '' }, "Input 'images': is required. Give one or more image names such as 'org/app'"],
  [
    { images: 'org/app', password: 'lonely-secret' },
    "Input 'username': is empty while the other credential is set. Set both 'username' and 'password', or neither",
  ],
  [
    { images: 'org/app', 'build-args': 'NOVALUE' },
    "Input 'build-args': 'NOVALUE' is not KEY=value. Give one build argument per line as KEY=value",
  ],
  [{ images: 'org/app', labels: '=x' }, "Input 'labels': '=x' is not key=value. Give one label per line as key=value"],
  [
    { images: 'org/app', context: '/nonexistent/context' },
    "Input 'context': '/nonexistent/context' is not a directory. Give the build context directory, relative to the workspace",
  ],
  [{ images: 'org/app', push: 'yes' }, "Input 'push': 'yes' is not allowed. Use one of: auto, true, false"],
  [{ images: 'org/app', retries: '11' }, "Input 'retries': 11 is out of range. Use a whole number from 1 to 10"],
])('%j: %s', (inputs, message) => {
  expect(getInputsFor(inputs).error).toBe(message);
});
