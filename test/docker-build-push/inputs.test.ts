/** docker-build-push's getInputs() in-process, with the step's INPUT_* as the runner sets them (action.yml defaults applied). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getInputs, type Inputs } from '../../actions/docker-build-push/src/inputs';
import { withInputs } from '../kit/inputs';
import { withMasksCaptured, type MaskedCall } from '../kit/masks';
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

/** getInputs() for `inputs` (on a push to main unless `env` says otherwise), with the masks it registered. */
function getInputsFor(inputs: BundleOptions['inputs'], env: Record<string, string> = {}): MaskedCall<Inputs> {
  return withMasksCaptured(() =>
    withInputs(action, { context, ...inputs }, () => getInputs(recordingLogger()), { env: { ...branchPush, ...env } }),
  );
}

function read(inputs: BundleOptions['inputs'], env?: Record<string, string>): Inputs {
  const { value, error } = getInputsFor(inputs, env);
  if (!value) throw new Error(`getInputs() failed: ${error}`);
  return value;
}

test("action.yml's defaults: Docker Hub, the default tag rules, push on a push event, buildx if present, 3 attempts", () => {
  const inputs = read({ images: 'views3/ingester' });
  expect(inputs).toMatchObject({
    images: [{ name: 'views3/ingester', registry: 'docker.io', repository: 'views3/ingester' }],
    tagPlan: { rules: [], latest: 'auto', shortShaLength: 7, flavor: { prefix: '', suffix: '' } },
    githubToken: 'ghs_fixtureTokenValue0123456789',
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
    logins: [],
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
});

test('a pull request builds without pushing under push: auto', () => {
  const inputs = read({ images: 'org/app' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' });
  expect(inputs.push).toBe(false);
  expect(inputs.git).toMatchObject({ ref: 'refs/pull/7/merge', prNumber: 7 });
});

test.each([
  ["credentials, for the first image's registry", { images: 'ghcr.io/org/app', username: 'u', password: 'p' }, [['ghcr.io', 'u', 'p']]],
  [
    "credentials, for 'registry' (normalised)",
    { images: 'org/app', registry: 'https://Registry.Example.com/', username: 'u', password: 'p' },
    [['registry.example.com', 'u', 'p']],
  ],
  ['credentials, Docker Hub', { images: 'org/app', username: 'u', password: 'p' }, [['docker.io', 'u', 'p']]],
  [
    'no credentials, a private ECR image: its token',
    { images: '123456789012.dkr.ecr.eu-west-2.amazonaws.com/app' },
    [['123456789012.dkr.ecr.eu-west-2.amazonaws.com', '', '']],
  ],
  ['no credentials, an ECR Public image: its token', { images: 'public.ecr.aws/alias/app' }, [['public.ecr.aws', '', '']]],
  ['no credentials, another registry: the existing login', { images: 'ghcr.io/org/app' }, []],
])('the single registry: %s', (_, given, expected) => {
  expect(read(given).logins).toEqual(
    expected.map(([registry, username, password]) => ({ registry, username, password, input: 'username' })),
  );
});

test("'registry-auth' lists the registries, each with its credentials, masked", () => {
  const { value: inputs, masks } = getInputsFor({
    images: 'org/app, ghcr.io/org/app',
    'registry-auth': '- username: hub-user\n  password: hub-secret-1\n- registry: ghcr.io\n  username: octocat\n  password: ghcr-secret-2',
  });
  expect(inputs?.logins).toEqual([
    { registry: 'docker.io', username: 'hub-user', password: 'hub-secret-1', input: 'registry-auth' },
    { registry: 'ghcr.io', username: 'octocat', password: 'ghcr-secret-2', input: 'registry-auth' },
  ]);
  expect(masks).toEqual(expect.arrayContaining(['hub-secret-1', 'ghcr-secret-2', Buffer.from('octocat:ghcr-secret-2').toString('base64')]));
});

test.each([{ registry: 'ghcr.io' }, { username: 'u', password: 'p' }])("'registry-auth' with %j is an input error", (other) => {
  expect(getInputsFor({ images: 'org/app', 'registry-auth': '- registry: ghcr.io\n  username: u\n  password: p', ...other }).error).toBe(
    "Input 'registry-auth': cannot be combined with 'registry', 'username' or 'password'. List every registry in 'registry-auth', or use those three inputs without it",
  );
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

test('tags, flavor and latest become one plan (comment lines dropped, highest priority first); the token is masked', () => {
  const { value: inputs, masks } = getInputsFor({
    images: 'org/app',
    tags: '# comment\ntype=sha\ntype=ref,event=branch',
    flavor: 'suffix=-slim',
  });
  expect(inputs?.tagPlan).toMatchObject({ latest: 'auto', flavor: { suffix: '-slim' } });
  expect(inputs?.tagPlan.rules.map((rule) => rule.line)).toEqual(['type=ref,event=branch', 'type=sha']);
  expect(masks).toContain('ghs_fixtureTokenValue0123456789');
});

test("flavor's latest= is the latest input's other spelling; both set is an input error", () => {
  expect(read({ images: 'org/app', flavor: 'latest=true' }).tagPlan.latest).toBe('true');
  expect(read({ images: 'org/app', latest: 'false' }).tagPlan.latest).toBe('false');
  expect(getInputsFor({ images: 'org/app', latest: 'false', flavor: 'latest=auto' }).error).toBe(
    "Input 'latest': is 'false' while flavor sets latest=auto. Set it in one place: the 'latest' input or flavor's latest=",
  );
});

test('a tag rule or flavor mistake is an input error before anything else happens', () => {
  expect(getInputsFor({ images: 'org/app', tags: 'type=nightly' }).error).toMatch(/^Input 'tags': rule 'type=nightly' has unknown type/);
  expect(getInputsFor({ images: 'org/app', flavor: 'colour=red' }).error).toMatch(/^Input 'flavor': unknown entry 'colour'/);
});

test('DOCKER_METADATA_SHORT_SHA_LENGTH and DOCKER_METADATA_PR_HEAD_SHA', () => {
  expect(read({ images: 'org/app' }, { DOCKER_METADATA_SHORT_SHA_LENGTH: '12' }).tagPlan.shortShaLength).toBe(12);
  expect(getInputsFor({ images: 'org/app' }, { DOCKER_METADATA_SHORT_SHA_LENGTH: 'twelve' }).error).toBe(
    "DOCKER_METADATA_SHORT_SHA_LENGTH 'twelve' is not a whole number of at least 1",
  );
  const headSha = '3370e228f2209994d57af4427fe64e71bb79ac96';
  const eventPath = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
  writeFileSync(eventPath, JSON.stringify({ number: 15, pull_request: { number: 15, head: { sha: headSha } } }));
  const pullRequest = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/15/merge', GITHUB_EVENT_PATH: eventPath };
  expect(read({ images: 'org/app' }, pullRequest).git.sha).toBe(sha);
  expect(read({ images: 'org/app' }, { ...pullRequest, DOCKER_METADATA_PR_HEAD_SHA: 'true' }).git.sha).toBe(headSha);
});
