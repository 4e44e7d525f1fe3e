// trigger-downstream: following a downstream run of 1 to 60 simulated minutes. For each: requests
// made, requests counted against GitHub's primary rate limit, and how late the step ends after the
// run did. Issue 14's row: a 60-minute run costs ≤ 60 counted requests, and an end is noticed ≤ 15 s
// after it happens.
//
// The action's own trigger code (actions/trigger-downstream/src/trigger.ts, in-process: the bundle
// reads the real clock) runs against the GitHub stand-in, both on one VirtualClock: a sleep advances
// it, and each request takes a simulated round trip (ROUND_TRIP_MS), so an hour passes in a moment.
// The stand-in answers an unchanged resource 304, which GitHub does not count: "Making a conditional
// request does not count against your primary rate limit if a 304 response is returned and the
// request was made while correctly authorized with an Authorization header" (Best practices for using
// the REST API, https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate).
// The run's representation changes (a new ETag) at each job start and end and each step end
// (`updated_at`), so a status check after one of those is counted.
//
// Worst case, not a lucky one: how late an end is noticed depends on where it falls between two
// status checks. A probe run records when the stand-in saw each check; every measured run then ends
// just after one check (the worst phase) and at 1/4 and 3/4 of the way to the next (their mean is the
// mean over all phases, lateness falling linearly with the phase). Simulated time is deterministic: the figures repeat exactly.
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import type { GitHubClient, Logger } from '@conveyor/core';
import { createGitHubClient } from '@conveyor/core/github';
import { AUTO_POLL, type PollSchedule } from '../../actions/trigger-downstream/src/parse';
import { triggerDownstream, type TriggerOptions } from '../../actions/trigger-downstream/src/trigger';
import type { JobDefinition } from '../../test/standins/github/model';
import { VirtualClock } from '../../test/standins/github/clock';
import { GitHubStandIn, type RunDetailsSupport } from '../../test/standins/github/server';

const REPOSITORY = 'xchem/fragalysis-stack';
const TARGET = { owner: 'xchem', repo: 'fragalysis-stack' };
/** A request's simulated round trip, half each way: GitHub's API as a hosted runner sees it. */
const ROUND_TRIP_MS = 300;
/** GitHub lists a dispatched run after a moment (when the reply did not name it). */
const CREATION_DELAY_MS = 2_000;
/** Queued until a runner picks the first job up. */
const QUEUE_MS = 5_000;
const MINUTE = 60_000;
const LENGTHS_MINUTES = [1, 5, 10, 30, 60];
/** Where between two status checks the run ends: 0 is just after one (the worst). */
const PHASES = [0, 1 / 4, 3 / 4];
/**
 * Runs are followed in worker threads, each run with its own clock and stand-in. Octokit's throttling
 * plugin keeps its limiters per module instance (at most 10 requests in flight, one write a real
 * second), so in one thread the dispatches alone would take a real second per run.
 */
const WORKERS = 4;
const RUNS_PER_WORKER = 2;

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warning: (message) => console.error(`warning: ${message}`),
  error: (message) => console.error(`error: ${message}`),
  group: (_name, fn) => fn(),
  untrusted: () => undefined,
};

type Follower = 'action' | 'fixed-10s';

/** How long the jobs take, one after another. */
const duration = (jobs: JobDefinition[]) => jobs.flatMap((job) => job.steps).reduce((sum, step) => sum + (step.durationMs ?? 1000), 0);

interface Scenario {
  follower: Follower;
  runDetails: RunDetailsSupport;
  schedule: PollSchedule;
  workflow: keyof typeof WORKFLOWS;
}

/** What one followed run cost; times are simulated. */
interface Measure {
  requests: number;
  charged: number;
  latenessMs: number;
  /** When the stand-in saw each status check of the run, from the dispatch. */
  checks: number[];
}

/**
 * Fragalysis's stack build: build and push the image, then test it. 19 s of short steps; the two long
 * ones share the rest. 13 steps in two jobs: the run's representation changes 19 times.
 */
function stackBuild(workMs: number): JobDefinition[] {
  const build = Math.round(workMs * 0.6);
  return [
    {
      name: 'build',
      steps: [
        { name: 'Set up job', durationMs: 1_000 },
        { name: 'Checkout', durationMs: 2_000 },
        { name: 'Set up Docker Buildx', durationMs: 3_000 },
        { name: 'Log in to Docker Hub', durationMs: 1_000 },
        { name: 'Build and push image', durationMs: build },
        { name: 'Post Checkout', durationMs: 1_000 },
        { name: 'Complete job', durationMs: 1_000 },
      ],
    },
    {
      name: 'test',
      steps: [
        { name: 'Set up job', durationMs: 1_000 },
        { name: 'Checkout', durationMs: 2_000 },
        { name: 'Pull image', durationMs: 4_000 },
        { name: 'Run tests', durationMs: workMs - build },
        { name: 'Upload test results', durationMs: 2_000 },
        { name: 'Complete job', durationMs: 1_000 },
      ],
    },
  ];
}
/** A chatty run: one job of 120 steps, a new representation every 30 s (the last step takes the rest). */
function chatty(workMs: number): JobDefinition[] {
  return [
    {
      name: 'all',
      steps: Array.from({ length: 120 }, (_, index) => ({ name: `Step ${index + 1}`, durationMs: index < 119 ? 30_000 : workMs })),
    },
  ];
}

/** The downstream workflows: their jobs, given how long their long steps take together. */
const WORKFLOWS = { stackBuild, chatty };

/** Every request spends half a round trip going and half coming back; `onArrival` sees its arrival. */
function simulateRoundTrips(client: GitHubClient, clock: VirtualClock, onArrival: (method: string, url: string) => void): void {
  client.hook.wrap('request', async (request, options) => {
    await clock.sleep(ROUND_TRIP_MS / 2);
    onArrival(options.method, options.url);
    try {
      return await request(options);
    } finally {
      await clock.sleep(ROUND_TRIP_MS / 2);
    }
  });
}

/** Follows one run that ends `endMs` after the stand-in accepted the dispatch. */
async function follow(scenario: Scenario, endMs: number): Promise<Measure> {
  const clock = new VirtualClock();
  const github = new GitHubStandIn({ now: clock.now, runDetails: scenario.runDetails, validate: false });
  await github.start();
  try {
    github.createRepo(REPOSITORY);
    const immediate = scenario.runDetails === 'supported';
    const workflow = WORKFLOWS[scenario.workflow];
    const workMs = endMs - (immediate ? 0 : CREATION_DELAY_MS) - QUEUE_MS - duration(workflow(0));
    if (workMs < 0) throw new Error(`a run cannot end ${endMs} ms after the dispatch`);
    github.defineWorkflow(REPOSITORY, {
      path: '.github/workflows/build.yml',
      name: 'Build stack',
      workflowDispatch: { inputs: { distinct_id: {} } },
      runName: 'Build stack [${{ inputs.distinct_id }}]',
      jobs: workflow(workMs),
      creationDelayMs: CREATION_DELAY_MS,
      queueMs: QUEUE_MS,
    });
    const signal = new AbortController().signal;
    const client = createGitHubClient('ghs_benchToken', { logger: quiet, signal, baseUrl: github.url });
    let dispatchedAt = NaN;
    const checkedAt: number[] = [];
    simulateRoundTrips(client, clock, (method, url) => {
      if (method === 'POST' && url.endsWith('/dispatches')) dispatchedAt = clock.now();
      if (method === 'GET' && url === '/repos/{owner}/{repo}/actions/runs/{run_id}') checkedAt.push(clock.now());
    });
    if (scenario.follower === 'action') await followWithAction(scenario.schedule, client, clock, signal);
    else await followEvery10s(client, clock);
    const end = completedAt(github);
    if (end - dispatchedAt !== endMs) throw new Error(`the run ended ${end - dispatchedAt} ms after the dispatch, not ${endMs}`);
    return {
      requests: github.journal.length,
      charged: github.chargedRequests(),
      latenessMs: clock.now() - end,
      checks: checkedAt.map((time) => time - dispatchedAt),
    };
  } finally {
    await github.stop();
  }
}

async function followWithAction(schedule: PollSchedule, client: GitHubClient, clock: VirtualClock, signal: AbortSignal): Promise<void> {
  const options: TriggerOptions = {
    target: TARGET,
    trigger: { kind: 'workflow', workflow: { kind: 'file', file: 'build.yml' }, inputs: {} },
    wait: true,
    timeoutMs: 2 * 60 * MINUTE,
    schedule,
    cancelOnTimeout: true,
  };
  const deps = { client, logger: quiet, signal, cancellation: { onCancel: () => () => undefined }, cleanupClient: () => client };
  await triggerDownstream(options, { ...deps, now: clock.now, sleep: clock.sleep }, { startedAt: clock.now() });
}

/** The usual alternative: read the run every 10 s, unconditionally, until it completes. */
async function followEvery10s(client: GitHubClient, clock: VirtualClock): Promise<void> {
  const reply = await client.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    ...TARGET,
    workflow_id: 'build.yml',
    ref: 'main',
    return_run_details: true,
  });
  const runId = (reply.data as unknown as { workflow_run_id: number }).workflow_run_id;
  for (;;) {
    const { data } = await client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...TARGET, run_id: runId });
    if (data.status === 'completed') return;
    await clock.sleep(10_000);
  }
}

function completedAt(github: GitHubStandIn): number {
  const [run] = github.runs(REPOSITORY);
  const end = run?.jobs.at(-1)?.completedAt;
  if (run?.conclusion !== 'success' || end === null || end === undefined)
    throw new Error(`the run did not succeed: ${JSON.stringify(run)}`);
  return end;
}

interface Task {
  id: number;
  scenario: Scenario;
  endMs: number;
}
type Answer = { id: number; measure: Measure } | { id: number; error: string };

/** Hands runs to the worker threads, at most RUNS_PER_WORKER each at a time. */
class Workers {
  private readonly workers = Array.from({ length: WORKERS }, () => ({ thread: new Worker(new URL(import.meta.url)), running: 0 }));
  private readonly pending = new Map<number, { resolve: (measure: Measure) => void; reject: (error: Error) => void }>();
  private readonly queue: Array<() => void> = [];
  private nextId = 0;

  constructor() {
    for (const worker of this.workers) {
      worker.thread.on('message', (answer: Answer) => {
        const pending = this.pending.get(answer.id);
        this.pending.delete(answer.id);
        worker.running--;
        this.queue.shift()?.();
        if ('error' in answer) pending?.reject(new Error(answer.error));
        else pending?.resolve(answer.measure);
      });
      worker.thread.on('error', (error: Error) => this.pending.forEach(({ reject }) => reject(error)));
    }
  }

  async follow(scenario: Scenario, endMs: number): Promise<Measure> {
    const idlest = () => this.workers.reduce((a, b) => (b.running < a.running ? b : a));
    while (idlest().running >= RUNS_PER_WORKER) await new Promise<void>((resolve) => this.queue.push(resolve));
    const worker = idlest();
    worker.running++;
    const task: Task = { id: this.nextId++, scenario, endMs };
    return new Promise((resolve, reject) => {
      this.pending.set(task.id, { resolve, reject });
      worker.thread.postMessage(task);
    });
  }

  stop(): Promise<number[]> {
    return Promise.all(this.workers.map((worker) => worker.thread.terminate()));
  }
}

interface Figures {
  minutes: number;
  requests: number;
  charged: number;
  worstMs: number;
  /** Over the phases past the worst one (absent when only the worst was measured). */
  meanMs?: number;
}

/**
 * Follows runs of each length, ending at each phase between the two status checks around the
 * nominal end (known from one probe run: the checks do not depend on how long the run lasts).
 */
async function measure(workers: Workers, scenario: Scenario, lengths: number[], phases = PHASES): Promise<Figures[]> {
  const longest = Math.max(...lengths) * MINUTE;
  const probe = await workers.follow(scenario, longest + MINUTE);
  const ends = lengths.map((minutes) => {
    const after = probe.checks.findLastIndex((time) => time <= minutes * MINUTE);
    const from = probe.checks[after];
    const to = probe.checks[after + 1];
    if (from === undefined || to === undefined) throw new Error(`no status check around ${minutes} min`);
    return phases.map((phase) => from + Math.max(1, Math.round(phase * (to - from))));
  });
  const measures = await Promise.all(ends.flat().map((end) => workers.follow(scenario, end)));
  return lengths.map((minutes, index) => {
    const own = measures.slice(index * phases.length, (index + 1) * phases.length);
    const others = own.slice(1).map((m) => m.latenessMs);
    return {
      minutes,
      requests: Math.max(...own.map((m) => m.requests)),
      charged: Math.max(...own.map((m) => m.charged)),
      worstMs: Math.max(...own.map((m) => m.latenessMs)),
      ...(others.length > 0 ? { meanMs: others.reduce((a, b) => a + b, 0) / others.length } : {}),
    };
  });
}

interface Line {
  metric: string;
  value: number;
  unit: string;
  goal?: string;
  met?: boolean;
}

const print = (line: Line) => console.log(JSON.stringify({ bench: 'trigger-downstream', ...line }));
const seconds = (ms: number) => Math.round(ms / 100) / 10;

function printFigures(figures: Figures[], suffix: string): void {
  for (const { minutes, requests, charged, worstMs, meanMs } of figures) {
    print({ metric: `api-requests-${minutes}min${suffix}`, value: requests, unit: 'requests' });
    print({ metric: `rate-limited-requests-${minutes}min${suffix}`, value: charged, unit: 'requests' });
    print({ metric: `notice-delay-worst-${minutes}min${suffix}`, value: seconds(worstMs), unit: 's' });
    if (meanMs !== undefined) print({ metric: `notice-delay-mean-${minutes}min${suffix}`, value: seconds(meanMs), unit: 's' });
  }
}

const action = (runDetails: RunDetailsSupport, schedule = AUTO_POLL, workflow: Scenario['workflow'] = 'stackBuild'): Scenario => ({
  follower: 'action',
  runDetails,
  schedule,
  workflow,
});
const schedule = (firstS: number, maxS: number): PollSchedule => ({ firstMs: firstS * 1000, maxMs: maxS * 1000 });
const scheduleName = ({ firstMs, maxMs }: PollSchedule) => `-schedule-${firstMs / 1000}s-to-${maxMs / 1000}s`;
/** The trade-off: the cap against requests and lateness on a 60-minute run, the first interval on short runs. */
const CAPS = [10, 12, 14, 15, 20, 30].map((maxS) => schedule(AUTO_POLL.firstMs / 1000, maxS));
const FIRSTS = [2, 5, 10].map((firstS) => schedule(firstS, AUTO_POLL.maxMs / 1000));

function measureAll(workers: Workers) {
  return Promise.all([
    // The shipped schedule on github.com (the dispatch reply names the run): every length, every phase.
    measure(workers, action('supported'), LENGTHS_MINUTES),
    // GitHub Enterprise Server before run details: the run is found by its distinct_id first.
    measure(workers, action('reject-422'), [1, 60]),
    // For comparison: 10 s polling without ETags, as the usual dispatch-and-wait actions do.
    measure(workers, { ...action('supported'), follower: 'fixed-10s' }, [60]),
    // A run whose representation changes every 30 s: each change seen costs one counted request.
    measure(workers, action('supported', AUTO_POLL, 'chatty'), [60], [0]),
    Promise.all(CAPS.map((polls) => measure(workers, action('supported', polls), [60], [0]))),
    Promise.all(FIRSTS.map((polls) => measure(workers, action('supported', polls), [1, 5]))),
  ]);
}

async function main(): Promise<void> {
  const workers = new Workers();
  const [shipped, ghes, fixed, chattyRun, caps, firsts] = await measureAll(workers).finally(() => workers.stop());
  printFigures(shipped, '');
  printFigures(ghes, '-ghes-correlated');
  printFigures(fixed, '-fixed-10s');
  printFigures(chattyRun, '-120-steps');
  caps.forEach((figures, index) => printFigures(figures, scheduleName(CAPS[index] as PollSchedule)));
  firsts.forEach((figures, index) => printFigures(figures, scheduleName(FIRSTS[index] as PollSchedule)));

  const hour = shipped.find((figures) => figures.minutes === 60) as Figures;
  const worst = Math.max(...shipped.map((figures) => figures.worstMs));
  print({
    metric: 'following a 60-minute run: requests counted against the rate limit',
    value: hour.charged,
    unit: 'requests',
    goal: '≤ 60 requests',
    met: hour.charged <= 60,
  });
  print({
    metric: 'following a 1- to 60-minute run: worst lateness noticing its end',
    value: seconds(worst),
    unit: 's',
    goal: '≤ 15 s',
    met: worst <= 15_000,
  });
}

if (isMainThread) {
  await main();
} else {
  parentPort?.on('message', (task: Task) => {
    follow(task.scenario, task.endMs).then(
      (measure) => parentPort?.postMessage({ id: task.id, measure } satisfies Answer),
      (error: unknown) =>
        parentPort?.postMessage({
          id: task.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies Answer),
    );
  });
}
