/**
 * The end of a followed job: the host recap, and on failure the reason with the job's explanation
 * and the last lines of its output (a workflow's are those of its failed node's job).
 */
import { formatDuration, type HttpClient, type Logger } from '@conveyor/core';
import type { Page } from './api';
import { fetchTail, type WorkflowNode } from './follow';
import type { Job } from './launch';
import { jobLabel, type TemplateKind } from './prompts';
import { OutputTail } from './tail';
import type { JobRun } from './trigger';

export interface HostSummary {
  host_name: string;
  ok: number;
  changed: number;
  dark: number;
  failures: number;
  skipped: number;
}

/** Reads the host recap; on failure shows the last lines of the output and throws with the reason. */
export async function conclude(
  http: HttpClient,
  kind: TemplateKind,
  job: Job,
  run: JobRun,
  streamed: boolean,
  logger: Logger,
): Promise<void> {
  const label = jobLabel(kind);
  if (kind === 'job') {
    const path = job.related?.job_host_summaries ?? `jobs/${job.id}/job_host_summaries/`;
    run.hosts = (await http.get<Page<HostSummary>>(path, { query: { page_size: 200 } })).data.results;
  }
  if (job.status === 'successful') {
    logger.info(`AWX ${label} ${job.id} succeeded in ${formatDuration((job.elapsed ?? 0) * 1000)}`);
    return;
  }
  const failedNode = run.nodes?.find((node) => node.summary_fields?.job?.status && node.summary_fields.job.status !== 'successful');
  const failedNodeJob = failedNode?.summary_fields?.job?.id;
  if (kind === 'workflow' && failedNodeJob !== undefined) {
    run.tail = new OutputTail();
    await fetchTail(http, failedNodeJob, run.tail);
  } else if (kind === 'job' && !streamed) {
    await fetchTail(http, job.id, run.tail);
  }
  if (!streamed && !run.tail.isEmpty) {
    const text = run.tail.text();
    await logger.group('The last lines of the job output', () => Promise.resolve(logger.untrusted(text)));
  }
  throw new Error(failureMessage(label, job, failedNode));
}

function failureMessage(label: string, job: Job, failedNode: WorkflowNode | undefined): string {
  const reasons = [job.job_explanation, job.result_traceback?.trim().split('\n').pop()?.trim()].filter((text) => text);
  const node = failedNode ? ` at node '${failedNode.summary_fields?.unified_job_template?.name ?? failedNode.id}'` : '';
  return `AWX ${label} ${job.id} ended with status '${job.status}'${node}${reasons.length > 0 ? `: ${reasons.join(' | ')}` : ''}`;
}
