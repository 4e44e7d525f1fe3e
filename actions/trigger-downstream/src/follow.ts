/**
 * Following the downstream run to its end: conditional GETs on the run (an unchanged run answers a
 * free 304), intervals that grow while it runs, a heartbeat with its link, and a few transient errors
 * tolerated (the client already retried each, and waited out rate limits). A 401 while waiting ends
 * the wait at once, naming the token and the run that goes on without this step.
 */
import { errorMessage, formatDuration, inputError, poll, statusOf, type GitHubClient, type Logger } from '@conveyor/core';
import { messageOf, refusal, type ConditionalReader, type Job, type Target, type WorkflowRun } from './api';
import type { Waiting } from './correlate';

/** Polls the run until it completes; `onUpdate` sees every state read (for the outputs on failure). */
export function waitForRun(
  reader: ConditionalReader,
  target: Target,
  first: WorkflowRun,
  waiting: Waiting & { onUpdate: (run: WorkflowRun) => void },
): Promise<WorkflowRun> {
  const { logger } = waiting;
  let latest = first;
  const check = async (): Promise<WorkflowRun | undefined> => {
    let fetched: WorkflowRun;
    try {
      fetched = await reader.get<WorkflowRun>('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...target, run_id: first.id });
    } catch (error) {
      // Revoked or expired (GitHub App installation tokens last an hour): says nothing about the run.
      if (statusOf(error) === 401 && !waiting.signal.aborted) {
        throw inputError(
          'token',
          `${refusal(error)} while following run ${latest.id}, which goes on without this step: ${latest.html_url}`,
        );
      }
      throw error;
    }
    if (fetched.status !== latest.status) logger.info(`Run #${fetched.run_number} is ${fetched.status}`);
    latest = fetched;
    waiting.onUpdate(latest);
    return latest.status === 'completed' ? latest : undefined;
  };
  return poll({
    check,
    intervalMs: waiting.schedule.firstMs,
    maxIntervalMs: waiting.schedule.maxMs,
    timeoutMs: waiting.timeoutMs,
    signal: waiting.signal,
    logger,
    heartbeat: (elapsed) =>
      `Waiting for run #${latest.run_number} (${latest.status ?? 'unknown'}, ${formatDuration(elapsed)}): ${latest.html_url}`,
    timeoutMessage: (elapsed) =>
      `Run #${latest.run_number} did not finish within ${formatDuration(elapsed)} (still ${latest.status}): ${latest.html_url}`,
    transientFailures: { warning: (error) => `Could not read the run's status (${errorMessage(error)}); trying again` },
    now: waiting.now,
    sleep: waiting.sleep,
  });
}

/** Asks GitHub to cancel the run; true if it accepted (202), false if the run had already completed (409). */
export async function cancelRun(client: GitHubClient, target: Target, run: WorkflowRun, logger: Logger): Promise<boolean> {
  try {
    await client.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', { ...target, run_id: run.id });
    logger.warning(`Cancelled downstream run #${run.run_number}: ${run.html_url}`);
    return true;
  } catch (error) {
    if (statusOf(error) === 409) {
      logger.info(`Run #${run.run_number} had already completed; nothing to cancel`);
      return false;
    }
    logger.warning(`Could not cancel ${run.html_url}: ${messageOf(error)} (the token needs actions: write)`);
    return false;
  }
}

/** The run's jobs (latest attempt), every page. */
export async function listJobs(client: GitHubClient, target: Target, runId: number): Promise<Job[]> {
  return await client.paginate('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {
    ...target,
    run_id: runId,
    per_page: 100,
  });
}
