/**
 * What the step says about the downstream run: the outputs, the failure line naming the failed jobs
 * and steps, and the job summary (run, jobs, conclusions, links). Rendering only: built from the
 * inputs and what the API returned.
 */
import { code, escapeCell, formatDuration, link, type OutputValue, type SummaryBuilder } from '@conveyor/core';
import type { Job, WorkflowRun } from './api';
import type { Inputs } from './inputs';
import { describeReference } from './parse';
import type { Result } from './trigger';

/** Conclusions that mean a job did not do its work (skipped and neutral ones did not fail). */
const FAILED = new Set(['failure', 'cancelled', 'timed_out', 'action_required', 'startup_failure', 'stale']);

function failed(conclusion: string | null): boolean {
  return conclusion !== null && FAILED.has(conclusion);
}

/** The names of a job's steps that failed. */
export function failedSteps(job: Job): string[] {
  return (job.steps ?? []).filter((step) => failed(step.conclusion)).map((step) => step.name);
}

/** `'test' (failure at step 'Run tests')` for each job that failed. */
export function failedJobs(jobs: Job[]): string[] {
  return jobs
    .filter((job) => failed(job.conclusion))
    .map((job) => {
      const steps = failedSteps(job).map((name) => `'${name}'`);
      return `'${job.name}' (${job.conclusion}${steps.length ? ` at step ${steps.join(', ')}` : ''})`;
    });
}

/** The step's failure line for a run that completed without success. */
export function failureMessage(run: WorkflowRun, jobs: Job[]): string {
  const failed = failedJobs(jobs);
  const detail = failed.length > 0 ? `: failed job${failed.length > 1 ? 's' : ''} ${failed.join(', ')}` : '';
  return `Downstream run #${run.run_number} concluded ${run.conclusion ?? 'without a conclusion'}${detail}. ${run.html_url}`;
}

function between(from: string | null, to: string | null): string {
  return from && to ? formatDuration(Date.parse(to) - Date.parse(from)) : '';
}

export type Output = 'run-id' | 'run-url' | 'status' | 'conclusion' | 'distinct-id';

/** The step's outputs: what is known of the run, whatever happened. */
export function outputs(result: Result): Record<Output, OutputValue> {
  const { run } = result;
  return {
    'distinct-id': result.distinctId,
    'run-id': run?.id,
    'run-url': run?.html_url,
    status: run?.status ?? undefined,
    conclusion: run?.conclusion ?? undefined,
  };
}

/** `workflow 'Build' (.github/workflows/build.yml) on main` once found, else the trigger as given. */
function describeTrigger(result: Result, { trigger }: Inputs): string {
  if (result.workflow) {
    const { definition, ref } = result.workflow;
    return `workflow '${definition.name}' (${definition.path}) on ${ref}`;
  }
  return trigger.kind === 'workflow' ? `workflow ${describeReference(trigger.workflow)}` : `repository_dispatch '${trigger.eventType}'`;
}

export function writeSummary(summary: SummaryBuilder, result: Result, inputs: Inputs): void {
  const { run } = result;
  const repository = `${inputs.target.owner}/${inputs.target.repo}`;
  summary.heading('Downstream run');
  const rows: Array<[string, string]> = [
    ['Repository', escapeCell(repository)],
    ['Trigger', link(describeTrigger(result, inputs), result.workflow?.definition.html_url)],
  ];
  if (run) {
    rows.push(
      ['Run', link(`#${run.run_number} ${run.display_title}`, run.html_url)],
      ['Status', escapeCell(run.status ?? '')],
      ['Conclusion', escapeCell(run.conclusion ?? '')],
    );
  } else {
    rows.push(['Run', 'not identified']);
  }
  if (result.distinctId) rows.push(['Distinct id', code(result.distinctId)]);
  if (result.cancelled) rows.push(['Cancelled', 'yes, by this step']);
  rows.push(['Took', formatDuration(Date.now() - result.startedAt)]);
  summary.keyValues(rows);
  if (result.jobs && result.jobs.length > 0) {
    summary.table(
      ['Job', 'Conclusion', 'Failed steps', 'Duration'],
      result.jobs.map((job) => [
        link(job.name, job.html_url ?? undefined),
        escapeCell(job.conclusion ?? job.status),
        escapeCell(failedSteps(job).join(', ')),
        between(job.started_at, job.completed_at),
      ]),
    );
  }
}
