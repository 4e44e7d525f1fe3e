// docker-build-push: compute the tags from git (asking the GitHub API only what the payload lacks), log in, build, push every tag, log out (post step).
import { defineAction, getState, saveState } from '@conveyor/core';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerCli } from './docker';
import { ecrLogin } from './ecr';
import { getInputs } from './inputs';
import { logOut } from './login';
import { buildAndPush, newResult, tagImages } from './publish';
import { outputs, writeSummary } from './report';
import { gitHubRepositoryFacts } from './repository-facts';

export const run = defineAction({
  getInputs,
  newResult,
  run: async (inputs, result, { logger, signal }) => {
    // Octokit loads only if a tag rule asks GitHub a question.
    const facts = gitHubRepositoryFacts(inputs.repository, inputs.githubToken, async (token) =>
      (await import('@conveyor/core/github')).createGitHubClient(token, { logger, signal }),
    );
    await tagImages(inputs, result, { facts, now: new Date(), logger });
    await buildAndPush(inputs, result, {
      logger,
      signal,
      docker: new DockerCli({ env: { ...process.env }, logger, signal, attempts: inputs.attempts }),
      ecrLogin,
      runnerTemp: process.env.RUNNER_TEMP || tmpdir(),
      userDockerConfig: process.env.DOCKER_CONFIG || join(homedir(), '.docker'),
      saveState,
    });
  },
  outputs,
  writeSummary,
  post: ({ logger, signal }) => logOut(getState, new DockerCli({ env: { ...process.env }, logger, signal, attempts: 1 }), logger),
});
