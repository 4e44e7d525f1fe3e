// Outside text in trigger-downstream's summary: the workflow's name, the run's title (a commit
// message or run-name), job and step names, the conclusion, the correlation id.
import { SummaryBuilder } from '@conveyor/core';
import type { Inputs } from '../../actions/trigger-downstream/src/inputs';
import { writeSummary } from '../../actions/trigger-downstream/src/report';
import type { Workflow } from '../../actions/trigger-downstream/src/workflows';
import { describeHostileValues } from '../kit/summary-safety';

function summaryWith(value: string): string {
  const summary = new SummaryBuilder();
  const runUrl = 'https://github.com/xchem/fragalysis-stack/actions/runs/99';
  writeSummary(
    summary,
    {
      workflow: {
        definition: {
          name: value,
          path: `.github/workflows/${value}`,
          html_url: 'https://github.com/xchem/fragalysis-stack/blob/master/.github/workflows/build.yml',
        } as Partial<Workflow> as Workflow,
        ref: value,
      },
      distinctId: value,
      run: {
        id: 99,
        display_title: value,
        run_number: 12,
        event: 'workflow_dispatch',
        status: value,
        conclusion: value,
        html_url: runUrl,
        head_branch: value,
        created_at: '2026-11-21T10:00:00Z',
        updated_at: '2026-11-21T10:05:00Z',
      },
      jobs: [
        {
          id: 1,
          name: value,
          status: 'completed',
          conclusion: 'failure',
          html_url: `${runUrl}/job/1`,
          started_at: '2026-11-21T10:00:00Z',
          completed_at: '2026-11-21T10:03:05Z',
          steps: [{ name: value, status: 'completed', conclusion: 'failure', number: 1 }],
        },
      ],
      startedAt: 0,
    },
    { target: { owner: 'xchem', repo: 'fragalysis-stack' } } as Partial<Inputs> as Inputs,
  );
  return summary.toMarkdown();
}

describeHostileValues(summaryWith);
