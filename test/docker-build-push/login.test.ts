/**
 * The logins in-process against a scripted docker: one `docker login` per registry into one
 * temporary config, ECR entries through the token source, and the post step's logout of each.
 */
import { ConfigurationError } from '@conveyor/core';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerCli } from '../../actions/docker-build-push/src/docker';
import type { EcrLogin } from '../../actions/docker-build-push/src/ecr';
import { logIn, logOut, type LoginHost } from '../../actions/docker-build-push/src/login';
import type { RegistryAuth } from '../../actions/docker-build-push/src/registry-auth';
import { recordingLogger, type RecordingLogger } from '../kit/logger';
import { fakeDocker, type FakeDocker } from './fake-docker';

const REFUSE_R2 =
  'case "$*" in *r2.example*) echo "Error response from daemon: login attempt to https://r2.example/v2/ failed with status: 401 Unauthorized" >&2; exit 1;; esac';

interface Harness {
  host: LoginHost;
  docker: FakeDocker;
  logger: RecordingLogger;
  state: Record<string, string>;
  ecrHosts: string[];
}

/** `userConfig`: the user's config.json, if they have one. */
function harness(script: string, ecrLogin?: EcrLogin, userConfig?: object): Harness {
  const docker = fakeDocker(script);
  const logger = recordingLogger();
  const state: Record<string, string> = {};
  const ecrHosts: string[] = [];
  const runnerTemp = mkdtempSync(join(tmpdir(), 'login-test-'));
  const host: LoginHost = {
    logger,
    signal: new AbortController().signal,
    docker: new DockerCli({ env: docker.env, logger, attempts: 1 }),
    ecrLogin: (registry, signal) => {
      ecrHosts.push(registry);
      return ecrLogin ? ecrLogin(registry, signal) : Promise.resolve({ registry, username: 'AWS', password: 'ecr-token-password' });
    },
    runnerTemp,
    userDockerConfig: join(runnerTemp, 'user-config'),
    saveState: (name, value) => void (state[name] = value),
  };
  if (userConfig) {
    mkdirSync(host.userDockerConfig);
    writeFileSync(join(host.userDockerConfig, 'config.json'), JSON.stringify(userConfig));
  }
  return { host, docker, logger, state, ecrHosts };
}

const auth = (registry: string, username = '', password = ''): RegistryAuth => ({ registry, username, password, input: 'registry-auth' });

test('several registries: one login each into one temporary config; the post step removes it, which is the logout', async () => {
  const { host, docker, state, ecrHosts } = harness('echo "Login Succeeded"');
  const logins = [auth('docker.io', 'hub-user', 'hub-pw'), auth('r2.example', 'r2-user', 'r2-pw'), auth('public.ecr.aws')];
  const cli = await logIn({ logins, push: true }, host);
  const config = state['docker-config'] as string;
  expect(config.startsWith(host.runnerTemp)).toBe(true);
  expect(existsSync(config)).toBe(true);
  expect(state.registries).toBe('docker.io\nr2.example\npublic.ecr.aws');
  expect(ecrHosts).toEqual(['public.ecr.aws']);
  expect(docker.calls()).toEqual([
    'login --username hub-user --password-stdin',
    'login --username r2-user --password-stdin r2.example',
    'login --username AWS --password-stdin public.ecr.aws',
  ]);
  expect(docker.configs()).toEqual([config, config, config]);
  expect(docker.stdin()).toBe('hub-pwr2-pwecr-token-password');

  // The returned CLI pushes with the logins.
  await cli.logout('probe.example');
  expect(docker.configs().at(-1)).toBe(config);

  // The logins are in the config's own file: removing it logs out, without a docker process per registry.
  const post = harness('exit 0');
  await logOut((name) => state[name] ?? '', post.host.docker, post.logger);
  expect(post.docker.calls()).toEqual([]);
  expect(existsSync(config)).toBe(false);
  expect(post.logger.lines).toEqual([`Logged out of docker.io, r2.example, public.ecr.aws and removed ${config}`]);
});

test("a refused login names the registry and its 'registry-auth' entry; the config is already saved for the post step", async () => {
  const { host, docker, state } = harness(`${REFUSE_R2}\necho "Login Succeeded"`);
  const login = logIn({ logins: [auth('r1.example', 'a', 'pa'), auth('r2.example', 'b', 'pb')], push: true }, host);
  await expect(login).rejects.toBeInstanceOf(ConfigurationError);
  await expect(login).rejects.toThrow(
    /^Login to r2\.example as 'b' was refused: .*401 Unauthorized\. Check the r2\.example entry of 'registry-auth'$/,
  );
  expect(docker.calls()).toEqual(['login --username a --password-stdin r1.example', 'login --username b --password-stdin r2.example']);
  expect(state.registries).toBe('r1.example\nr2.example');
});

test("the single registry's refusal points at 'username' and 'password'", async () => {
  const { host } = harness(REFUSE_R2);
  await expect(
    logIn({ logins: [{ registry: 'r2.example', username: 'b', password: 'pb', input: 'username' }], push: true }, host),
  ).rejects.toThrow(/\. Check 'username' and 'password'$/);
});

test("no registries: no config, the runner's own docker", async () => {
  const { host, docker, state } = harness('exit 0');
  expect(await logIn({ logins: [], push: true }, host)).toBe(host.docker);
  expect(docker.calls()).toEqual([]);
  expect(state).toEqual({});
});

test('an ECR login that fails: fatal when pushing; when not, a warning and the other registries still logged in', async () => {
  const failing: EcrLogin = () => Promise.reject(new ConfigurationError('Could not get an ECR login for public.ecr.aws: no credentials'));
  const logins = [auth('public.ecr.aws'), auth('r1.example', 'a', 'pa')];

  const pushing = harness('exit 0', failing);
  await expect(logIn({ logins, push: true }, pushing.host)).rejects.toThrow('Could not get an ECR login for public.ecr.aws');
  expect(pushing.docker.calls()).toEqual([]);

  const building = harness('exit 0', failing);
  await logIn({ logins, push: false }, building.host);
  expect(building.logger.warnings).toEqual([
    'No ECR login (Could not get an ECR login for public.ecr.aws: no credentials); this build pushes nothing, so it goes on without one',
  ]);
  expect(building.docker.calls()).toEqual(['login --username a --password-stdin r1.example']);
  expect(building.state.registries).toBe('r1.example');
});

test("with the user's credential helpers the post step runs docker logout for each registry, and removes the config even when that fails", async () => {
  // A helper keeps the login outside the config directory: only `docker logout` clears it.
  const { host, state } = harness('exit 0', undefined, { credHelpers: { 'r1.example': 'pass' } });
  await logIn({ logins: [auth('r1.example', 'a', 'pa'), auth('docker.io', 'b', 'pb')], push: true }, host);
  const config = state['docker-config'] as string;
  const post = harness('case "$*" in *r1.example*) echo "cannot connect" >&2; exit 1;; esac');
  await logOut((name) => state[name] ?? '', post.host.docker, post.logger);
  expect(post.docker.calls()).toEqual(['logout r1.example', 'logout']);
  expect(post.docker.configs()).toEqual([config, config]);
  expect(post.logger.warnings).toEqual(['docker logout r1.example failed: cannot connect; removing the credentials anyway']);
  expect(existsSync(config)).toBe(false);
});
