import { matchesCreated, planRun, renderTemplate, runStateAt } from './model';

describe('run plans and states', () => {
  const plan = planRun(
    [
      {
        name: 'build',
        steps: [
          { name: 'a', durationMs: 10 },
          { name: 'b', durationMs: 20 },
        ],
      },
      { name: 'test', steps: [{ name: 'c', durationMs: 30 }] },
    ],
    1000,
    5,
  );

  test('jobs and steps run one after another after the queue time', () => {
    expect(plan.startedAt).toBe(1005);
    expect(plan.end).toBe(1065);
    expect(plan.jobs.map((job) => [job.name, job.start, job.end])).toEqual([
      ['build', 1005, 1035],
      ['test', 1035, 1065],
    ]);
  });

  test('the state follows the clock', () => {
    expect(runStateAt(plan, 1002)).toMatchObject({ status: 'queued', conclusion: null, updatedAt: 1000 });
    const during = runStateAt(plan, 1020);
    expect(during).toMatchObject({ status: 'in_progress', updatedAt: 1015 });
    expect(during.jobs.map((job) => job.status)).toEqual(['in_progress', 'queued']);
    expect(during.jobs[0]?.steps.map((step) => step.status)).toEqual(['completed', 'in_progress']);
    expect(during.jobs[1]?.steps).toEqual([]);
    expect(runStateAt(plan, 1065)).toMatchObject({ status: 'completed', conclusion: 'success', completedAt: 1065, updatedAt: 1065 });
  });

  test('a cancel cuts the running step and skips what had not started; after the end it changes nothing', () => {
    const cancelled = runStateAt(plan, 2000, 1020);
    expect(cancelled).toMatchObject({ status: 'completed', conclusion: 'cancelled', completedAt: 1020 });
    expect(cancelled.jobs.map((job) => job.conclusion)).toEqual(['cancelled', 'skipped']);
    expect(cancelled.jobs[0]?.steps.map((step) => step.conclusion)).toEqual(['success', 'cancelled']);
    expect(runStateAt(plan, 2000, 1070).conclusion).toBe('success');
    const late = planRun(
      plan.jobs.map((job) => ({ name: job.name, steps: [{ name: 's', durationMs: 30 }] })),
      1000,
      0,
      50,
    );
    expect(runStateAt(late, 1040, 1000)).toMatchObject({ status: 'in_progress' });
    expect(runStateAt(late, 1050, 1000)).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
  });

  test('a failure skips the rest; a cancelled step cancels the run', () => {
    const failing = planRun(
      [
        { name: 'j', steps: [{ name: 'x', conclusion: 'failure' }, { name: 'y' }] },
        { name: 'k', steps: [{ name: 'z' }] },
      ],
      0,
    );
    expect([failing.conclusion, failing.jobs.map((job) => job.conclusion)]).toEqual(['failure', ['failure', 'skipped']]);
    expect(failing.jobs[0]?.steps.map((step) => step.conclusion)).toEqual(['failure', 'skipped']);
    expect(planRun([{ name: 'j', steps: [{ name: 'x', conclusion: 'cancelled' }] }], 0).conclusion).toBe('cancelled');
  });
});

test('renderTemplate evaluates dotted paths; unknown ones render empty', () => {
  const context = { inputs: { id: 'abc' }, github: { event: { client_payload: { n: 3 } } } };
  expect(renderTemplate('Build [${{ inputs.id }}]', context)).toBe('Build [abc]');
  expect(renderTemplate('${{github.event.client_payload.n}}-${{ inputs.missing }}-${{ nothing.here }}', context)).toBe('3--');
});

test("matchesCreated follows GitHub's date qualifiers", () => {
  const at = '2026-11-21T10:00:00Z';
  expect(matchesCreated('>=2026-11-21T10:00:00Z', at)).toBe(true);
  expect(matchesCreated('>2026-11-21T10:00:00Z', at)).toBe(false);
  expect(matchesCreated('<2026-11-21T10:00:01Z', at)).toBe(true);
  expect(matchesCreated('<=2026-11-20', at)).toBe(false);
  expect(matchesCreated('2026-11-21', at)).toBe(true);
  expect(matchesCreated('2026-11-20..2026-11-21', at)).toBe(true);
  expect(matchesCreated('2026-11-22..*', at)).toBe(false);
  expect(matchesCreated('*..2026-11-21T09:00:00Z', at)).toBe(false);
  expect(() => matchesCreated('>=yesterday', at)).toThrow('bad created qualifier');
});
