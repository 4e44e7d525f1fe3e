// Outside text in trigger-awx-job's summary: the template, organization, host and workflow node
// names, the job's status, and the last lines of its output.
import { SummaryBuilder } from '@conveyor/core';
import type { Inputs } from '../../actions/trigger-awx-job/src/inputs';
import type { Job } from '../../actions/trigger-awx-job/src/launch';
import { writeSummary, type Report } from '../../actions/trigger-awx-job/src/report';
import { OutputTail } from '../../actions/trigger-awx-job/src/tail';
import type { Template } from '../../actions/trigger-awx-job/src/templates';
import { describeHostileValues } from '../kit/summary-safety';

function summaryWith(value: string): string {
  const tail = new OutputTail();
  tail.push(`TASK [${value}] ****\nfatal: [k8s-staging]: FAILED! => ${value}\n`);
  const template = { id: 7, name: value, summary_fields: { organization: { name: value } } } as Partial<Template> as Template;
  const job: Job = { id: 42, status: value, elapsed: 12.5 };
  const report: Report = {
    inputs: { template: { kind: 'workflow', nameOrId: value } } as Partial<Inputs> as Inputs,
    template,
    job,
    jobUrl: 'https://awx.example.com/#/jobs/workflow/42/output',
    hosts: [{ host_name: value, ok: 1, changed: 0, dark: 0, failures: 1, skipped: 0 }],
    nodes: [{ id: 3, job: 43, summary_fields: { unified_job_template: { name: value }, job: { id: 43, status: value } } }],
    tail,
  };
  const summary = new SummaryBuilder();
  writeSummary(summary, report);
  return summary.toMarkdown();
}

describeHostileValues(summaryWith);
