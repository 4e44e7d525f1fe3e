/**
 * The "is this commit green" verdict from its check runs and commit statuses. Pure.
 * The promotion job's own check run (still in progress while we decide) does not count against it.
 * Check runs are asked for with GitHub's `filter=latest`; the newest per name is kept here as well, so
 * the verdict does not depend on the server applying it.
 */

export interface CheckRunState {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  /** Links to the workflow run and job for Actions check runs. */
  detailsUrl?: string | null;
}

export interface CommitStatusState {
  context: string;
  state: string;
}

export interface ChecksVerdict {
  /** Everything that did not succeed, as `name (state)`. */
  problems: string[];
  /** How many check runs and statuses were considered. */
  counted: number;
}

const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

/** Whether the check run belongs to the workflow run `runId` (the job doing the promotion). */
function isOwnRun(run: CheckRunState, runId: string | undefined): boolean {
  return runId !== undefined && runId !== '' && (run.detailsUrl ?? '').includes(`/actions/runs/${runId}/`);
}

/** The newest run of each check name: a re-run that passed replaces the failed attempt before it. */
function latestPerName(runs: readonly CheckRunState[]): CheckRunState[] {
  const latest = new Map<string, CheckRunState>();
  for (const run of runs) if ((latest.get(run.name)?.id ?? -1) < run.id) latest.set(run.name, run);
  return [...latest.values()];
}

export function judgeChecks(runs: readonly CheckRunState[], statuses: readonly CommitStatusState[], ownRunId?: string): ChecksVerdict {
  const counted = latestPerName(runs).filter((run) => !isOwnRun(run, ownRunId));
  const problems = [
    ...counted
      .filter((run) => run.status !== 'completed' || !PASSING_CONCLUSIONS.has(run.conclusion ?? ''))
      .map((run) => `${run.name} (${run.status === 'completed' ? run.conclusion : run.status})`),
    ...statuses.filter((status) => status.state !== 'success').map((status) => `${status.context} (${status.state})`),
  ];
  return { problems, counted: counted.length + statuses.length };
}
