/**
 * What the step says about the downstream run: the failure line naming the failed jobs and steps,
 * and the job summary (run, jobs, conclusions, links). Pure: built from what the API returned.
 */
import { escapeCell, link, type SummaryBuilder } from '@conveyor/core';
import type { Job, Target, WorkflowRun } from './api';

/** Conclusions that mean a job did not do its work (skipped and neutral ones did not fail). */
const FAILED = new Set(['failure', 'cancelled', 'timed_out', 'action_required', 'startup_failure', 'stale']);

export interface Report {
  target: Target;
  /** `workflow 'Build' (.github/workflows/build.yml)` or `repository_dispatch 'frontend-built'`. */
  trigger: string;
  triggerUrl?: string;
  distinctId?: string;
  run?: WorkflowRun;
  jobs?: Job[];
  /** Set when the action cancelled the run (timeout or job cancellation). */
  cancelled?: boolean;
  startedAt: number;
}

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

/** `42 s` or `3 min 5 s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
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

export function writeSummary(summary: SummaryBuilder, report: Report, now = Date.now()): void {
  const { run, target } = report;
  const repository = `${target.owner}/${target.repo}`;
  summary.heading('Downstream run');
  const rows: Array<[string, string]> = [
    ['Repository', escapeCell(repository)],
    ['Trigger', link(report.trigger, report.triggerUrl)],
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
  if (report.distinctId) rows.push(['Distinct id', `<code>${escapeCell(report.distinctId)}</code>`]);
  if (report.cancelled) rows.push(['Cancelled', 'yes, by this step']);
  rows.push(['Took', formatDuration(now - report.startedAt)]);
  summary.keyValues(rows);
  if (report.jobs && report.jobs.length > 0) {
    summary.table(
      ['Job', 'Conclusion', 'Failed steps', 'Duration'],
      report.jobs.map((job) => [
        link(job.name, job.html_url ?? undefined),
        escapeCell(job.conclusion ?? job.status),
        escapeCell(failedSteps(job).join(', ')),
        between(job.started_at, job.completed_at),
      ]),
    );
  }
}
