/**
 * promote-release-tag: candidate tags, promotion to release tags, publishing releases.
 */
import { createGitHubClient, errorMessage, maskSecret, runAction, type StepContext } from '@conveyor/core';
import { findFiles } from './files';
import { checkActor, getInputs } from './inputs';
import { runCandidate, runPromote, runPublish, type Outcome } from './modes';
import { ReleaseRepository } from './repository';
import { writeSummary } from './summary';

/** Asset uploads may be large; other requests keep the client's default bound. */
const UPLOAD_TIMEOUT_MS = 15 * 60_000;

async function main({ logger, signal, summary, setOutput }: StepContext): Promise<void> {
  const inputs = getInputs();
  maskSecret(inputs.token);
  checkActor(inputs.allowedActors, [process.env.GITHUB_ACTOR, process.env.GITHUB_TRIGGERING_ACTOR]);
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const files = inputs.mode === 'promote' ? await findFiles(inputs.files, workspace) : [];

  const github = createGitHubClient(inputs.token, { logger, signal });
  const uploader = createGitHubClient(inputs.token, { logger, signal, timeoutMs: UPLOAD_TIMEOUT_MS });
  const repository = new ReleaseRepository(github, uploader, inputs.owner, inputs.repo, logger, signal);
  const outcome: Outcome = { mode: inputs.mode, dryRun: inputs.dryRun, steps: [], unchanged: [] };
  const context = { repository, config: inputs.config, logger, dryRun: inputs.dryRun, outcome };
  let failure: string | undefined;
  try {
    if (inputs.mode === 'candidate') {
      await runCandidate(context, { sha: inputs.sha, id: inputs.id, version: inputs.version, now: new Date() });
    } else if (inputs.mode === 'promote') {
      await runPromote(context, {
        sourceTag: inputs.sourceTag,
        requireChecks: inputs.requireChecks,
        generateNotes: inputs.generateNotes,
        files,
        ownRunId: process.env.GITHUB_RUN_ID,
      });
    } else {
      await runPublish(context, inputs.tag);
    }
  } catch (error) {
    failure = errorMessage(error);
    throw error;
  } finally {
    setOutput('tag', outcome.tag ?? '');
    setOutput('sha', outcome.sha ?? '');
    setOutput('release-id', outcome.release?.id ?? '');
    setOutput('release-url', outcome.release?.htmlUrl ?? '');
    setOutput('previous-tag', outcome.previousTag ?? '');
    writeSummary(summary, outcome, {
      repository: `${inputs.owner}/${inputs.repo}`,
      serverUrl: process.env.GITHUB_SERVER_URL ?? 'https://github.com',
      failure,
    });
  }
}

export const run = () => runAction({ main });
