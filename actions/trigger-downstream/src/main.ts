// trigger-downstream: dispatch a workflow (workflow_dispatch) or an event (repository_dispatch) in
// this or another repository, identify the run it started (from the reply, or by a correlation id,
// never by guessing), follow it to the end and fail the step unless it succeeded.
import { defineAction } from '@conveyor/core';
import { getInputs } from './inputs';
import { outputs, writeSummary } from './report';
import { triggerDownstream, type Result } from './trigger';

export const run = defineAction({
  getInputs,
  newResult: (): Result => ({ startedAt: Date.now() }),
  run: async (inputs, result, { logger, signal, cancellation }) => {
    // Octokit loads once the inputs are valid.
    const { createGitHubClient } = await import('@conveyor/core/github');
    const client = createGitHubClient(inputs.token, { logger, signal });
    // The job's signal has aborted by the time a cancellation cleanup runs: that one needs its own client.
    const cleanupClient = () => createGitHubClient(inputs.token, { logger, timeoutMs: 4000, retries: 0 });
    return triggerDownstream(inputs, { client, logger, signal, cancellation, cleanupClient }, result);
  },
  outputs,
  writeSummary,
});
