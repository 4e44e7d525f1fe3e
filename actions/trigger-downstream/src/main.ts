// trigger-downstream: dispatch a workflow (workflow_dispatch) or an event (repository_dispatch) in
// this or another repository, identify the run it started (from the reply, or by a correlation id,
// never by guessing), follow it to the end and fail the step unless it succeeded.
import { randomUUID } from 'node:crypto';
import {
  TimeoutError,
  createGitHubClient,
  errorMessage,
  getBoolean,
  getDuration,
  getMap,
  getString,
  inputError,
  maskSecret,
  runAction,
  splitRepository,
  type GitHubClient,
  type StepContext,
} from '@conveyor/core';
import { ConditionalReader, explainAccess, type Target, type WorkflowRun } from './api';
import { findRunsByDistinctId, type Correlation } from './correlate';
import { dispatch, type DispatchRequest } from './dispatch';
import { cancelRun, listJobs, waitForRun } from './follow';
import {
  describeReference,
  parseClientPayload,
  parseEventType,
  parsePollInterval,
  parseWorkflowInputs,
  parseWorkflowReference,
  type PollSchedule,
  type WorkflowReference,
} from './parse';
import { failureMessage, writeSummary, type Report } from './report';
import { resolveWorkflow } from './workflows';

/** How long to look for the run of a dispatch whose reply was lost before sending it again. */
const RECONCILE_MS = 15_000;

type Trigger =
  | { kind: 'workflow'; workflow: WorkflowReference; ref?: string; inputs: Record<string, string> }
  | { kind: 'repository'; eventType: string; clientPayload: Record<string, unknown> };

interface Inputs {
  target: Target;
  trigger: Trigger;
  token: string;
  wait: boolean;
  timeoutMs: number;
  schedule: PollSchedule;
  cancelOnTimeout: boolean;
}

function getTrigger(): Trigger {
  const workflow = getString('workflow');
  const eventType = parseEventType(getString('event-type'));
  if (workflow && eventType) throw inputError('event-type', "cannot be set together with 'workflow'", 'Set exactly one of them');
  if (!workflow && !eventType) {
    throw inputError(
      'workflow',
      "is required (or 'event-type')",
      'Give the workflow file name, display name or id, or a repository_dispatch event type',
    );
  }
  const inputs = getMap('inputs');
  const clientPayload = getMap('client-payload');
  if (workflow) {
    if (Object.keys(clientPayload).length > 0)
      throw inputError('client-payload', 'applies to repository_dispatch only', "Use 'inputs' for a workflow");
    return {
      kind: 'workflow',
      workflow: parseWorkflowReference(workflow),
      ref: getString('ref') || undefined,
      inputs: parseWorkflowInputs(inputs),
    };
  }
  if (Object.keys(inputs).length > 0)
    throw inputError('inputs', 'applies to workflow_dispatch only', "Use 'client-payload' with 'event-type'");
  if (getString('ref'))
    throw inputError('ref', 'applies to workflow_dispatch only', 'repository_dispatch always runs on the default branch');
  return { kind: 'repository', eventType, clientPayload: parseClientPayload(clientPayload) };
}

export function getInputs(): Inputs {
  const token = getString('token');
  maskSecret(token);
  if (!token) throw inputError('token', 'is empty', 'Pass a token, e.g. ${{ secrets.STACK_DISPATCH_TOKEN }}');
  const repository = getString('repository');
  const target = splitRepository(repository);
  if (!target) throw inputError('repository', `'${repository}' is not in owner/repo form`, 'Give it like xchem/fragalysis-stack');
  const trigger = getTrigger();
  const timeoutMs = getDuration('timeout', 3_600_000);
  if (timeoutMs <= 0) throw inputError('timeout', 'must be more than 0', "Give a duration such as '1h' or '30m'");
  return {
    target,
    trigger,
    token,
    wait: getBoolean('wait', true),
    timeoutMs,
    schedule: parsePollInterval(getString('poll-interval')),
    cancelOnTimeout: getBoolean('cancel-on-timeout', true),
  };
}

async function defaultBranch(client: GitHubClient, target: Target): Promise<string> {
  try {
    return (await client.request('GET /repos/{owner}/{repo}', { ...target })).data.default_branch;
  } catch (error) {
    throw explainAccess(error, target, 'read access to the repository (metadata)');
  }
}

async function main({ logger, signal, cancellation, summary, setOutput }: StepContext): Promise<void> {
  const inputs = getInputs();
  const { target, trigger, schedule } = inputs;
  const startedAt = Date.now();
  const deadline = startedAt + inputs.timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  const report: Report = {
    target,
    trigger: trigger.kind === 'workflow' ? `workflow ${describeReference(trigger.workflow)}` : `repository_dispatch '${trigger.eventType}'`,
    startedAt,
  };
  const client = createGitHubClient(inputs.token, { logger, signal });
  const reader = new ConditionalReader(client);
  const distinctId = randomUUID();
  try {
    let request: DispatchRequest;
    let correlation: Omit<Correlation, 'since'>;
    if (trigger.kind === 'workflow') {
      const workflow = await resolveWorkflow(client, target, trigger.workflow);
      const ref = trigger.ref ?? (await defaultBranch(client, target));
      report.trigger = `workflow '${workflow.name}' (${workflow.path}) on ${ref}`;
      report.triggerUrl = workflow.html_url;
      request = { kind: 'workflow', workflow, ref, inputs: trigger.inputs };
      correlation = {
        target,
        distinctId,
        event: 'workflow_dispatch',
        workflowId: workflow.id,
        branch: ref.replace(/^refs\/(heads|tags)\//, ''),
      };
    } else {
      request = { kind: 'repository', eventType: trigger.eventType, clientPayload: trigger.clientPayload };
      correlation = { target, distinctId, event: 'repository_dispatch' };
    }
    const find = (since: number, timeoutMs: number) =>
      findRunsByDistinctId(client, reader, { ...correlation, since }, { logger, signal, timeoutMs, schedule });

    const dispatched = await dispatch(client, target, request, {
      distinctId,
      logger,
      reconcile: async (since) => {
        try {
          return (await find(since, Math.min(RECONCILE_MS, remaining())))[0];
        } catch (error) {
          if (error instanceof TimeoutError) return undefined;
          throw error;
        }
      },
    });
    report.distinctId = dispatched.distinctId;
    setOutput('distinct-id', dispatched.distinctId ?? '');

    let run: WorkflowRun;
    if (dispatched.run) {
      run = dispatched.run;
    } else if (dispatched.runId !== undefined) {
      run = await reader.get<WorkflowRun>('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...target, run_id: dispatched.runId });
    } else {
      const runs = await find(dispatched.since, remaining());
      run = runs[0] as WorkflowRun;
      if (runs.length > 1) {
        logger.warning(
          `${runs.length} runs carry distinct_id ${distinctId}; following the first. Others: ${runs
            .slice(1)
            .map((r) => r.html_url)
            .join(', ')}`,
        );
      }
    }
    const record = (latest: WorkflowRun) => {
      report.run = latest;
      setOutput('status', latest.status ?? '');
      setOutput('conclusion', latest.conclusion ?? '');
    };
    record(run);
    setOutput('run-id', run.id);
    setOutput('run-url', run.html_url);
    logger.untrusted(`Downstream run #${run.run_number} "${run.display_title}": ${run.html_url}`);
    if (!inputs.wait) return;

    const stopCancelling = cancellation.onCancel(async () => {
      if (!inputs.cancelOnTimeout || report.run?.status === 'completed') return;
      // The step's own client is aborted with the job: cancel through a fresh, short-lived one.
      const cleanupClient = createGitHubClient(inputs.token, { logger, timeoutMs: 4000, retries: 0 });
      report.cancelled = await cancelRun(cleanupClient, target, run, logger);
    });
    try {
      run = await waitForRun(reader, target, run, { logger, signal, timeoutMs: remaining(), schedule, onUpdate: record });
    } catch (error) {
      if (error instanceof TimeoutError && inputs.cancelOnTimeout) {
        report.cancelled = await cancelRun(client, target, report.run ?? run, logger);
        throw new TimeoutError(`${error.message}${report.cancelled ? ' It was cancelled.' : ''}`);
      }
      throw error;
    } finally {
      stopCancelling();
    }
    record(run);
    report.jobs = await listJobs(client, target, run.id).catch((error: unknown) => {
      logger.warning(`Could not list the run's jobs: ${errorMessage(error)}`);
      return [];
    });
    if (run.conclusion !== 'success') throw new Error(failureMessage(run, report.jobs));
    logger.info(`Downstream run #${run.run_number} succeeded`);
  } finally {
    writeSummary(summary, report);
  }
}

export const run = () => runAction({ main });
