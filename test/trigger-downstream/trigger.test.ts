// The trigger code in-process, on a virtual clock shared with the GitHub stand-in: long waits (a
// 10-minute run, a 1-hour timeout) are checked for their schedule, heartbeat and cost in moments.
import { TimeoutError } from '@conveyor/core';
import { createGitHubClient } from '@conveyor/core/github';
import { AUTO_POLL } from '../../actions/trigger-downstream/src/parse';
import { triggerDownstream, type Result, type TriggerOptions } from '../../actions/trigger-downstream/src/trigger';
import { recordingLogger } from '../kit/logger';
import { VirtualClock } from '../standins/github/clock';
import { GitHubStandIn } from '../standins/github/server';

const STACK = 'xchem/fragalysis-stack';
let clock: VirtualClock;
let github: GitHubStandIn;

beforeEach(async () => {
  clock = new VirtualClock();
  github = new GitHubStandIn({ now: clock.now });
  await github.start();
  github.createRepo(STACK);
});

afterEach(async () => {
  await github.stop();
  github.assertConformance();
});

function setUp(minutes: number, options: Partial<TriggerOptions> = {}) {
  github.defineWorkflow(STACK, {
    path: '.github/workflows/build.yml',
    name: 'Build stack',
    workflowDispatch: { inputs: { distinct_id: {} } },
    runName: 'Build stack [${{ inputs.distinct_id }}]',
    jobs: [{ name: 'build', steps: [{ name: 'Build', durationMs: minutes * 60_000 }] }],
  });
  const logger = recordingLogger();
  const signal = new AbortController().signal;
  const client = createGitHubClient('ghs_unit', { logger, signal, baseUrl: github.url });
  const sleeps: number[] = [];
  const triggerOptions: TriggerOptions = {
    target: { owner: 'xchem', repo: 'fragalysis-stack' },
    trigger: { kind: 'workflow', workflow: { kind: 'file', file: 'build.yml' }, ref: 'main', inputs: {} },
    wait: true,
    timeoutMs: 3_600_000,
    schedule: AUTO_POLL,
    cancelOnTimeout: true,
    ...options,
  };
  const result: Result = { startedAt: clock.now() };
  const run = () =>
    triggerDownstream(
      triggerOptions,
      {
        client,
        logger,
        signal,
        cancellation: { onCancel: () => () => undefined },
        cleanupClient: () => client,
        now: clock.now,
        sleep: (ms, abort) => (sleeps.push(ms), clock.sleep(ms, abort)),
      },
      result,
    );
  return { logger, sleeps, result, run };
}

test('a 10-minute run: intervals grow 5 s ×1.5 to 12 s, a heartbeat with the link at most every 30 s, unchanged polls answered 304', async () => {
  const { logger, sleeps, result, run } = setUp(10);
  await run();
  expect(sleeps.slice(0, 6)).toEqual([5000, 7500, 11250, 12000, 12000, 12000]);
  expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(600_000);
  expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(612_000);
  const url = `${github.url}/${STACK}/actions/runs/${result.run?.id}`;
  const heartbeats = logger.lines.filter((line) => line.includes('Waiting for run #1'));
  // Checks at 0, 5, 12.5, 23.75 s, then every 12 s: a heartbeat at 35.75 s and every third check after it.
  expect(heartbeats).toHaveLength(16);
  expect(heartbeats[0]).toMatch(new RegExp(`^Waiting for run #1 \\(in_progress, 3\\ds\\): ${url.replace(/[.?]/g, '\\$&')}$`));
  const polls = github.requests('GET', /\/actions\/runs\/\d+$/).map((entry) => entry.outcome);
  expect(polls.filter((outcome) => outcome === 304).length).toBeGreaterThan(polls.length - 4);
  expect(result.run?.conclusion).toBe('success');
});

test('a run outlasting the timeout is cancelled and the step fails with a TimeoutError', async () => {
  const { result, run } = setUp(120, { timeoutMs: 30 * 60_000 });
  const error: unknown = await run().catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(TimeoutError);
  expect((error as Error).message).toMatch(/^Run #1 did not finish within 30m \(still in_progress\): \S+ It was cancelled\.$/);
  expect(result.cancelled).toBe(true);
  expect(github.runs(STACK).every((r) => r.cancelRequested)).toBe(true);
});

test('wait false returns as soon as the run is known, without polling', async () => {
  const { sleeps, result, run } = setUp(10, { wait: false });
  await run();
  expect(sleeps).toEqual([]);
  expect(result.run?.status).toBe('in_progress');
  expect(github.requests('GET', /\/actions\/runs\/\d+$/)).toHaveLength(1);
});
