// docker-build-push: compute the tags from git, log in, build, push every tag, log out (post step).
import * as core from '@actions/core';
import { runAction, type StepContext } from '@conveyor/core';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDockerConfig } from './docker-config';
import { DockerCli } from './docker';
import { DOCKER_HUB } from './image-name';
import { getInputs } from './inputs';
import { buildAndPush, type Result } from './publish';
import { report } from './report';

const STATE_CONFIG = 'docker-config';
const STATE_REGISTRY = 'registry';

async function main({ logger, signal, summary, setOutput }: StepContext): Promise<void> {
  const inputs = getInputs(logger);
  const result: Result = { digests: new Map() };
  try {
    await buildAndPush(inputs, result, {
      logger,
      signal,
      env: { ...process.env },
      runnerTemp: process.env.RUNNER_TEMP || tmpdir(),
      userDockerConfig: process.env.DOCKER_CONFIG || join(homedir(), '.docker'),
      saveLogin: (configDir, registry) => {
        core.saveState(STATE_CONFIG, configDir);
        core.saveState(STATE_REGISTRY, registry);
      },
    });
  } finally {
    report(inputs, result, summary, setOutput);
  }
}

async function post({ logger }: StepContext): Promise<void> {
  const configDir = core.getState(STATE_CONFIG);
  if (!configDir) return;
  const registry = core.getState(STATE_REGISTRY);
  const docker = new DockerCli({ env: { ...process.env, DOCKER_CONFIG: configDir }, logger, attempts: 1 });
  const logout = await docker.logout(registry && registry !== DOCKER_HUB ? registry : undefined);
  if (logout.exitCode !== 0) logger.warning(`docker logout failed: ${logout.stderr.trim()}; removing the credentials anyway`);
  removeDockerConfig(configDir);
  logger.info(`Logged out of ${registry || DOCKER_HUB} and removed ${configDir}`);
}

export const run = () => runAction({ main, post });
