/**
 * The registry login: credentials from the inputs or an ECR token, a `docker login` into a temporary
 * Docker config, and the post step's logout that removes that config again.
 */
import { errorMessage, type Logger } from '@conveyor/core';
import { createDockerConfig, removeDockerConfig } from './docker-config';
import type { DockerCli } from './docker';
import type { ecrLogin as EcrLogin, RegistryLogin } from './ecr';
import { DOCKER_HUB, parseEcrHost } from './image-name';
import type { Inputs } from './inputs';

/** Where the login lives, for the post step (the runner's saveState/getState). */
const STATE_CONFIG = 'docker-config';
const STATE_REGISTRY = 'registry';

export interface LoginHost {
  logger: Logger;
  signal: AbortSignal;
  /** docker with the runner's environment; the login goes into a temporary config. */
  docker: DockerCli;
  /** Exchanges the ambient AWS credentials for an ECR login. */
  ecrLogin: typeof EcrLogin;
  /** Where the temporary Docker config goes (RUNNER_TEMP). */
  runnerTemp: string;
  /** The user's Docker config, whose CLI plugins and builders the temporary one links to. */
  userDockerConfig: string;
  saveState(name: string, value: string): void;
}

/**
 * The credentials to log in with: the inputs, an ECR token, or none (use the existing docker login).
 * A build that pushes nothing (a pull request from a fork has no AWS credentials) goes on without
 * an ECR login that failed.
 */
async function registryLogin(inputs: Inputs, host: LoginHost): Promise<RegistryLogin | undefined> {
  const { logger, signal } = host;
  if (inputs.username) return { registry: inputs.registry ?? DOCKER_HUB, username: inputs.username, password: inputs.password };
  const ecr = inputs.registry ? parseEcrHost(inputs.registry) : undefined;
  if (!ecr || !inputs.registry) return undefined;
  try {
    return await host.ecrLogin(inputs.registry, ecr.region, signal);
  } catch (error) {
    if (inputs.push || signal.aborted) throw error;
    logger.warning(`No ECR login (${errorMessage(error)}); this build pushes nothing, so it goes on without one`);
    return undefined;
  }
}

/** Logs in as the inputs say and returns the docker CLI that uses the login (the given one if none). */
export async function logIn(inputs: Inputs, host: LoginHost): Promise<DockerCli> {
  const login = await registryLogin(inputs, host);
  if (!login) return host.docker;
  const configDir = createDockerConfig(host.runnerTemp, host.userDockerConfig);
  // Saved before logging in, so the post step removes it whatever happens next.
  host.saveState(STATE_CONFIG, configDir);
  host.saveState(STATE_REGISTRY, login.registry);
  const docker = host.docker.withConfig(configDir);
  await docker.login(login.registry === DOCKER_HUB ? undefined : login.registry, login.username, login.password);
  host.logger.info(`Logged in to ${login.registry} as ${login.username}`);
  return docker;
}

/** The post step: logs out of the registry and removes the temporary config, if the main step made one. */
export async function logOut(getState: (name: string) => string, docker: DockerCli, logger: Logger): Promise<void> {
  const configDir = getState(STATE_CONFIG);
  if (!configDir) return;
  const registry = getState(STATE_REGISTRY);
  const logout = await docker.withConfig(configDir).logout(registry && registry !== DOCKER_HUB ? registry : undefined);
  if (logout.exitCode !== 0) logger.warning(`docker logout failed: ${logout.stderr.trim()}; removing the credentials anyway`);
  removeDockerConfig(configDir);
  logger.info(`Logged out of ${registry || DOCKER_HUB} and removed ${configDir}`);
}
