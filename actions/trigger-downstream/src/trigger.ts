/**
 * The whole trigger: find the workflow, dispatch once, identify the run, follow it, judge it. What is
 * learnt along the way goes into the `Result` at once, so the step can set its outputs and write its
 * summary whatever happens. The clock is injectable, so a bench can follow a 10-minute run in seconds.
 */
import { randomUUID } from 'node:crypto';
import { TimeoutError, errorMessage, sleep as realSleep, type Cancellation, type GitHubClient, type Logger } from '@conveyor/core';
import { ConditionalReader, explainAccess, type Job, type Target, type WorkflowRun } from './api';
import { findRunsByDistinctId, type Correlation, type Waiting } from './correlate';
import { dispatch, type DispatchRequest } from './dispatch';
import { cancelRun, listJobs, waitForRun } from './follow';
import type { PollSchedule, WorkflowReference } from './parse';
import { failureMessage } from './report';
import { resolveWorkflow, type Workflow } from './workflows';

/** How long to look for the run of a dispatch whose reply was lost before sending it again. */
const RECONCILE_MS = 15_000;

export type Trigger =
  | { kind: 'workflow'; workflow: WorkflowReference; ref?: string; inputs: Record<string, string> }
  | { kind: 'repository'; eventType: string; clientPayload: Record<string, unknown> };

export interface TriggerOptions {
  target: Target;
  trigger: Trigger;
  wait: boolean;
  timeoutMs: number;
  schedule: PollSchedule;
  cancelOnTimeout: boolean;
}

export interface TriggerDeps {
  client: GitHubClient;
  logger: Logger;
  signal: AbortSignal;
  cancellation: Pick<Cancellation, 'onCancel'>;
  /** A client for the cleanup after the job is cancelled (the step's own is aborted by then). */
  cleanupClient: () => GitHubClient;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What the step has learnt so far; the outputs and the summary show it, on success and on failure. */
export interface Result {
  /** When the step started (the deadline counts from here). */
  startedAt: number;
  /** The workflow to dispatch and the ref it runs on (workflow_dispatch), once known. */
  workflow?: { definition: Workflow; ref: string };
  /** The correlation id the accepted dispatch carried. */
  distinctId?: string;
  run?: WorkflowRun;
  /** The run's jobs, read once it completed. */
  jobs?: Job[];
  /** Set when the step cancelled the run (timeout or job cancellation). */
  cancelled?: boolean;
}

async function defaultBranch(client: GitHubClient, target: Target): Promise<string> {
  try {
    return (await client.request('GET /repos/{owner}/{repo}', { ...target })).data.default_branch;
  } catch (error) {
    throw explainAccess(error, target, 'read access to the repository (metadata)');
  }
}

/** Dispatches, identifies and (if asked) follows the run; throws unless it succeeded. */
export async function triggerDownstream(options: TriggerOptions, deps: TriggerDeps, result: Result): Promise<void> {
  const { target, trigger, schedule } = options;
  const { client, logger, signal, now = Date.now, sleep = realSleep } = deps;
  const deadline = result.startedAt + options.timeoutMs;
  const remaining = () => Math.max(1, deadline - now());
  const waiting = (timeoutMs: number): Waiting => ({ logger, signal, timeoutMs, schedule, now, sleep });
  const reader = new ConditionalReader(client);
  const distinctId = randomUUID();

  let request: DispatchRequest;
  let correlation: Omit<Correlation, 'since'>;
  if (trigger.kind === 'workflow') {
    const workflow = await resolveWorkflow(client, target, trigger.workflow);
    const ref = trigger.ref ?? (await defaultBranch(client, target));
    result.workflow = { definition: workflow, ref };
    request = { kind: 'workflow', workflow, ref, inputs: trigger.inputs };
    // Not narrowed by branch: a run on a tag or a sha names its head_branch differently; the id suffices.
    correlation = { target, distinctId, event: 'workflow_dispatch', workflowId: workflow.id };
  } else {
    request = { kind: 'repository', eventType: trigger.eventType, clientPayload: trigger.clientPayload };
    correlation = { target, distinctId, event: 'repository_dispatch' };
  }
  const find = (since: number, timeoutMs: number) => findRunsByDistinctId(reader, { ...correlation, since }, waiting(timeoutMs));

  const dispatched = await dispatch(client, target, request, {
    distinctId,
    logger,
    signal,
    now,
    reconcile: async (since) => {
      try {
        return (await find(since, Math.min(RECONCILE_MS, remaining())))[0];
      } catch (error) {
        if (error instanceof TimeoutError) return undefined;
        throw error;
      }
    },
  });
  result.distinctId = dispatched.distinctId;

  let run: WorkflowRun;
  if (dispatched.run) {
    run = dispatched.run;
  } else if (dispatched.runId !== undefined) {
    run = await reader.get<WorkflowRun>('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...target, run_id: dispatched.runId });
  } else {
    const [first, ...others] = await find(dispatched.since, remaining());
    run = first as WorkflowRun;
    if (others.length > 0) {
      logger.warning(
        `${others.length + 1} runs carry distinct_id ${distinctId}; following the first. Others: ${others.map((r) => r.html_url).join(', ')}`,
      );
    }
  }
  result.run = run;
  logger.untrusted(`Downstream run #${run.run_number} "${run.display_title}": ${run.html_url}`);
  if (!options.wait) return;

  const stopCancelling = deps.cancellation.onCancel(async () => {
    if (!options.cancelOnTimeout || result.run?.status === 'completed') return;
    result.cancelled = await cancelRun(deps.cleanupClient(), target, run, logger);
  });
  try {
    run = await waitForRun(reader, target, run, { ...waiting(remaining()), onUpdate: (latest) => (result.run = latest) });
  } catch (error) {
    if (error instanceof TimeoutError && options.cancelOnTimeout) {
      result.cancelled = await cancelRun(client, target, result.run ?? run, logger);
      throw new TimeoutError(`${error.message}${result.cancelled ? ' It was cancelled.' : ''}`);
    }
    throw error;
  } finally {
    stopCancelling();
  }
  result.run = run;
  result.jobs = await listJobs(client, target, run.id).catch((error: unknown) => {
    logger.warning(`Could not list the run's jobs: ${errorMessage(error)}`);
    return [];
  });
  if (run.conclusion !== 'success') throw new Error(failureMessage(run, result.jobs));
  logger.info(`Downstream run #${run.run_number} succeeded`);
}
