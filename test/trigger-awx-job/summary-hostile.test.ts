// Outside text in trigger-awx-job's summary: the template, organization, host and workflow node
// names, the job's status, and the last lines of its output.
import { SummaryBuilder } from '@conveyor/core';
import type { Inputs } from '../../actions/trigger-awx-job/src/inputs';
import type { Job } from '../../actions/trigger-awx-job/src/launch';
import { writeSummary } from '../../actions/trigger-awx-job/src/report';
import type { Template } from '../../actions/trigger-awx-job/src/templates';
import { newJobRun } from '../../actions/trigger-awx-job/src/trigger';
import { describeHostileValues } from '../kit/summary-safety';

function summaryWith(value: string): string {
  const run = newJobRun();
  run.tail.push(`TASK [${value}] ****\nfatal: [k8s-staging]: FAILED! => ${value}\n`);
  run.template = { id: 7, name: value, summary_fields: { organization: { name: value } } } as Partial<Template> as Template;
  run.job = { id: 42, status: value, elapsed: 12.5 } satisfies Job;
  run.jobUrl = 'https://awx.example.com/#/jobs/workflow/42/output';
  run.hosts = [{ host_name: value, ok: 1, changed: 0, dark: 0, failures: 1, skipped: 0 }];
  run.nodes = [{ id: 3, job: 43, summary_fields: { unified_job_template: { name: value }, job: { id: 43, status: value } } }];
  const inputs = { template: { kind: 'workflow', nameOrId: value } } as Partial<Inputs> as Inputs;
  const summary = new SummaryBuilder();
  writeSummary(summary, run, inputs);
  return summary.toMarkdown();
}

describeHostileValues(summaryWith);
