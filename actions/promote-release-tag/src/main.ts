/**
 * promote-release-tag: candidate tags, promotion to release tags, publishing releases.
 */
import { defineAction } from '@conveyor/core';
import { getInputs } from './inputs';
import { runCandidate, runPromote, runPublish, type Result } from './modes';
import { outputs, writeSummary } from './report';
import { ReleaseRepository } from './repository';

/** Asset uploads may be large; other requests keep the client's default bound. */
const UPLOAD_TIMEOUT_MS = 15 * 60_000;

export const run = defineAction({
  getInputs: () => getInputs(process.env),
  newResult: (): Result => ({ steps: [], unchanged: [] }),
  async run(inputs, result, { logger, signal }) {
    // Octokit loads once the inputs are valid.
    const { createGitHubClient } = await import('@conveyor/core/github');
    const github = createGitHubClient(inputs.token, { logger, signal });
    const uploader = createGitHubClient(inputs.token, { logger, signal, timeoutMs: UPLOAD_TIMEOUT_MS });
    const repository = new ReleaseRepository(github, uploader, inputs, logger, signal);
    const context = { repository, inputs, logger, result };
    if (inputs.mode === 'candidate') await runCandidate(context, new Date());
    else if (inputs.mode === 'promote') await runPromote(context);
    else await runPublish(context);
  },
  outputs,
  writeSummary,
});
