/** trigger-awx-job's outputs and job summary, rendered from the result record (no requests). */
import { escapeCell, formatDuration, link, type OutputValue, type SummaryBuilder } from '@conveyor/core';
import type { Inputs } from './inputs';
import { jobLabel } from './prompts';
import type { JobRun } from './trigger';

export type Output = 'job-id' | 'job-url' | 'status' | 'elapsed';

export function outputs(run: JobRun): Record<Output, OutputValue> {
  const { job } = run;
  return { 'job-id': job?.id, 'job-url': run.jobUrl, status: job?.status, elapsed: job && (job.elapsed ?? 0) };
}

export function writeSummary(summary: SummaryBuilder, run: JobRun, inputs: Inputs): void {
  const { template, job } = run;
  summary.heading(`AWX ${jobLabel(inputs.template.kind)}`);
  const templateText = template
    ? `${template.name} (id ${template.id}, ${template.summary_fields?.organization?.name ?? 'no organization'})`
    : inputs.template.nameOrId;
  summary.keyValues([
    ['Template', escapeCell(templateText)],
    ['Job', job ? link(`#${job.id}`, run.jobUrl) : 'not launched'],
    ['Status', job ? escapeCell(job.status) : '-'],
    ['Duration', job?.elapsed !== undefined ? formatDuration(job.elapsed * 1000) : '-'],
  ]);
  if (run.hosts && run.hosts.length > 0) {
    summary.table(
      ['Host', 'ok', 'changed', 'unreachable', 'failed', 'skipped'],
      run.hosts.map((host) => [escapeCell(host.host_name), ...[host.ok, host.changed, host.dark, host.failures, host.skipped].map(String)]),
    );
  }
  if (run.nodes && run.nodes.length > 0) {
    summary.table(
      ['Node', 'Job', 'Status'],
      run.nodes.map((node) => [
        escapeCell(node.summary_fields?.unified_job_template?.name ?? String(node.id)),
        node.job === null ? '-' : String(node.job),
        node.do_not_run ? 'not run' : escapeCell(node.summary_fields?.job?.status ?? 'pending'),
      ]),
    );
  }
  if (job && job.status !== 'successful' && !run.tail.isEmpty) summary.details('Last lines of the output', run.tail.text());
}
