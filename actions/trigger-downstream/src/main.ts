// trigger-downstream: dispatch a workflow (workflow_dispatch) or an event (repository_dispatch) in
// this or another repository, identify the run it started (from the reply, or by a correlation id,
// never by guessing), follow it to the end and fail the step unless it succeeded.
import {
  createGitHubClient,
  getBoolean,
  getDuration,
  getMap,
  getString,
  inputError,
  maskSecret,
  runAction,
  splitRepository,
  type StepContext,
} from '@conveyor/core';
import { parseClientPayload, parseEventType, parsePollInterval, parseWorkflowInputs, parseWorkflowReference } from './parse';
import { writeSummary } from './report';
import { newReport, triggerDownstream, type Trigger, type TriggerOptions } from './trigger';

interface Inputs extends TriggerOptions {
  token: string;
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

async function main({ logger, signal, cancellation, summary, setOutput }: StepContext): Promise<void> {
  const { token, ...options } = getInputs();
  const report = newReport(options, Date.now());
  const client = createGitHubClient(token, { logger, signal });
  const cleanupClient = () => createGitHubClient(token, { logger, timeoutMs: 4000, retries: 0 });
  try {
    await triggerDownstream(options, { client, logger, signal, cancellation, cleanupClient }, report);
  } finally {
    // Whatever happened, the outputs say what is known.
    setOutput('distinct-id', report.distinctId ?? '');
    setOutput('run-id', report.run?.id ?? '');
    setOutput('run-url', report.run?.html_url ?? '');
    setOutput('status', report.run?.status ?? '');
    setOutput('conclusion', report.run?.conclusion ?? '');
    writeSummary(summary, report);
  }
}

export const run = () => runAction({ main });
