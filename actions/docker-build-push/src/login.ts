/**
 * The registry logins: each registry's credentials (given, or an ECR token), one `docker login` per
 * registry into one temporary Docker config (docker then pushes each image with its own registry's
 * credentials), and the post step's logout of every registry, which removes that config again.
 */
import { errorMessage, type Logger } from '@conveyor/core';
import { createDockerConfig, removeDockerConfig, usesCredentialHelpers } from './docker-config';
import type { DockerCli } from './docker';
import type { EcrLogin, RegistryLogin } from './ecr';
import { DOCKER_HUB } from './image-name';
import type { Inputs } from './inputs';
import type { RegistryAuth } from './registry-auth';

/** Where the logins live, for the post step (the runner's saveState/getState). */
const STATE_CONFIG = 'docker-config';
const STATE_REGISTRIES = 'registries';

export interface LoginHost {
  logger: Logger;
  signal: AbortSignal;
  /** docker with the runner's environment; the logins go into a temporary config. */
  docker: DockerCli;
  ecrLogin: EcrLogin;
  /** Where the temporary Docker config goes (RUNNER_TEMP). */
  runnerTemp: string;
  /** The user's Docker config, whose CLI plugins and builders the temporary one links to. */
  userDockerConfig: string;
  saveState(name: string, value: string): void;
}

/** `docker login`'s server argument: none for Docker Hub. */
function server(registry: string): string | undefined {
  return registry === DOCKER_HUB ? undefined : registry;
}

/**
 * The credentials of one registry: as given, or an ECR token for an entry without them. A build that
 * pushes nothing (a pull request from a fork has no AWS credentials) goes on without an ECR login
 * that failed.
 */
async function credentials(auth: RegistryAuth, push: boolean, host: LoginHost): Promise<RegistryLogin | undefined> {
  if (auth.username) return auth;
  try {
    return await host.ecrLogin(auth.registry, host.signal);
  } catch (error) {
    if (push || host.signal.aborted) throw error;
    host.logger.warning(`No ECR login (${errorMessage(error)}); this build pushes nothing, so it goes on without one`);
    return undefined;
  }
}

/** Logs in to every registry of the inputs and returns the docker CLI that uses the logins (the given one if none). */
export async function logIn(inputs: Pick<Inputs, 'logins' | 'push'>, host: LoginHost): Promise<DockerCli> {
  const logins: Array<RegistryLogin & Pick<RegistryAuth, 'input'>> = [];
  for (const auth of inputs.logins) {
    const login = await credentials(auth, inputs.push, host);
    if (login) logins.push({ ...login, input: auth.input });
  }
  if (logins.length === 0) return host.docker;
  const configDir = createDockerConfig(host.runnerTemp, host.userDockerConfig);
  // Saved before logging in, so the post step removes it whatever happens next.
  host.saveState(STATE_CONFIG, configDir);
  host.saveState(STATE_REGISTRIES, logins.map((login) => login.registry).join('\n'));
  const docker = host.docker.withConfig(configDir);
  for (const { registry, username, password, input } of logins) {
    const fix = input === 'registry-auth' ? `Check the ${registry} entry of 'registry-auth'` : "Check 'username' and 'password'";
    await docker.login(server(registry), username, password, fix);
    host.logger.info(`Logged in to ${registry} as ${username}`);
  }
  return docker;
}

/**
 * The post step: logs out of every registry and removes the temporary config, if the main step made
 * one. Where the logins are in the config's own file (no credential helper), removing it is the
 * logout, and no `docker logout` needs to run.
 */
export async function logOut(getState: (name: string) => string, docker: DockerCli, logger: Logger): Promise<void> {
  const configDir = getState(STATE_CONFIG);
  if (!configDir) return;
  const registries = getState(STATE_REGISTRIES).split('\n').filter(Boolean);
  try {
    const session = docker.withConfig(configDir);
    for (const registry of usesCredentialHelpers(configDir) ? registries : []) {
      const logout = await session.logout(server(registry));
      if (logout.exitCode !== 0)
        logger.warning(`docker logout ${registry} failed: ${logout.stderr.trim()}; removing the credentials anyway`);
    }
  } finally {
    removeDockerConfig(configDir);
  }
  logger.info(`Logged out of ${registries.join(', ')} and removed ${configDir}`);
}
