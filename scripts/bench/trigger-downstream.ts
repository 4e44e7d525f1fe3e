// trigger-downstream: what dispatching and following a downstream run lasting 10 simulated minutes
// costs, and how late the action notices that the run completed. The action's own trigger code runs
// in-process against the GitHub stand-in on a virtual clock shared by both (a sleep advances it), so
// the default schedule (5 s growing ×1.5 to 15 s) is measured as it is, in simulated time.
// Scenarios: github.com (the dispatch reply names the run), an older GitHub Enterprise Server (the run
// is found by its distinct_id), and for comparison the usual fixed 10 s polling without ETags. How
// late a run is noticed depends on where its end falls between two polls, so the notice delay is
// also given as the mean and worst over ten runs lasting 10:00 to 10:27.
import { createGitHubClient, type Logger } from '@conveyor/core';
import { AUTO_POLL } from '../../actions/trigger-downstream/src/parse';
import { triggerDownstream, type TriggerOptions } from '../../actions/trigger-downstream/src/trigger';
import { VirtualClock } from '../../test/standins/github/clock';
import { GitHubStandIn, type RunDetailsSupport } from '../../test/standins/github/server';

const REPOSITORY = 'xchem/fragalysis-stack';
const RUN_MINUTES = 10;

const print = (metric: string, value: number, unit: string) =>
  console.log(JSON.stringify({ bench: 'trigger-downstream', metric, value, unit }));

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warning: (message) => console.error(`warning: ${message}`),
  error: (message) => console.error(`error: ${message}`),
  group: (_name, fn) => fn(),
  untrusted: () => undefined,
};

async function setUp(runDetails: RunDetailsSupport, extraMs = 0) {
  const clock = new VirtualClock();
  const github = new GitHubStandIn({ now: clock.now, runDetails, validate: false });
  await github.start();
  github.createRepo(REPOSITORY);
  github.defineWorkflow(REPOSITORY, {
    path: '.github/workflows/build.yml',
    name: 'Build stack',
    workflowDispatch: { inputs: { distinct_id: {} } },
    runName: 'Build stack [${{ inputs.distinct_id }}]',
    jobs: [
      { name: 'build', steps: [{ name: 'Build image', durationMs: 6 * 60_000 }] },
      { name: 'test', steps: [{ name: 'Run tests', durationMs: (RUN_MINUTES - 6) * 60_000 + extraMs }] },
    ],
    creationDelayMs: 2_000,
  });
  const signal = new AbortController().signal;
  const client = createGitHubClient('ghs_benchToken', { logger: quiet, signal, baseUrl: github.url });
  return { clock, github, client, signal };
}

function completedAt(github: GitHubStandIn): number {
  const [run] = github.runs(REPOSITORY);
  const end = run?.jobs.at(-1)?.completedAt;
  if (run?.conclusion !== 'success' || end === null || end === undefined)
    throw new Error(`the run did not succeed: ${JSON.stringify(run)}`);
  return end;
}

interface Measure {
  requests: number;
  charged: number;
  delayMs: number;
}

async function action(runDetails: RunDetailsSupport, extraMs = 0): Promise<Measure> {
  const { clock, github, client, signal } = await setUp(runDetails, extraMs);
  const options: TriggerOptions = {
    target: { owner: 'xchem', repo: 'fragalysis-stack' },
    trigger: { kind: 'workflow', workflow: { kind: 'file', file: 'build.yml' }, inputs: {} },
    wait: true,
    timeoutMs: 3_600_000,
    schedule: AUTO_POLL,
    cancelOnTimeout: true,
  };
  const deps = { client, logger: quiet, signal, cancellation: { onCancel: () => () => undefined }, cleanupClient: () => client };
  await triggerDownstream(options, { ...deps, now: clock.now, sleep: clock.sleep }, { startedAt: clock.now() });
  const measure = { requests: github.journal.length, charged: github.chargedRequests(), delayMs: clock.now() - completedAt(github) };
  await github.stop();
  return measure;
}

/** The common alternative: poll the run every 10 s, unconditionally, until it completes. */
async function fixedPolling(_runDetails: RunDetailsSupport, extraMs = 0): Promise<Measure> {
  const { clock, github, client } = await setUp('supported', extraMs);
  const target = { owner: 'xchem', repo: 'fragalysis-stack' };
  const reply = await client.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    ...target,
    workflow_id: 'build.yml',
    ref: 'main',
    return_run_details: true,
  });
  const runId = (reply.data as unknown as { workflow_run_id: number }).workflow_run_id;
  for (;;) {
    const { data } = await client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...target, run_id: runId });
    if (data.status === 'completed') break;
    await clock.sleep(10_000);
  }
  const measure = { requests: github.journal.length, charged: github.chargedRequests(), delayMs: clock.now() - completedAt(github) };
  await github.stop();
  return measure;
}

async function scenario(
  suffix: string,
  measure: (runDetails: RunDetailsSupport, extraMs?: number) => Promise<Measure>,
  runDetails: RunDetailsSupport,
) {
  const tenMinutes = await measure(runDetails);
  print(`api-requests${suffix}`, tenMinutes.requests, 'requests');
  print(`rate-limited-requests${suffix}`, tenMinutes.charged, 'requests');
  print(`notice-delay${suffix}`, Math.round(tenMinutes.delayMs / 1000), 's');
  const delays: number[] = [];
  for (let k = 0; k < 10; k++) delays.push((await measure(runDetails, k * 3000)).delayMs);
  print(`notice-delay-mean${suffix}`, Math.round(delays.reduce((a, b) => a + b, 0) / delays.length / 1000), 's');
  print(`notice-delay-max${suffix}`, Math.round(Math.max(...delays) / 1000), 's');
}

await scenario('', action, 'supported');
await scenario('-ghes-correlated', action, 'reject-422');
await scenario('-fixed-10s', fixedPolling, 'supported');
