// trigger-downstream end to end: the committed bundle under the runner emulation (Node 24), against
// the GitHub stand-in, which checks every request and reply against GitHub's REST description.
import { jest } from '@jest/globals';
import { runBundle, startBundle, type RunResult } from '../kit/runner';
import { GitHubStandIn } from '../standins/github/server';
import type { WorkflowDefinition } from '../standins/github/model';

const TOKEN = 'ghs_downstreamSecretToken0123456789abcdef';
const FRONTEND = 'xchem/fragalysis-frontend';
const STACK = 'xchem/fragalysis-stack';
const DISPATCH = /\/actions\/workflows\/[^/]+\/dispatches$/;

jest.setTimeout(120_000);

let github: GitHubStandIn;

beforeEach(async () => {
  github = new GitHubStandIn();
  await github.start();
  github.createRepo(STACK);
});

afterEach(async () => {
  await github.stop();
  github.assertConformance();
});

function defineStackBuild(overrides: Partial<WorkflowDefinition> = {}): number {
  return github.defineWorkflow(STACK, {
    path: '.github/workflows/build.yml',
    name: 'Build stack',
    workflowDispatch: { inputs: { distinct_id: {}, image_tag: { default: 'latest' }, outcome: { default: 'success' } } },
    repositoryDispatch: { types: ['frontend-built'] },
    runName: 'Build stack [${{ inputs.distinct_id }}${{ github.event.client_payload.distinct_id }}]',
    jobs: [
      {
        name: 'build',
        steps: [
          { name: 'Checkout', durationMs: 300 },
          { name: 'Build image', durationMs: 700, conclusion: '${{ inputs.outcome }}' },
        ],
      },
      { name: 'test', steps: [{ name: 'Run tests', durationMs: 500 }] },
    ],
    creationDelayMs: 300,
    queueMs: 300,
    ...overrides,
  });
}

type Inputs = Record<string, string | undefined>;

/** A journalled request's JSON body. */
function bodyOf(entry: { body: Buffer }): Record<string, unknown> {
  return JSON.parse(entry.body.toString()) as Record<string, unknown>;
}

function options(inputs: Inputs) {
  return {
    action: 'actions/trigger-downstream',
    inputs: { repository: STACK, 'poll-interval': '1s', ...inputs },
    github: { apiUrl: github.url, repository: FRONTEND, token: TOKEN },
  };
}

/** The token appears nowhere but in the command that registers it with the masker. */
function expectTokenHidden(result: RunResult): void {
  const printed = result.rawLog
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  expect(printed).not.toContain(TOKEN);
  expect(result.summary).not.toContain(TOKEN);
  expect(Object.values(result.outputs).join('\n')).not.toContain(TOKEN);
}

async function trigger(inputs: Inputs): Promise<RunResult> {
  const result = await runBundle(options(inputs));
  expectTokenHidden(result);
  return result;
}

describe('trigger-downstream: workflow_dispatch and wait', () => {
  test('success: the run from the dispatch reply is followed to its end, with outputs and a summary', async () => {
    defineStackBuild();
    const result = await trigger({ workflow: 'build.yml', inputs: 'image_tag: 2.1.0' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const [run] = github.runs(STACK);
    expect(github.runs(STACK)).toHaveLength(1);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'success', headBranch: 'main' });
    expect(run?.inputs).toEqual({ distinct_id: result.outputs['distinct-id'], image_tag: '2.1.0', outcome: 'success' });
    expect(result.outputs['distinct-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.outputs).toEqual({
      'distinct-id': run?.inputs?.distinct_id,
      'run-id': String(run?.id),
      'run-url': `${github.url}/${STACK}/actions/runs/${run?.id}`,
      status: 'completed',
      conclusion: 'success',
    });
    // One dispatch, asking for run details; the default branch was looked up; polls were conditional.
    const dispatches = github.requests('POST', DISPATCH);
    expect(dispatches.map((d) => bodyOf(d).return_run_details)).toEqual([true]);
    expect(github.requests('GET', /^\/repos\/xchem\/fragalysis-stack$/)).toHaveLength(1);
    expect(github.requests('GET', /\/actions\/runs\/\d+$/).filter((r) => r.headers['if-none-match']).length).toBeGreaterThan(0);
    expect(github.requests('GET', /\/actions\/runs$/)).toHaveLength(0); // no listing needed
    expect(result.log).toContain(`${github.url}/${STACK}/actions/runs/${run?.id}`);
    expect(result.summary).toContain('Downstream run');
    expect(result.summary).toContain(`<a href="${github.url}/${STACK}/actions/runs/${run?.id}">&#35;1 Build stack &#91;`);
    expect(result.summary).toMatch(/\| <a href="[^"]+\/job\/\d+">build<\/a> \| success \|/);
    expect(result.summary).toMatch(/\| <a href="[^"]+\/job\/\d+">test<\/a> \| success \|/);
  });

  test('failure: the step fails naming the failed job and step', async () => {
    defineStackBuild();
    const result = await trigger({ workflow: 'Build stack', ref: 'main', inputs: '{"outcome": "failure"}' });
    expect(result.exitCode).toBe(1);
    const run = github.runs(STACK)[0];
    expect(result.errors).toEqual([
      `Downstream run #1 concluded failure: failed job 'build' (failure at step 'Build image'). ${github.url}/${STACK}/actions/runs/${run?.id}`,
    ]);
    expect(result.outputs).toMatchObject({ status: 'completed', conclusion: 'failure', 'run-id': String(run?.id) });
    expect(result.summary).toMatch(/\| <a [^>]+>build<\/a> \| failure \| Build image \|/);
    expect(result.summary).toMatch(/\| <a [^>]+>test<\/a> \| skipped \|/);
  });

  test('cancelled downstream: a cancelled run fails the step too', async () => {
    defineStackBuild({ jobs: [{ name: 'deploy', steps: [{ name: 'Await approval', durationMs: 500, conclusion: 'cancelled' }] }] });
    const result = await trigger({ workflow: 'build.yml' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/^Downstream run #1 concluded cancelled: failed job 'deploy' \(cancelled at step 'Await approval'\)/);
    expect(result.outputs.conclusion).toBe('cancelled');
  });

  test('timed out: the step fails and the downstream run is cancelled', async () => {
    defineStackBuild({ jobs: [{ name: 'build', steps: [{ name: 'Long build', durationMs: 120_000 }] }] });
    const result = await trigger({ workflow: 'build.yml', timeout: '4s' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/^Run #1 did not finish within \d+s \(still in_progress\): http.* It was cancelled\.$/);
    const run = github.runs(STACK)[0];
    expect(run).toMatchObject({ cancelRequested: true, status: 'completed', conclusion: 'cancelled' });
    expect(result.outputs).toMatchObject({ status: 'in_progress', conclusion: '', 'run-id': String(run?.id) });
    expect(result.summary).toContain('yes, by this step');
  });

  test('timed out with cancel-on-timeout false: the downstream run is left running', async () => {
    defineStackBuild({ jobs: [{ name: 'build', steps: [{ name: 'Long build', durationMs: 120_000 }] }] });
    const result = await trigger({ workflow: 'build.yml', timeout: '3s', 'cancel-on-timeout': 'false' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/did not finish within/);
    expect(github.runs(STACK)[0]).toMatchObject({ cancelRequested: false, status: 'in_progress' });
    expect(github.requests('POST', /\/cancel$/)).toHaveLength(0);
  });

  test('wait false: the step ends once the run is identified', async () => {
    defineStackBuild({ queueMs: 120_000 });
    const result = await trigger({ workflow: 'build.yml', wait: 'false' });
    expect(result.exitCode).toBe(0);
    const run = github.runs(STACK)[0];
    expect(result.outputs).toMatchObject({ 'run-id': String(run?.id), status: 'queued', conclusion: '' });
    expect(github.requests('GET', /\/actions\/runs\/\d+$/)).toHaveLength(1);
  });

  test('a display name is found on the second page of workflows', async () => {
    for (let i = 0; i < 100; i++) {
      github.defineWorkflow(STACK, { path: `.github/workflows/w${i}.yml`, name: `Workflow ${i}`, workflowDispatch: {}, jobs: [] });
    }
    const id = defineStackBuild();
    const result = await trigger({ workflow: 'Build stack' });
    expect(result.exitCode).toBe(0);
    expect(github.requests('GET', /\/actions\/workflows$/).map((r) => r.query)).toEqual(['?per_page=100', '?per_page=100&page=2']);
    expect(github.runs(STACK)[0]?.workflowId).toBe(id);
  });

  test('a workflow without a distinct_id input is dispatched without it on github.com (the 422 started nothing)', async () => {
    defineStackBuild({ workflowDispatch: { inputs: { image_tag: {} } }, runName: 'Build stack' });
    const result = await trigger({ workflow: 'build.yml', inputs: 'image_tag: "1.0"' });
    expect(result.exitCode).toBe(0);
    expect(github.requests('POST', DISPATCH).map((d) => d.outcome)).toEqual([422, 200]);
    expect(github.runs(STACK)).toHaveLength(1);
    expect(result.outputs['distinct-id']).toBe('');
  });
});

describe('trigger-downstream: correlation without run details', () => {
  test.each(['reject-400', 'reject-422'] as const)(
    'an older GHES (%s) rejects return_run_details: one run, found by its distinct_id',
    async (mode) => {
      github.runDetails = mode;
      defineStackBuild();
      const result = await trigger({ workflow: 'build.yml' });
      expect(result.exitCode).toBe(0);
      const dispatches = github.requests('POST', DISPATCH);
      expect(dispatches.map((d) => [d.outcome, 'return_run_details' in bodyOf(d)])).toEqual([
        [mode === 'reject-400' ? 400 : 422, true],
        [204, false],
      ]);
      expect(github.runs(STACK)).toHaveLength(1);
      const run = github.runs(STACK)[0];
      expect(run?.inputs?.distinct_id).toBe(result.outputs['distinct-id']);
      expect(result.outputs).toMatchObject({ 'run-id': String(run?.id), conclusion: 'success' });
      expect(github.requests('GET', /\/actions\/workflows\/\d+\/runs$/).length).toBeGreaterThan(0);
    },
  );

  test('a server that accepts return_run_details but returns none: the run is found by its distinct_id', async () => {
    github.runDetails = 'ignore';
    const id = defineStackBuild();
    const result = await trigger({ workflow: String(id), ref: 'refs/heads/main' });
    expect(result.exitCode).toBe(0);
    expect(github.requests('POST', DISPATCH).map((d) => d.outcome)).toEqual([204]);
    expect(result.outputs['run-id']).toBe(String(github.runs(STACK)[0]?.id));
    expect(github.requests('GET', /^\/repos\/xchem\/fragalysis-stack$/)).toHaveLength(0); // ref given: no default-branch lookup
  });

  test('an older GHES and a workflow without distinct_id: a clear error, nothing dispatched', async () => {
    github.runDetails = 'reject-422';
    defineStackBuild({ workflowDispatch: { inputs: {} } });
    const result = await trigger({ workflow: 'build.yml' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /does not return run details and '\.github\/workflows\/build\.yml' declares no 'distinct_id' input.*nothing was dispatched/,
    );
    expect(github.runs(STACK)).toHaveLength(0);
  });

  test('repository_dispatch: the run is found by client_payload.distinct_id', async () => {
    defineStackBuild();
    github.defineWorkflow(STACK, {
      path: '.github/workflows/other.yml',
      name: 'Other listener',
      repositoryDispatch: { types: ['frontend-built'] },
      jobs: [{ name: 'other', steps: [{ name: 'Noop', durationMs: 100 }] }],
    });
    const result = await trigger({ 'event-type': 'frontend-built', 'client-payload': 'frontend_tag: 3.4.5\nnested: {a: 1}' });
    expect(result.exitCode).toBe(0);
    const ours = github.runs(STACK).find((r) => r.workflowPath === '.github/workflows/build.yml');
    expect(ours?.clientPayload).toEqual({ frontend_tag: '3.4.5', nested: { a: 1 }, distinct_id: result.outputs['distinct-id'] });
    expect(result.outputs).toMatchObject({ 'run-id': String(ours?.id), conclusion: 'success' });
    expect(github.requests('POST', /\/dispatches$/)).toHaveLength(1);
  });

  test('the distinct_id may be carried by a step name instead of the run name', async () => {
    github.runDetails = 'reject-400';
    defineStackBuild({
      runName: undefined,
      queueMs: 0,
      jobs: [{ name: 'build', steps: [{ name: 'Correlation ${{ inputs.distinct_id }}', durationMs: 2000 }] }],
    });
    const result = await trigger({ workflow: 'build.yml' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs['run-id']).toBe(String(github.runs(STACK)[0]?.id));
  });

  // Each step's first look at the runs is held until the other step has dispatched and looked too,
  // so each sees both runs (the other's possibly newer) and must pick its own by its distinct_id.
  test.each([
    ['workflow_dispatch', { workflow: 'build.yml' }, { inputs: 'outcome: failure' }, /\/actions\/workflows\/\d+\/runs$/],
    ['repository_dispatch', { 'event-type': 'frontend-built' }, { 'client-payload': 'outcome: failure' }, /\/actions\/runs$/],
  ] as const)(
    'two concurrent %s steps on one workflow, each looking after both dispatched: each follows its own run',
    async (_, base, failing, listing) => {
      github.runDetails = 'reject-422';
      defineStackBuild({
        creationDelayMs: 0,
        jobs: [
          {
            name: 'build',
            steps: [{ name: 'Build', durationMs: 1000, conclusion: '${{ github.event.client_payload.outcome }}${{ inputs.outcome }}' }],
          },
        ],
      });
      github.rendezvousNext(2, { method: 'GET', path: listing });
      const [good, bad] = await Promise.all([trigger(base), trigger({ ...base, ...failing })]);
      const runs = github.runs(STACK);
      expect(runs).toHaveLength(2);
      const byDistinctId = new Map(runs.map((r) => [r.inputs?.distinct_id ?? r.clientPayload?.distinct_id, r]));
      expect(good.exitCode).toBe(0);
      expect(good.outputs['run-id']).toBe(String(byDistinctId.get(good.outputs['distinct-id'])?.id));
      expect(good.outputs.conclusion).toBe('success');
      expect(bad.exitCode).toBe(1);
      expect(bad.outputs['run-id']).toBe(String(byDistinctId.get(bad.outputs['distinct-id'])?.id));
      expect(bad.outputs.conclusion).toBe('failure');
      expect(good.outputs['run-id']).not.toBe(bad.outputs['run-id']);
      // Both steps looked at the runs, so the rendezvous held the first look until the second.
      expect(github.requests('GET', listing).length).toBeGreaterThanOrEqual(2);
    },
  );

  test('no run carrying the id: the wait ends at the timeout with the run-name advice', async () => {
    github.runDetails = 'reject-400';
    defineStackBuild({ runName: 'Build stack', jobs: [{ name: 'build', steps: [{ name: 'Build', durationMs: 60_000 }] }] });
    const result = await trigger({ workflow: 'build.yml', timeout: '4s' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /^No run carrying distinct_id [0-9a-f-]{36} appeared in xchem\/fragalysis-stack within \d+s\. .*run-name: <title> \[\$\{\{ inputs\.distinct_id \}\}\]/,
    );
  });
});

describe('trigger-downstream: faults', () => {
  test('transient 502s and a secondary rate limit with Retry-After are survived', async () => {
    defineStackBuild();
    github.failNext(2, 502, { match: { method: 'GET', path: /\/actions\/runs\/\d+$/ } });
    github.secondaryRateLimitNext(1, 1, { match: { method: 'GET', path: /\/actions\/workflows\/build\.yml$/ } });
    const result = await trigger({ workflow: 'build.yml' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.conclusion).toBe('success');
    expect(github.requests('GET', /\/actions\/workflows\/build\.yml$/).map((r) => r.outcome)).toEqual([403, 200]);
    expect(
      github
        .requests('GET', /\/actions\/runs\/\d+$/)
        .slice(0, 3)
        .map((r) => r.outcome),
    ).toEqual([502, 502, 200]);
    expect(result.warnings.join('\n')).toMatch(/secondary rate limit/);
    expect(github.requests('POST', DISPATCH)).toHaveLength(1);
  });

  test('a dispatch whose reply is lost is not sent twice: the run it started is found by its distinct_id', async () => {
    defineStackBuild();
    github.dropNext(1, { match: { method: 'POST', path: DISPATCH }, afterHandling: true });
    const result = await trigger({ workflow: 'build.yml' });
    expect(result.exitCode).toBe(0);
    expect(github.runs(STACK)).toHaveLength(1);
    expect(github.requests('POST', DISPATCH)).toHaveLength(1);
    expect(result.outputs['run-id']).toBe(String(github.runs(STACK)[0]?.id));
    expect(result.warnings.join('\n')).toMatch(/looking for the run before sending it again/);
  });

  test('a dispatch that never arrived is sent again once no run carrying its distinct_id appeared', async () => {
    defineStackBuild();
    github.dropNext(1, { match: { method: 'POST', path: DISPATCH }, afterHandling: false });
    const result = await trigger({ workflow: 'build.yml' });
    expect(result.exitCode).toBe(0);
    expect(github.requests('POST', DISPATCH).map((d) => d.outcome)).toEqual(['dropped', 200]);
    expect(github.runs(STACK)).toHaveLength(1);
    expect(result.warnings.join('\n')).toMatch(/No run carrying distinct_id \S+ appeared: dispatching once more/);
  });

  test('cancelling the job (SIGINT) cancels the downstream run', async () => {
    defineStackBuild({ jobs: [{ name: 'build', steps: [{ name: 'Long build', durationMs: 120_000 }] }] });
    const step = startBundle(options({ workflow: 'build.yml' }));
    await step.waitForLog(/Downstream run #1/);
    step.process.kill('SIGINT');
    const result = await step.done;
    expect(result.exitCode).not.toBe(0);
    expect(result.errors[0]).toMatch(/^Cancelled/);
    expectTokenHidden(result);
    expect(github.runs(STACK)[0]).toMatchObject({ cancelRequested: true, conclusion: 'cancelled' });
    expect(result.warnings.join('\n')).toMatch(/Cancelled downstream run #1/);
  });

  test('credentials that die mid-wait: one 401, the step ends at the next check with the run named, the run goes on', async () => {
    defineStackBuild({ jobs: [{ name: 'build', steps: [{ name: 'Long build', durationMs: 120_000 }] }] });
    github.grant(TOKEN, { login: 'frontend-app[bot]' });
    const step = startBundle(options({ workflow: 'build.yml' }));
    await step.waitForLog(/Downstream run #1/);
    github.revoke(TOKEN);
    const result = await step.done;
    expectTokenHidden(result);
    const run = github.runs(STACK)[0];
    const url = `${github.url}/${STACK}/actions/runs/${run?.id}`;
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `Input 'token': GitHub refused it (HTTP 401 Bad credentials) while following run ${run?.id}, which goes on without this step: ${url}`,
    ]);
    // Every request after the revocation is refused: the first one was also the last (no retry, no cancel).
    const refused = github.journal.filter((entry) => entry.outcome === 401);
    expect(refused).toHaveLength(1);
    expect(github.journal.at(-1)).toBe(refused[0]);
    expect(refused[0]?.path).toBe(`/repos/${STACK}/actions/runs/${run?.id}`);
    expect(result.outputs).toMatchObject({
      'distinct-id': run?.inputs?.distinct_id,
      'run-id': String(run?.id),
      'run-url': url,
      conclusion: '',
    });
    expect(['queued', 'in_progress']).toContain(result.outputs.status);
    expect(run).toMatchObject({ cancelRequested: false, conclusion: null });
    expect(result.summary).toContain(`<a href="${url}">&#35;1 Build stack &#91;`);
  });
});

describe('trigger-downstream: secondary rate limits while following the run', () => {
  test.each([
    ['403 with Retry-After', 403, 2, '2 s'],
    ['429 with Retry-After', 429, 2, '2 s'],
    ['403 without Retry-After (GitHub: wait at least a minute)', 403, undefined, '60 s'],
  ] as const)('%s: waited out, the run followed to its end', async (_, status, retryAfter, wait) => {
    defineStackBuild({ jobs: [{ name: 'build', steps: [{ name: 'Build', durationMs: 3000 }] }] });
    const step = startBundle(options({ workflow: 'build.yml' }));
    await step.waitForLog(/Downstream run #1/);
    const poll = /\/actions\/runs\/\d+$/;
    const before = github.requests('GET', poll).length;
    github.secondaryRateLimitNext(1, retryAfter, { status, match: { method: 'GET', path: poll } });
    const result = await step.done;
    expectTokenHidden(result);
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'completed', conclusion: 'success' });
    // The check that met the limit was sent again once the wait was over, and the wait went on.
    const outcomes = github
      .requests('GET', poll)
      .slice(before)
      .map((entry) => entry.outcome);
    expect(outcomes[0]).toBe(status);
    expect(outcomes.length).toBeGreaterThanOrEqual(2);
    expect(outcomes.slice(1).every((outcome) => outcome === 200 || outcome === 304)).toBe(true);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(new RegExp(`^GitHub secondary rate limit on GET \\S+; retrying in ${wait}$`));
  });
});

describe('trigger-downstream: permissions and inputs', () => {
  test('a token without actions: write gets the permission explained', async () => {
    defineStackBuild();
    github.grant(TOKEN, { login: 'github-actions[bot]', repos: { [STACK]: { actions: 'read', contents: 'read' } } });
    const result = await trigger({ workflow: 'build.yml' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /^The token may not do this in xchem\/fragalysis-stack \(403 Resource not accessible by integration\): it needs `actions: write`/,
    );
    expect(result.errors[0]).toMatch(/PAT or a GitHub App token/);
    expect(github.runs(STACK)).toHaveLength(0);
  });

  test('a token GitHub refuses: one line naming the input, nothing dispatched', async () => {
    defineStackBuild();
    github.revoke(TOKEN);
    const result = await trigger({ workflow: 'build.yml' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(["Input 'token': GitHub refused it (HTTP 401 Bad credentials). Pass a valid token"]);
    expect(github.runs(STACK)).toHaveLength(0);
  });

  test('a repository the token cannot see gets a 404 explained', async () => {
    github.grant(TOKEN, { login: 'github-actions[bot]', repos: { [FRONTEND]: { actions: 'write' } } });
    const result = await trigger({ 'event-type': 'frontend-built' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /^xchem\/fragalysis-stack was not found, or the token cannot see it \(404\): the token needs `contents: write`/,
    );
  });

  test.each([
    ["Input 'event-type': cannot be set together with 'workflow'. Set exactly one of them", { workflow: 'build.yml', 'event-type': 'x' }],
    ["Input 'workflow': is required (or 'event-type')", {}],
    ["Input 'repository': 'not a repo' is not in owner/repo form", { workflow: 'build.yml', repository: 'not a repo' }],
    ["Input 'inputs': 'image' is a mapping", { workflow: 'build.yml', inputs: 'image: {tag: 1}' }],
    ["Input 'inputs': is not a mapping", { workflow: 'build.yml', inputs: '[1, 2]' }],
    ["Input 'inputs': is not valid YAML or JSON", { workflow: 'build.yml', inputs: 'a: [' }],
    ["Input 'inputs': 'distinct_id' is set by the action", { workflow: 'build.yml', inputs: 'distinct_id: mine' }],
    ["Input 'client-payload': applies to repository_dispatch only", { workflow: 'build.yml', 'client-payload': 'a: 1' }],
    ["Input 'inputs': applies to workflow_dispatch only", { 'event-type': 'go', inputs: 'a: 1' }],
    ["Input 'ref': applies to workflow_dispatch only", { 'event-type': 'go', ref: 'main' }],
    [
      "Input 'client-payload': has 10 top-level keys",
      { 'event-type': 'go', 'client-payload': JSON.stringify(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]))) },
    ],
    ["Input 'client-payload': is 700", { 'event-type': 'go', 'client-payload': JSON.stringify({ blob: 'x'.repeat(70_000) }) }],
    ["Input 'event-type': is 101 characters long", { 'event-type': 'e'.repeat(101) }],
    ["Input 'workflow': 'ci/build.yml' is not in .github/workflows", { workflow: 'ci/build.yml' }],
    ["Input 'timeout': must be more than 0", { workflow: 'build.yml', timeout: '0' }],
    ["Input 'timeout': 'soon' is not a duration", { workflow: 'build.yml', timeout: 'soon' }],
    ["Input 'poll-interval': '0s' is shorter than 1 s", { workflow: 'build.yml', 'poll-interval': '0s' }],
    ["Input 'wait': 'yes' is not a boolean", { workflow: 'build.yml', wait: 'yes' }],
    ["Input 'token': is empty", { workflow: 'build.yml', token: '' }],
  ])('bad input fails before any request: %s', async (message, inputs) => {
    const result = await trigger(inputs);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.startsWith(message)).toBe(true);
    expect(github.journal).toHaveLength(0);
  });

  test('an unknown workflow name lists the workflows there are', async () => {
    defineStackBuild();
    const result = await trigger({ workflow: 'Deploy' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toBe(
      "Input 'workflow': xchem/fragalysis-stack has no workflow named 'Deploy'. Its workflows: 'Build stack' (build.yml)",
    );
    expect(github.requests('POST')).toHaveLength(0);
  });
});
