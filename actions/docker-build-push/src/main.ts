// docker-build-push: compute the tags from git, log in, build, push every tag, log out (post step).
import * as core from '@actions/core';
import { defineAction } from '@conveyor/core';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerCli } from './docker';
import { ecrLogin } from './ecr';
import { getInputs } from './inputs';
import { logOut } from './login';
import { buildAndPush, newResult } from './publish';
import { outputs, writeSummary } from './report';

export const run = defineAction({
  getInputs,
  newResult,
  run: (inputs, result, { logger, signal }) =>
    buildAndPush(inputs, result, {
      logger,
      signal,
      docker: new DockerCli({ env: { ...process.env }, logger, signal, attempts: inputs.attempts }),
      ecrLogin,
      runnerTemp: process.env.RUNNER_TEMP || tmpdir(),
      userDockerConfig: process.env.DOCKER_CONFIG || join(homedir(), '.docker'),
      saveState: (name, value) => core.saveState(name, value),
    }),
  outputs,
  writeSummary,
  post: ({ logger, signal }) =>
    logOut((name) => core.getState(name), new DockerCli({ env: { ...process.env }, logger, signal, attempts: 1 }), logger),
});
