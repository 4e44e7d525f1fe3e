import { jest } from '@jest/globals';
import { SummaryBuilder } from '@conveyor/core';
import type { Job, WorkflowRun } from '../../actions/trigger-downstream/src/api';
import { createdSince, jobCarries } from '../../actions/trigger-downstream/src/correlate';
import type { Inputs } from '../../actions/trigger-downstream/src/inputs';
import { AUTO_POLL } from '../../actions/trigger-downstream/src/parse';
import { failedJobs, failureMessage, outputs, writeSummary } from '../../actions/trigger-downstream/src/report';
import type { Trigger } from '../../actions/trigger-downstream/src/trigger';

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

function inputs(trigger: Trigger, repository = { owner: 'xchem', repo: 'stack' }): Inputs {
  return { target: repository, trigger, token: 'ghs_x', wait: true, timeoutMs: 3_600_000, schedule: AUTO_POLL, cancelOnTimeout: true };
}

const workflow = {
  id: 7,
  name: 'Build stack',
  path: '.github/workflows/build.yml',
  state: 'active',
  html_url: 'https://github.com/xchem/stack/blob/main/.github/workflows/build.yml',
};

describe('outputs', () => {
  test('what is known of the run', () => {
    expect(outputs({ startedAt: 0, distinctId: 'abc', run })).toEqual({
      'distinct-id': 'abc',
      'run-id': 99,
      'run-url': 'https://github.com/xchem/stack/actions/runs/99',
      status: 'completed',
      conclusion: 'failure',
    });
  });

  test('nothing known yet: every output is unset (a null conclusion too)', () => {
    expect(outputs({ startedAt: 0 })).toEqual({
      'distinct-id': undefined,
      'run-id': undefined,
      'run-url': undefined,
      status: undefined,
      conclusion: undefined,
    });
    expect(outputs({ startedAt: 0, run: { ...run, status: 'in_progress', conclusion: null } })).toMatchObject({
      status: 'in_progress',
      conclusion: undefined,
    });
  });
});

describe('writeSummary', () => {
  beforeEach(() => jest.useFakeTimers({ now: 125_000 }));
  afterEach(() => jest.useRealTimers());

  test('the run, its jobs with links, conclusions, failed steps and durations', () => {
    const summary = new SummaryBuilder();
    writeSummary(
      summary,
      {
        startedAt: 0,
        workflow: { definition: workflow, ref: 'main' },
        distinctId: 'abc',
        run,
        jobs: [job('build', 'success'), job('test <x>', 'failure', [['Integration | e2e', 'failure']])],
      },
      inputs({ kind: 'workflow', workflow: { kind: 'file', file: 'build.yml' }, inputs: {} }),
    );
    const text = summary.toMarkdown();
    expect(text).toContain('## Downstream run');
    expect(text).toContain('| **Repository** | xchem/stack |');
    expect(text).toContain(
      '| **Trigger** | <a href="https://github.com/xchem/stack/blob/main/.github/workflows/build.yml">workflow \'Build stack\' (.github/workflows/build.yml) on main</a> |',
    );
    expect(text).toContain('| **Run** | <a href="https://github.com/xchem/stack/actions/runs/99">&#35;12 Build stack &#91;abc&#93;</a> |');
    expect(text).toContain('| **Conclusion** | failure |');
    expect(text).toContain('| **Distinct id** | <code>abc</code> |');
    expect(text).toContain('| **Took** | 2m5s |');
    expect(text).toContain('| <a href="https://github.com/xchem/stack/actions/runs/99/job/build">build</a> | success |  | 3m5s |');
    // Remote names are escaped: no markup, no broken table.
    expect(text).toContain('test &lt;x&gt;</a> | failure | Integration &#124; e2e | 3m5s |');
  });

  test('before a run is identified: the trigger as given', () => {
    const summary = new SummaryBuilder();
    writeSummary(
      summary,
      { startedAt: 124_000 },
      inputs({ kind: 'repository', eventType: 'go', clientPayload: {} }, { owner: 'o', repo: 'r' }),
    );
    expect(summary.toMarkdown()).toContain("| **Trigger** | repository&#95;dispatch 'go' |");
    expect(summary.toMarkdown()).toContain('| **Run** | not identified |');
    expect(summary.toMarkdown()).toContain('| **Took** | 1s |');
  });

  test('before the workflow is found: the reference as given', () => {
    const summary = new SummaryBuilder();
    writeSummary(summary, { startedAt: 0 }, inputs({ kind: 'workflow', workflow: { kind: 'name', name: 'Build' }, inputs: {} }));
    expect(summary.toMarkdown()).toContain("| **Trigger** | workflow named 'Build' |");
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
