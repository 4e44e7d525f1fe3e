/** trigger-downstream's inputs: one typed object, every input validated (and the token masked) before any request. */
import { getBoolean, getDuration, getMap, getString, inputError, maskSecret, splitRepository } from '@conveyor/core';
import { parseClientPayload, parseEventType, parsePollInterval, parseWorkflowInputs, parseWorkflowReference } from './parse';
import type { Trigger, TriggerOptions } from './trigger';

export interface Inputs extends TriggerOptions {
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
