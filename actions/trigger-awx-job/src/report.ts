/**
 * The end of a followed job: the host recap, the failure message with the job's explanation and the
 * tail of its output, credential errors named by input, and the job summary.
 */
import { HttpError, errorMessage, escapeCell, inputError, link, type HttpClient, type Logger, type StepContext } from '@conveyor/core';
import type { Auth } from './api';
import { fetchTail, formatDuration, type WorkflowNode } from './follow';
import type { Inputs } from './inputs';
import type { Job } from './launch';
import { jobLabel, type TemplateKind } from './prompts';
import { OutputTail } from './tail';
import type { Template } from './templates';

/** What the summary reports; filled in as the step goes. */
export interface Report {
  inputs: Inputs;
  template?: Template;
  job?: Job;
  jobUrl?: string;
  hosts?: HostSummary[];
  nodes?: WorkflowNode[];
  tail: OutputTail;
}

interface HostSummary {
  host_name: string;
  ok: number;
  changed: number;
  dark: number;
  failures: number;
  skipped: number;
}

/** Reads the host recap; on failure shows the last lines of the output and throws with the reason. */
export async function conclude(http: HttpClient, kind: TemplateKind, job: Job, report: Report, logger: Logger): Promise<void> {
  const label = jobLabel(kind);
  if (kind === 'job') {
    const path = job.related?.job_host_summaries ?? `jobs/${job.id}/job_host_summaries/`;
    report.hosts = (await http.get<{ results: HostSummary[] }>(path, { query: { page_size: 200 } })).data.results;
  }
  if (job.status === 'successful') {
    logger.info(`AWX ${label} ${job.id} succeeded in ${formatDuration((job.elapsed ?? 0) * 1000)}`);
    return;
  }
  const failedNode = report.nodes?.find((node) => node.summary_fields?.job?.status && node.summary_fields.job.status !== 'successful');
  const streamed = report.inputs.streamOutput;
  // The summary shows the tail of the failed job: a workflow's is the failed node's job.
  const failedNodeJob = failedNode?.summary_fields?.job?.id;
  if (kind === 'workflow' && failedNodeJob !== undefined) {
    report.tail = new OutputTail();
    await fetchTail(http, failedNodeJob, report.tail);
  } else if (kind === 'job' && !streamed) {
    await fetchTail(http, job.id, report.tail);
  }
  if (!streamed && !report.tail.isEmpty) {
    await logger.group('The last lines of the job output', async () => logger.untrusted(report.tail.text()));
  }
  throw new Error(failureMessage(label, job, failedNode));
}

/** A 401 is the credentials' fault: say which input to fix. */
export function explainRejectedCredentials(error: unknown, auth: Auth): unknown {
  if (!(error instanceof HttpError) || error.status !== 401) return error;
  const detail = errorMessage(error).replace(/^.*failed: /, '');
  return auth.kind === 'token'
    ? inputError(
        'token',
        `AWX did not accept it (${detail})`,
        'Check the secret; on Automation Platform 2.5+ create the token on the platform gateway',
      )
    : inputError(
        'password',
        `AWX did not accept 'username' and 'password' (${detail})`,
        'Check them, or use a token (Automation Platform 2.7 removes basic auth)',
      );
}

function failureMessage(label: string, job: Job, failedNode: WorkflowNode | undefined): string {
  const reasons = [job.job_explanation, job.result_traceback?.trim().split('\n').pop()?.trim()].filter((text) => text);
  const node = failedNode ? ` at node '${failedNode.summary_fields?.unified_job_template?.name ?? failedNode.id}'` : '';
  return `AWX ${label} ${job.id} ended with status '${job.status}'${node}${reasons.length > 0 ? `: ${reasons.join(' | ')}` : ''}`;
}

export function writeSummary(summary: StepContext['summary'], report: Report): void {
  const { template, job } = report;
  summary.heading(`AWX ${jobLabel(report.inputs.template.kind)}`);
  const templateText = template
    ? `${template.name} (id ${template.id}, ${template.summary_fields?.organization?.name ?? 'no organization'})`
    : report.inputs.template.nameOrId;
  summary.keyValues([
    ['Template', escapeCell(templateText)],
    ['Job', job ? link(`#${job.id}`, report.jobUrl) : 'not launched'],
    ['Status', job ? escapeCell(job.status) : '-'],
    ['Duration', job?.elapsed !== undefined ? formatDuration(job.elapsed * 1000) : '-'],
  ]);
  if (report.hosts && report.hosts.length > 0) {
    summary.table(
      ['Host', 'ok', 'changed', 'unreachable', 'failed', 'skipped'],
      report.hosts.map((host) => [
        escapeCell(host.host_name),
        ...[host.ok, host.changed, host.dark, host.failures, host.skipped].map(String),
      ]),
    );
  }
  if (report.nodes && report.nodes.length > 0) {
    summary.table(
      ['Node', 'Job', 'Status'],
      report.nodes.map((node) => [
        escapeCell(node.summary_fields?.unified_job_template?.name ?? String(node.id)),
        node.job === null ? '-' : String(node.job),
        node.do_not_run ? 'not run' : escapeCell(node.summary_fields?.job?.status ?? 'pending'),
      ]),
    );
  }
  if (job && job.status !== 'successful' && !report.tail.isEmpty) summary.details('Last lines of the output', report.tail.text());
}
