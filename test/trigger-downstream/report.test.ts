import { SummaryBuilder } from '@conveyor/core';
import type { Job, WorkflowRun } from '../../actions/trigger-downstream/src/api';
import { createdSince, jobCarries } from '../../actions/trigger-downstream/src/correlate';
import { failedJobs, failureMessage, formatDuration, writeSummary } from '../../actions/trigger-downstream/src/report';

const run: WorkflowRun = {
  id: 99,
  display_title: 'Build stack [abc]',
  run_number: 12,
  event: 'workflow_dispatch',
  status: 'completed',
  conclusion: 'failure',
  html_url: 'https://github.com/xchem/stack/actions/runs/99',
  head_branch: 'main',
  created_at: '2026-11-21T10:00:00Z',
  updated_at: '2026-11-21T10:05:00Z',
};

function job(name: string, conclusion: string | null, steps: Array<[string, string | null]> = []): Job {
  return {
    id: name.length,
    name,
    status: conclusion ? 'completed' : 'in_progress',
    conclusion,
    html_url: `https://github.com/xchem/stack/actions/runs/99/job/${name}`,
    started_at: '2026-11-21T10:00:00Z',
    completed_at: conclusion ? '2026-11-21T10:03:05Z' : null,
    steps: steps.map(([stepName, stepConclusion], i) => ({
      name: stepName,
      status: 'completed',
      conclusion: stepConclusion,
      number: i + 1,
    })),
  };
}

describe('failures', () => {
  const jobs = [
    job('build', 'success', [['Build', 'success']]),
    job('test', 'failure', [
      ['Unit', 'success'],
      ['Integration', 'failure'],
      ['Report', 'skipped'],
    ]),
    job('deploy', 'skipped'),
    job('scan', 'timed_out', [['Trivy', 'cancelled']]),
    job('lint', 'cancelled'),
  ];

  test('failed, timed out and cancelled jobs are named with their failed steps; skipped ones are not', () => {
    expect(failedJobs(jobs)).toEqual([
      "'test' (failure at step 'Integration')",
      "'scan' (timed_out at step 'Trivy')",
      "'lint' (cancelled)",
    ]);
  });

  test('the failure line names the conclusion, the jobs and the link', () => {
    expect(failureMessage(run, jobs)).toBe(
      "Downstream run #12 concluded failure: failed jobs 'test' (failure at step 'Integration'), 'scan' (timed_out at step 'Trivy'), 'lint' (cancelled). https://github.com/xchem/stack/actions/runs/99",
    );
    expect(failureMessage({ ...run, conclusion: 'startup_failure' }, [])).toBe(
      'Downstream run #12 concluded startup_failure. https://github.com/xchem/stack/actions/runs/99',
    );
    expect(failureMessage(run, [jobs[1] as Job])).toContain("failed job 'test'");
  });
});

test('formatDuration', () => {
  expect(formatDuration(0)).toBe('0 s');
  expect(formatDuration(59_400)).toBe('59 s');
  expect(formatDuration(185_000)).toBe('3 min 5 s');
  expect(formatDuration(-5)).toBe('0 s');
});

describe('writeSummary', () => {
  test('the run, its jobs with links, conclusions, failed steps and durations', () => {
    const summary = new SummaryBuilder();
    writeSummary(
      summary,
      {
        target: { owner: 'xchem', repo: 'stack' },
        trigger: "workflow 'Build stack' (.github/workflows/build.yml) on main",
        triggerUrl: 'https://github.com/xchem/stack/blob/main/.github/workflows/build.yml',
        distinctId: 'abc',
        run,
        jobs: [job('build', 'success'), job('test <x>', 'failure', [['Integration | e2e', 'failure']])],
        startedAt: 0,
      },
      125_000,
    );
    const text = summary.toMarkdown();
    expect(text).toContain('## Downstream run');
    expect(text).toContain('| **Run** | <a href="https://github.com/xchem/stack/actions/runs/99">#12 Build stack [abc]</a> |');
    expect(text).toContain('| **Conclusion** | failure |');
    expect(text).toContain('| **Distinct id** | <code>abc</code> |');
    expect(text).toContain('| **Took** | 2 min 5 s |');
    expect(text).toContain('| <a href="https://github.com/xchem/stack/actions/runs/99/job/build">build</a> | success |  | 3 min 5 s |');
    // Remote names are escaped: no markup, no broken table.
    expect(text).toContain('test &lt;x&gt;</a> | failure | Integration &#124; e2e | 3 min 5 s |');
  });

  test('before a run is identified', () => {
    const summary = new SummaryBuilder();
    writeSummary(summary, { target: { owner: 'o', repo: 'r' }, trigger: "repository_dispatch 'go'", startedAt: 0 }, 1000);
    expect(summary.toMarkdown()).toContain('| **Run** | not identified |');
  });
});

describe('correlation helpers', () => {
  test('runs are searched from two minutes before the dispatch, in GitHub qualifier form', () => {
    expect(createdSince(Date.parse('2026-11-21T10:00:30.500Z'))).toBe('>=2026-11-21T09:58:30Z');
  });

  test('a job or one of its steps may carry the id', () => {
    expect(jobCarries(job('build abc-1', null), 'abc-1')).toBe(true);
    expect(jobCarries(job('build', null, [['id: abc-1', null]]), 'abc-1')).toBe(true);
    expect(jobCarries(job('build', null, [['id: abc-2', null]]), 'abc-1')).toBe(false);
    expect(jobCarries({ ...job('build', null), steps: undefined }, 'abc-1')).toBe(false);
  });
});
