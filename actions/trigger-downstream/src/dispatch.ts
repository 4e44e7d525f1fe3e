/**
 * Sending the dispatch, once. A dispatch has no idempotency key, so it is never re-sent blindly:
 * - a 4xx means GitHub refused it and nothing started, so a changed request is safe: without
 *   `return_run_details` (older GitHub Enterprise Server rejects the key with 400/422), or without
 *   `distinct_id` (a workflow that does not declare that input rejects it with 422);
 * - a 5xx or a lost connection is ambiguous: the run may have started. If the dispatch carried a
 *   distinct_id, the run is looked for first and the request is sent again only if none appeared.
 */
import { ConfigurationError, statusOf, type GitHubClient, type Logger } from '@conveyor/core';
import { explainAccess, messageOf, type Target, type WorkflowRun } from './api';
import { DISTINCT_ID, MAX_WORKFLOW_INPUTS } from './parse';
import type { Workflow } from './workflows';

export type DispatchRequest =
  | { kind: 'workflow'; workflow: Workflow; ref: string; inputs: Record<string, string> }
  | { kind: 'repository'; eventType: string; clientPayload: Record<string, unknown> };

export interface Dispatched {
  /** The run, when the reply named it. */
  runId?: number;
  /** The run, when it was found while reconciling an ambiguous failure. */
  run?: WorkflowRun;
  /** The correlation id, if the accepted dispatch carried one. */
  distinctId?: string;
  /** When the accepted dispatch was sent (local clock). */
  since: number;
}

export interface DispatchOptions {
  distinctId: string;
  logger: Logger;
  signal: AbortSignal;
  /** Looks for the run carrying the id, dispatched at `since`; undefined if none appeared. */
  reconcile: (since: number) => Promise<WorkflowRun | undefined>;
  now?: () => number;
}

function ambiguous(status: number | undefined): boolean {
  return status === undefined || status >= 500;
}

export async function dispatch(
  client: GitHubClient,
  target: Target,
  request: DispatchRequest,
  options: DispatchOptions,
): Promise<Dispatched> {
  const { distinctId, logger, now = Date.now } = options;
  const repository = `${target.owner}/${target.repo}`;
  const isWorkflow = request.kind === 'workflow';
  const what = isWorkflow ? `'${request.workflow.path}'` : `the '${request.eventType}' event`;
  // repository_dispatch returns no run details; a workflow may not declare the input (a full set of 25 cannot).
  let sendId = !isWorkflow || Object.keys(request.inputs).length < MAX_WORKFLOW_INPUTS;
  let askDetails = isWorkflow;
  let resent = false;

  for (;;) {
    const since = now();
    let runId: unknown;
    try {
      if (request.kind === 'workflow') {
        const reply = await client.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
          ...target,
          workflow_id: request.workflow.id,
          ref: request.ref,
          inputs: sendId ? { ...request.inputs, [DISTINCT_ID]: distinctId } : request.inputs,
          ...(askDetails ? { return_run_details: true } : {}),
        });
        runId = (reply.data as { workflow_run_id?: unknown } | undefined)?.workflow_run_id;
      } else {
        await client.request('POST /repos/{owner}/{repo}/dispatches', {
          ...target,
          event_type: request.eventType,
          client_payload: { ...request.clientPayload, [DISTINCT_ID]: distinctId },
        });
      }
    } catch (error) {
      options.signal.throwIfAborted(); // cancelled, not failed: nothing to reconcile
      const status = statusOf(error);
      const message = messageOf(error);
      if (askDetails && (status === 400 || status === 422) && message.includes('return_run_details')) {
        logger.info(
          `${repository} does not return run details (GitHub Enterprise Server before 3.21); nothing started, dispatching to correlate by ${DISTINCT_ID}`,
        );
        askDetails = false;
        continue;
      }
      if (isWorkflow && sendId && status === 422 && /unexpected inputs/i.test(message) && message.includes(DISTINCT_ID)) {
        if (!askDetails) {
          throw new ConfigurationError(
            `${repository} does not return run details and ${what} declares no '${DISTINCT_ID}' input, so its run could not be identified; nothing was dispatched. ` +
              `Add the input and run-name: <title> [\${{ inputs.${DISTINCT_ID} }}] to the workflow`,
          );
        }
        sendId = false;
        continue;
      }
      if (ambiguous(status) && !resent) {
        if (!sendId) {
          throw new Error(
            `Dispatching ${what} failed after the request was sent (${message}). It may have started a run, which cannot be identified ` +
              `without a '${DISTINCT_ID}' input, so it was not sent again: check ${repository}'s Actions tab`,
          );
        }
        logger.warning(`Dispatching ${what} failed after the request was sent (${message}); looking for the run before sending it again`);
        const run = await options.reconcile(since);
        if (run) return { run, distinctId, since };
        logger.warning(`No run carrying ${DISTINCT_ID} ${distinctId} appeared: dispatching once more`);
        resent = true;
        continue;
      }
      if (status === 422) throw new ConfigurationError(`GitHub refused to dispatch ${what} in ${repository} (422 ${message})`);
      throw explainAccess(
        error,
        target,
        isWorkflow ? '`actions: write` to dispatch workflows' : '`contents: write` to send repository_dispatch events',
      );
    }
    if (typeof runId === 'number') return { runId, distinctId: sendId ? distinctId : undefined, since };
    if (!sendId) {
      throw new Error(
        `${repository} started ${what} but returned no run details, and the workflow declares no '${DISTINCT_ID}' input, so its run ` +
          `cannot be identified. Add a '${DISTINCT_ID}' input and run-name: <title> [\${{ inputs.${DISTINCT_ID} }}] to the workflow`,
      );
    }
    return { distinctId, since };
  }
}
