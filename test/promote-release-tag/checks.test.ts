import { judgeChecks, type CheckRunState } from '../../actions/promote-release-tag/src/checks';

let nextId = 1;
const run = (name: string, status: string, conclusion: string | null, detailsUrl?: string): CheckRunState => ({
  id: nextId++,
  name,
  status,
  conclusion,
  detailsUrl,
});

describe('checks verdict', () => {
  test('successful, neutral and skipped check runs and successful statuses pass', () => {
    const verdict = judgeChecks(
      [run('build', 'completed', 'success'), run('docs', 'completed', 'neutral'), run('optional', 'completed', 'skipped')],
      [{ context: 'ci/jenkins', state: 'success' }],
    );
    expect(verdict).toEqual({ problems: [], counted: 4 });
  });

  test.each(['failure', 'cancelled', 'timed_out', 'action_required', 'stale', 'startup_failure'])('a %s check run fails', (conclusion) => {
    expect(judgeChecks([run('build', 'completed', conclusion)], []).problems).toEqual([`build (${conclusion})`]);
  });

  test('unfinished check runs fail, named with their status', () => {
    expect(judgeChecks([run('e2e', 'in_progress', null), run('lint', 'queued', null)], []).problems).toEqual([
      'e2e (in_progress)',
      'lint (queued)',
    ]);
  });

  test.each(['failure', 'error', 'pending'])('a %s status fails', (state) => {
    expect(judgeChecks([], [{ context: 'ci/travis', state }]).problems).toEqual([`ci/travis (${state})`]);
  });

  test("the promoting workflow run's own check runs do not count", () => {
    const own = run('promote', 'in_progress', null, 'https://github.com/o/r/actions/runs/4242/job/1');
    const other = run('build', 'completed', 'success', 'https://github.com/o/r/actions/runs/42421/job/2');
    expect(judgeChecks([own, other], [], '4242')).toEqual({ problems: [], counted: 1 });
    expect(judgeChecks([own, other], []).problems).toEqual(['promote (in_progress)']);
    expect(judgeChecks([own], [], '').problems).toEqual(['promote (in_progress)']);
  });

  test('a re-run of a check replaces its earlier attempt, whichever order they are listed in', () => {
    const failed = run('build', 'completed', 'failure');
    const passed = run('build', 'completed', 'success');
    expect(judgeChecks([failed, passed], [])).toEqual({ problems: [], counted: 1 });
    expect(judgeChecks([passed, failed], [])).toEqual({ problems: [], counted: 1 });
    const rerunFailing = run('build', 'completed', 'failure');
    expect(judgeChecks([failed, passed, rerunFailing], []).problems).toEqual(['build (failure)']);
  });

  test('nothing at all counts zero', () => {
    expect(judgeChecks([], [])).toEqual({ problems: [], counted: 0 });
  });
});
