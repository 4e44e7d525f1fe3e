/**
 * docker-build-push end to end: the committed bundle under the runner emulation, a real Docker
 * engine (scripts/services/docker.sh) and a real registry (docker-registry with htpasswd auth).
 * Every claim about what was pushed is checked by asking the registry itself.
 */
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot, runBundle, startBundle, type RunResult } from '../kit/runner';
import type { StandIn } from '../kit/standin';
import { GitHubStandIn } from '../standins/github/server';
import { EcrStandIn } from './ecr-standin';
import { catalog, listedTags, Rendezvous, servedDigest, startRegistry, startRegistryProxy, type Registry } from './registry';

const action = 'actions/docker-build-push';
const context = join(repoRoot, 'test/fixtures/docker-app');
const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
// Builds and pushes against a real engine take seconds each (the project's testTimeout is not applied here).
jest.setTimeout(180_000);

let registry: Registry;
let proxied: { proxy: StandIn; host: string };

beforeAll(async () => {
  execFileSync('bash', [join(repoRoot, 'scripts/services/docker.sh'), 'start'], { stdio: 'ignore' });
  registry = await startRegistry();
  proxied = await startRegistryProxy(registry);
});

afterAll(async () => {
  await proxied?.proxy.stop();
  await registry?.stop();
  // The engine keeps every image; remove this run's so repeated runs do not fill the disk.
  removeImages([`${registry?.host}/`, `${proxied?.host}/`, ECR_IMAGE]);
});

const ECR_IMAGE = '123456789012.dkr.ecr.eu-west-2.amazonaws.com/ayima/web';

/** Removes the local images whose reference starts with one of `prefixes`. */
function removeImages(prefixes: string[]): void {
  const references = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' })
    .split('\n')
    .filter((reference) => prefixes.some((prefix) => reference.startsWith(prefix)));
  if (references.length > 0) execFileSync('docker', ['image', 'rm', '--force', ...references], { stdio: 'ignore' });
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesUnder(path) : [path];
  });
}

/** What the process printed, without the `::add-mask::` commands that register the secrets. */
function printed(log: string | undefined): string {
  return (log ?? '')
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

function credentialForms(username: string, password: string): string[] {
  return [password, Buffer.from(`${username}:${password}`).toString('base64')];
}

/** The runner's directory (RUNNER_TEMP, workspace, file commands) of a run that logged in. */
function runnerDir(result: RunResult): string {
  const config = result.state['docker-config'];
  if (!config) throw new Error('the run saved no docker-config state');
  return dirname(dirname(config));
}

function expectNoCredentialsOnDisk(result: RunResult, forms: string[]): void {
  const config = result.state['docker-config'] as string;
  expect(existsSync(config)).toBe(false);
  const files = filesUnder(runnerDir(result));
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const text = readFileSync(file, 'latin1');
    for (const form of forms) expect(text.includes(form) ? file : '').toBe('');
  }
}

function imageExists(reference: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', reference], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('tag push v1.2.3: the registry serves 1.2.3, 1.2, 1 and latest, all with the reported digest', async () => {
  const image = `${registry.host}/views3/ingester`;
  const result = await runBundle({
    action,
    inputs: {
      images: image,
      context,
      tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}'].join('\n'),
      username: registry.username,
      password: registry.password,
      'build-args': 'GREETING=views3',
      // Quotes, a variable and a backslash reach the image literally (the labels go into the Dockerfile).
      labels: 'com.example.note=say "hi" for $HOME \\o/, ok',
    },
    github: { ref: 'refs/tags/v1.2.3', eventName: 'push', sha, repository: 'octo-org/views3' },
    // Debug logging on: the secrets must stay out of the debug lines too.
    env: { RUNNER_DEBUG: '1' },
  });
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  const digest = result.outputs.digest as string;
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(result.outputs.version).toBe('1.2.3');
  expect(result.outputs.tags?.split('\n')).toEqual(['1.2.3', '1.2', '1', 'latest'].map((tag) => `${image}:${tag}`));
  expect(JSON.parse(result.outputs['image-refs'] as string)).toEqual([`${image}@${digest}`]);
  expect(result.outputs['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/);
  for (const tag of ['1.2.3', '1.2', '1', 'latest']) {
    expect(await servedDigest(registry, 'views3/ingester', tag)).toBe(digest);
    expect(result.summary).toContain(`| ${image}:${tag} | <code>${digest}</code> |`);
  }
  expect((await listedTags(registry, 'views3/ingester')).sort()).toEqual(['1', '1.2', '1.2.3', 'latest']);

  // The OCI labels and the build argument reached the image.
  const labels: unknown = JSON.parse(
    execFileSync('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', `${image}:1.2.3`], { encoding: 'utf8' }),
  ) as Record<string, string>;
  expect(labels).toMatchObject({
    'org.opencontainers.image.source': 'https://github.com/octo-org/views3',
    'org.opencontainers.image.revision': sha,
    'org.opencontainers.image.version': '1.2.3',
    'com.example.note': 'say "hi" for $HOME \\o/, ok',
  });
  expect(
    execFileSync('docker', ['run', '--rm', '--network', 'none', `${image}:1.2.3`, 'cat', '/greeting'], { encoding: 'utf8' }).trim(),
  ).toBe('views3');

  // Secrets: never printed, and gone from disk after the post step.
  for (const form of credentialForms(registry.username, registry.password)) {
    expect(printed(result.rawLog)).not.toContain(form);
    expect(printed(result.post?.rawLog)).not.toContain(form);
    expect(result.rawLog).toContain(`::add-mask::${form}`);
    expect(result.summary).not.toContain(form);
  }
  expect(result.post?.exitCode).toBe(0);
  expectNoCredentialsOnDisk(result, credentialForms(registry.username, registry.password));
});

test('branch push feature/X: branch tag (case kept) and sha-<7>, no latest; a later rebuild pushes the same digest', async () => {
  const image = `${registry.host}/fragalysis/backend`;
  const run = () =>
    runBundle({
      action,
      inputs: { images: `${registry.host}/Fragalysis/Backend`, context, username: registry.username, password: registry.password },
      github: { ref: 'refs/heads/feature/X', eventName: 'push', sha },
      event: { repository: { default_branch: 'main' }, head_commit: { id: sha, timestamp: '2026-11-21T10:00:00Z' } },
    });
  const result = await run();
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(result.warnings).toEqual([
    `Image name '${registry.host}/Fragalysis/Backend' has upper case; using '${image}' (Docker requires lower case)`,
  ]);
  expect(result.outputs.version).toBe('feature-X');
  expect(result.outputs.tags?.split('\n')).toEqual([`${image}:feature-X`, `${image}:sha-a1b2c3d`]);
  const digest = result.outputs.digest as string;
  expect(await servedDigest(registry, 'fragalysis/backend', 'feature-X')).toBe(digest);
  expect(await servedDigest(registry, 'fragalysis/backend', 'sha-a1b2c3d')).toBe(digest);
  expect(await servedDigest(registry, 'fragalysis/backend', 'latest')).toBeUndefined();

  // Same commit, same context: the build is cached and the created label comes from the commit, so the digest is stable.
  const again = await run();
  expect(again.exitCode).toBe(0);
  expect(again.outputs.digest).toBe(digest);
});

test('rules that need the default branch ask the GitHub API once, with github-token; flavor suffix; the token is masked', async () => {
  const github = new GitHubStandIn();
  await github.start();
  try {
    github.createRepo('octo-org/views3', { defaultBranch: 'develop' });
    const token = 'ghs_tagsReadOnlyToken0123456789';
    github.grant(token, { login: 'ci-bot', repos: { 'octo-org/views3': { contents: 'read' } } });
    const image = `${registry.host}/views3/edge`;
    const result = await runBundle({
      action,
      inputs: {
        images: image,
        context,
        username: registry.username,
        password: registry.password,
        'github-token': token,
        tags: [
          'type=edge',
          'type=ref,event=branch',
          'type=raw,value=On-{{branch}},enable={{is_default_branch}}',
          'type=raw,value=feature,enable={{is_not_default_branch}}',
        ].join('\n'),
        flavor: 'suffix=-slim',
      },
      // A workflow_dispatch payload without the repository: the default branch comes from the API.
      github: { ref: 'refs/heads/develop', eventName: 'workflow_dispatch', sha, repository: 'octo-org/views3', apiUrl: github.url },
      event: { inputs: {}, ref: 'refs/heads/develop' },
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.tags?.split('\n')).toEqual(['edge-slim', 'develop-slim', 'On-develop-slim'].map((tag) => `${image}:${tag}`));
    expect((await listedTags(registry, 'views3/edge')).sort()).toEqual(['On-develop-slim', 'develop-slim', 'edge-slim']);
    expect(github.requests().map((request) => `${request.method} ${request.path}`)).toEqual(['GET /repos/octo-org/views3']);
    github.assertConformance();
    expect(result.rawLog).toContain(`::add-mask::${token}`);
    expect(printed(result.rawLog)).not.toContain(token);
  } finally {
    await github.stop();
  }
});

test('pull request: built, nothing pushed, no digest', async () => {
  const image = `${registry.host}/ayima/pr-app`;
  const result = await runBundle({
    action,
    inputs: { images: image, context, username: registry.username, password: registry.password },
    github: { ref: 'refs/pull/42/merge', eventName: 'pull_request', sha },
    event: { number: 42, pull_request: { number: 42 } },
  });
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(result.outputs.digest).toBe('');
  expect(result.outputs['image-refs']).toBe('[]');
  expect(result.outputs.version).toBe('pr-42');
  expect(result.outputs.tags?.split('\n')).toEqual([`${image}:pr-42`, `${image}:sha-a1b2c3d`]);
  expect(imageExists(`${image}:pr-42`)).toBe(true);
  expect(await listedTags(registry, 'ayima/pr-app')).toEqual([]);
  expect(result.summary).toContain('built only');
});

test('wrong password: a clear error, nothing built or pushed, the password never printed', async () => {
  const image = `${proxied.host}/views3/denied`;
  const wrong = 'wrong-pw-7f3a9c1e55d2';
  const before = proxied.proxy.journal.length;
  const result = await runBundle({
    action,
    inputs: { images: image, context, username: registry.username, password: wrong, retries: 3 },
    github: { ref: 'refs/tags/v2.0.0', eventName: 'push', sha },
  });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toMatch(
    new RegExp(`^Login to ${proxied.host} as '${registry.username}' was refused: .*Check 'username' and 'password'$`),
  );
  // An authentication error is final: one login (the engine's unauthenticated probe, answered with the
  // challenge, then one try with the credentials), no retries.
  const logins = proxied.proxy.journal.slice(before).filter((entry) => entry.method === 'GET' && entry.path === '/v2/');
  expect(logins.map((entry) => entry.headers.authorization !== undefined)).toEqual([false, true]);
  expect(result.warnings.filter((warning) => /retrying/.test(warning))).toEqual([]);
  expect(proxied.proxy.journal.slice(before).filter((entry) => entry.method !== 'GET')).toEqual([]);
  expect(result.outputs['image-id']).toBe('');
  expect(imageExists(`${image}:2.0.0`)).toBe(false);
  expect(await listedTags(registry, 'views3/denied')).toEqual([]);
  for (const form of credentialForms(registry.username, wrong)) expect(printed(result.rawLog)).not.toContain(form);
  expect(result.post?.exitCode).toBe(0);
  expectNoCredentialsOnDisk(result, credentialForms(registry.username, wrong));
});

test('a registry that fails the first manifest pushes with 503: the push is retried and succeeds', async () => {
  const image = `${proxied.host}/views3/flaky`;
  const manifestPut = { method: 'PUT', path: /\/manifests\// };
  proxied.proxy.failNext(2, 503, { match: manifestPut });
  const result = await runBundle({
    action,
    inputs: {
      images: image,
      context,
      tags: 'type=raw,value=stable',
      // The classic builder pushes tag by tag (the path whose retries this exercises), even where buildx is installed.
      builder: 'docker',
      username: registry.username,
      password: registry.password,
      retries: 4,
    },
    github: { ref: 'refs/heads/main', eventName: 'push', sha },
  });
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  const puts = proxied.proxy.requests('PUT', /^\/v2\/views3\/flaky\/manifests\//).map((entry) => entry.outcome);
  expect(puts.slice(0, 2)).toEqual([503, 503]);
  expect(puts[puts.length - 1]).toBe(201);
  expect(
    result.warnings.filter((warning) => /push of .*flaky:stable failed \(attempt \d of 4\).*retrying/.test(warning)).length,
  ).toBeGreaterThanOrEqual(1);
  expect(await servedDigest(registry, 'views3/flaky', 'stable')).toBe(result.outputs.digest);
});

test('a registry that keeps failing: the retries are bounded and the step fails with the cause', async () => {
  const image = `${proxied.host}/views3/down`;
  proxied.proxy.failNext(100, 503, { match: { method: 'PUT', path: /\/views3\/down\/manifests\// } });
  const result = await runBundle({
    action,
    inputs: {
      images: image,
      context,
      tags: 'type=raw,value=stable',
      // The classic builder pushes tag by tag (the path whose retries this exercises), even where buildx is installed.
      builder: 'docker',
      username: registry.username,
      password: registry.password,
      retries: 2,
    },
    github: { ref: 'refs/heads/main', eventName: 'push', sha },
  });
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]).toMatch(/^docker push .*views3\/down:stable failed: .*503/);
  expect(result.warnings.filter((warning) => /attempt 1 of 2/.test(warning))).toHaveLength(1);
  expect(result.summary).toContain('not pushed');
  expect(await servedDigest(registry, 'views3/down', 'stable')).toBeUndefined();
});

test('two runs push one tag at once: both succeed, each reports its own image, the tag serves the last written (last writer wins)', async () => {
  // Both manifest writes are held until both runs have sent theirs, then let through together.
  const race = new Rendezvous(2, { method: 'PUT', path: /^\/v2\/views3\/race\/manifests\/stable$/ });
  // Two proxies stand for two runners: on this one engine the local image names must differ, the
  // registry's repository and tag are the same.
  const runners = [await startRegistryProxy(registry, race), await startRegistryProxy(registry, race)];
  try {
    const results = await Promise.all(
      runners.map(({ host }, index) =>
        runBundle({
          action,
          inputs: {
            images: `${host}/views3/race`,
            context,
            tags: 'type=raw,value=stable',
            builder: 'docker',
            'build-args': `GREETING=run-${index}`,
            username: registry.username,
            password: registry.password,
          },
          github: { ref: 'refs/heads/main', eventName: 'push', sha },
        }),
      ),
    );
    expect(race.met).toBe(true);
    for (const result of results) {
      expect(result.errors).toEqual([]);
      expect(result.exitCode).toBe(0);
    }
    const digests = results.map((result) => result.outputs.digest);
    expect(new Set(digests).size).toBe(2);
    expect(digests).toContain(await servedDigest(registry, 'views3/race', 'stable'));
    expect(await listedTags(registry, 'views3/race')).toEqual(['stable']);
  } finally {
    for (const { proxy } of runners) await proxy.stop();
    removeImages(runners.map(({ host }) => `${host}/`));
  }
});

test.each([
  ['an invalid image name', { images: 'localhost:5000/bad image' }, /^Input 'images': '.*bad image' is not a valid image name/],
  ['an image name with a tag', { images: 'views3/ingester:1.0' }, /^Input 'images': 'views3\/ingester:1\.0' includes a tag or digest/],
  [
    'a bad tag rule',
    { tags: 'type=semver,pattern={{version}' },
    /^Input 'tags': rule 'type=semver,pattern=\{\{version\}' has a template error/,
  ],
  ['an unknown rule type', { tags: 'type=nightly' }, /^Input 'tags': rule 'type=nightly' has unknown type 'nightly'/],
  ['latest set twice', { latest: 'true', flavor: 'latest=false' }, /^Input 'latest': is 'true' while flavor sets latest=false/],
  [
    'a password without user name',
    { username: '', password: 'lonely-secret-1234' },
    /^Input 'username': is empty while the other credential is set/,
  ],
  ['a retries value out of range', { retries: 0 }, /^Input 'retries': 0 is out of range/],
  [
    "malformed YAML in 'registry-auth'",
    { 'registry-auth': '- registry: ghcr.io\n  password: *never-printed' },
    /^Input 'registry-auth': is not valid YAML \(unidentified alias at line 2, column 27\)\. /,
  ],
  [
    "'registry-auth' together with 'username' and 'password'",
    { 'registry-auth': '- registry: ghcr.io\n  username: entry-user\n  password: entry-password-0123' },
    /^Input 'registry-auth': cannot be combined with 'registry', 'username' or 'password'\./,
  ],
])('%s fails with a one-line input error before any build or push', async (_, inputs, message) => {
  const before = proxied.proxy.journal.length;
  const result = await runBundle({
    action,
    inputs: { images: `${proxied.host}/views3/never`, context, username: registry.username, password: registry.password, ...inputs },
    github: { ref: 'refs/tags/v9.9.9', eventName: 'push', sha },
  });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toMatch(message);
  expect(result.errors[0]).not.toContain('\n');
  expect(proxied.proxy.journal.length).toBe(before);
  expect(result.log).not.toMatch(/Step \d+\/\d+|Sending build context/);
  expect(result.state['docker-config']).toBeUndefined();
  expect(imageExists(`${proxied.host}/views3/never:9.9.9`)).toBe(false);
  expect(printed(result.rawLog)).not.toContain(registry.password);
  // An unparsable 'registry-auth' cannot mask its passwords: the message must not quote them.
  expect(printed(result.rawLog)).not.toContain('never-printed');
});

describe('registry-auth: two registries, each with its own htpasswd user', () => {
  let alice: Registry;
  let bob: Registry;
  beforeAll(async () => {
    alice = await startRegistry('alice-pusher');
    bob = await startRegistry('bob-pusher');
  });
  afterAll(async () => {
    await alice?.stop();
    await bob?.stop();
    removeImages([`${alice?.host}/`, `${bob?.host}/`]);
  });

  const registryAuth = (entries: Array<[Registry, Registry]>) =>
    entries
      .map(([registry, user]) => `- registry: ${registry.host}\n  username: ${user.username}\n  password: '${user.password}'`)
      .join('\n');

  test('one step logs in to both and pushes each image to its registry; the post step logs out of both', async () => {
    const images = [alice, bob].map((registry) => `${registry.host}/views3/multi`);
    const result = await runBundle({
      action,
      inputs: {
        images: images.join('\n'),
        context,
        tags: 'type=raw,value=1.0',
        'registry-auth': registryAuth([
          [alice, alice],
          [bob, bob],
        ]),
      },
      github: { ref: 'refs/heads/main', eventName: 'push', sha },
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.log).toContain(`Logged in to ${alice.host} as alice-pusher`);
    expect(result.log).toContain(`Logged in to ${bob.host} as bob-pusher`);
    const digest = result.outputs.digest as string;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.outputs.tags?.split('\n')).toEqual(images.map((image) => `${image}:1.0`));
    expect(JSON.parse(result.outputs['image-refs'] as string)).toEqual(images.map((image) => `${image}@${digest}`));
    // Each registry accepts only its own user, so each push used its own registry's credentials.
    for (const registry of [alice, bob]) {
      expect(await catalog(registry)).toEqual(['views3/multi']);
      expect(await servedDigest(registry, 'views3/multi', '1.0')).toBe(digest);
    }

    const forms = [...credentialForms(alice.username, alice.password), ...credentialForms(bob.username, bob.password)];
    for (const form of forms) {
      expect(result.rawLog).toContain(`::add-mask::${form}`);
      expect(printed(result.rawLog)).not.toContain(form);
      expect(printed(result.post?.rawLog)).not.toContain(form);
      expect(result.summary).not.toContain(form);
    }
    expect(result.post?.exitCode).toBe(0);
    expect(result.post?.log).toContain(`Logged out of ${alice.host}, ${bob.host} and removed ${result.state['docker-config']}`);
    expectNoCredentialsOnDisk(result, forms);
  });

  test('swapped credentials: the refused registry is named, nothing is built or pushed to either, the logins are removed', async () => {
    const before = [await catalog(alice), await catalog(bob)];
    const images = [alice, bob].map((registry) => `${registry.host}/views3/swapped`).join('\n');
    for (const [entries, refused, user] of [
      // Both swapped: the first login is refused.
      [
        [
          [alice, bob],
          [bob, alice],
        ],
        alice,
        bob,
      ],
      // The first right, the second not: still nothing reaches the first.
      [
        [
          [alice, alice],
          [bob, alice],
        ],
        bob,
        alice,
      ],
    ] as Array<[Array<[Registry, Registry]>, Registry, Registry]>) {
      const result = await runBundle({
        action,
        inputs: { images, context, tags: 'type=raw,value=1.0', 'registry-auth': registryAuth(entries) },
        github: { ref: 'refs/heads/main', eventName: 'push', sha },
      });
      expect(result.exitCode).toBe(1);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(
        new RegExp(
          `^Login to ${refused.host} as '${user.username}' was refused: .*\\. Check the ${refused.host} entry of 'registry-auth'$`,
        ),
      );
      expect(result.outputs['image-id']).toBe('');
      expect(imageExists(`${alice.host}/views3/swapped:1.0`)).toBe(false);
      expect([await catalog(alice), await catalog(bob)]).toEqual(before);
      const forms = [...credentialForms(alice.username, alice.password), ...credentialForms(bob.username, bob.password)];
      for (const form of forms) expect(printed(result.rawLog)).not.toContain(form);
      expect(result.post?.exitCode).toBe(0);
      expectNoCredentialsOnDisk(result, forms);
    }
  });
});

test('ECR host without credentials: ambient AWS keys are exchanged for a token, used, masked and logged out', async () => {
  const ecrRegistry = await startRegistry('AWS');
  const ecr = new EcrStandIn({
    username: 'AWS',
    password: ecrRegistry.password,
    proxyEndpoints: { '123456789012': `http://${ecrRegistry.host}` },
  });
  const endpoint = await ecr.start();
  try {
    const image = ECR_IMAGE;
    const result = await runBundle({
      action,
      inputs: { images: image, context, push: false, tags: 'type=sha,format=long' },
      github: { ref: 'refs/heads/main', eventName: 'push', sha },
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEY000001',
        AWS_SECRET_ACCESS_KEY: 'example-secret-access-key-never-printed',
        AWS_ENDPOINT_URL_ECR: endpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(ecr.credentialScopes()).toEqual([expect.stringMatching(/^AKIAEXAMPLEKEY000001\/\d{8}\/eu-west-2\/ecr$/)]);
    expect(result.log).toContain(`Logged in to ${ecrRegistry.host} as AWS`);
    expect(result.outputs.tags).toBe(`${image}:sha-${sha}`);
    const token = Buffer.from(`AWS:${ecrRegistry.password}`).toString('base64');
    for (const secret of [ecrRegistry.password, token, 'example-secret-access-key-never-printed']) {
      expect(printed(result.rawLog)).not.toContain(secret);
      expect(printed(result.post?.rawLog)).not.toContain(secret);
    }
    expect(result.rawLog).toContain(`::add-mask::${ecrRegistry.password}`);
    expect(result.rawLog).toContain(`::add-mask::${token}`);
    expect(result.post?.log).toContain(`Logged out of ${ecrRegistry.host}`);
    expectNoCredentialsOnDisk(result, [ecrRegistry.password, token]);
  } finally {
    await ecr.stop();
    await ecrRegistry.stop();
  }
});

test('ECR host, nothing to push, no AWS credentials (a pull request from a fork): builds with a warning instead of failing', async () => {
  const result = await runBundle({
    action,
    inputs: { images: ECR_IMAGE, context, tags: 'type=ref,event=pr', builder: 'docker' },
    github: { ref: 'refs/pull/7/merge', eventName: 'pull_request', sha },
    event: { pull_request: { number: 7, head: { sha } } },
    env: { AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9' },
  });
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
  expect(result.warnings.join('\n')).toMatch(/^No ECR login \(.*\); this build pushes nothing, so it goes on without one$/m);
  expect(result.outputs.tags).toBe(`${ECR_IMAGE}:pr-7`);
  expect(result.outputs.digest ?? '').toBe('');
});

test('cancelling the job (SIGTERM) stops the build promptly and pushes nothing', async () => {
  const image = `${registry.host}/views3/cancelled`;
  const step = startBundle({
    action,
    inputs: {
      images: image,
      context: join(repoRoot, 'test/fixtures/docker-slow'),
      tags: 'type=raw,value=never',
      // A cached RUN step would finish at once; the classic builder's log says when the step runs.
      'no-cache': true,
      builder: 'docker',
      username: registry.username,
      password: registry.password,
    },
    github: { ref: 'refs/heads/main', eventName: 'push', sha },
  });
  // This build's container, told apart from any other test's by its command.
  const running = () =>
    execFileSync('docker', ['ps', '--no-trunc', '--format', '{{.ID}} {{.Command}}'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('busybox sleep 60'))
      .join('\n');
  await step.waitForLog(/RUN busybox sleep 60\n\s*---> Running in/, 60_000);
  for (let waited = 0; running() === '' && waited < 15_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(running()).not.toBe('');
  const signalled = Date.now();
  step.process.kill('SIGTERM');
  const result = await step.done;
  expect(Date.now() - signalled).toBeLessThan(5000);
  expect(result.exitCode).not.toBe(0);
  expect(result.errors[0]).toMatch(/^Cancelled/);
  expect(result.outputs.digest).toBe('');
  expect(await listedTags(registry, 'views3/cancelled')).toEqual([]);
  // The engine stops the build's container once the client is gone.
  for (let waited = 0; running() !== '' && waited < 15_000; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
  expect(running()).toBe('');
});
