/**
 * Finding the run a dispatch started when GitHub did not say (repository_dispatch, or a server
 * without run details): the dispatch carried a fresh `distinct_id`, and the receiving workflow shows
 * it in its run name (`run-name: … [${{ inputs.distinct_id }}]`) or in a job or step name. Only a run
 * carrying our id is ever chosen, never "the newest run", so concurrent dispatches each find their own.
 */
import { formatDuration, poll, type Logger } from '@conveyor/core';
import type { ConditionalReader, Job, Target, WorkflowRun } from './api';
import type { PollSchedule } from './parse';

export interface Correlation {
  target: Target;
  distinctId: string;
  event: 'workflow_dispatch' | 'repository_dispatch';
  /** Narrows the search to one workflow's runs (workflow_dispatch). */
  workflowId?: number;
  /** When the dispatch was sent (local clock). */
  since: number;
}

export interface Waiting {
  logger: Logger;
  signal: AbortSignal;
  timeoutMs: number;
  schedule: PollSchedule;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Runner and GitHub clocks differ: search from a little before the dispatch. */
const CLOCK_SKEW_MS = 2 * 60_000;
/** Job listings are read for at most this many unexplained runs per check. */
const JOB_CHECKS_PER_POLL = 5;

/** The GitHub `created` qualifier for runs created since `time`. */
export function createdSince(time: number): string {
  return `>=${new Date(time - CLOCK_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

/** Whether a job or one of its steps carries `id` in its name. */
export function jobCarries(job: Job, id: string): boolean {
  return job.name.includes(id) || (job.steps ?? []).some((step) => step.name.includes(id));
}

/** Checks run listings until runs carrying the id appear; returns them, oldest first. */
export function findRunsByDistinctId(reader: ConditionalReader, correlation: Correlation, waiting: Waiting): Promise<WorkflowRun[]> {
  const { target, distinctId } = correlation;
  const query = {
    ...target,
    event: correlation.event,
    created: createdSince(correlation.since),
    per_page: 100,
  };
  // Runs whose every job has started (or that ended) without the id anywhere: not ours, never read again.
  const ruledOut = new Set<number>();

  const check = async (): Promise<WorkflowRun[] | undefined> => {
    const listing =
      correlation.workflowId === undefined
        ? await reader.get<{ workflow_runs: WorkflowRun[] }>('GET /repos/{owner}/{repo}/actions/runs', query)
        : await reader.get<{ workflow_runs: WorkflowRun[] }>('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
            ...query,
            workflow_id: correlation.workflowId,
          });
    const runs = listing.workflow_runs;
    const named = runs.filter((run) => run.display_title.includes(distinctId));
    if (named.length > 0) return named.sort((a, b) => a.id - b.id);
    for (const run of runs.filter((r) => !ruledOut.has(r.id)).slice(0, JOB_CHECKS_PER_POLL)) {
      const { jobs } = await reader.get<{ jobs: Job[] }>('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {
        ...target,
        run_id: run.id,
        per_page: 100,
      });
      if (jobs.some((job) => jobCarries(job, distinctId))) return [run];
      if (run.status === 'completed' || (jobs.length > 0 && jobs.every((job) => (job.steps ?? []).length > 0))) ruledOut.add(run.id);
    }
    return undefined;
  };

  const receiver =
    correlation.event === 'workflow_dispatch'
      ? "run-name: <title> [${{ inputs.distinct_id }}] (and a 'distinct_id' input)"
      : 'run-name: <title> [${{ github.event.client_payload.distinct_id }}]';
  return poll({
    check,
    intervalMs: Math.min(2_000, waiting.schedule.firstMs),
    maxIntervalMs: Math.min(10_000, waiting.schedule.maxMs),
    timeoutMs: waiting.timeoutMs,
    signal: waiting.signal,
    logger: waiting.logger,
    heartbeat: (elapsed) => `Looking for the run carrying distinct_id ${distinctId} (${formatDuration(elapsed)})`,
    timeoutMessage: (elapsed) =>
      `No run carrying distinct_id ${distinctId} appeared in ${target.owner}/${target.repo} within ${formatDuration(elapsed)}. ` +
      `The receiving workflow must show it, e.g. ${receiver}`,
    now: waiting.now,
    sleep: waiting.sleep,
  });
}
